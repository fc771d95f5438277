## pref-expand and the ranked-list library module (issue 4).

## pref-convert and the foreign-format readers (issue 4).

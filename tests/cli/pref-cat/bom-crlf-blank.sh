# A BOM is dropped, CRLF ends a line, blank lines are skipped and counted.
printf '\357\273\277{"a":1}\r\n\r\n   \n{"b":2}\r\n\n' | pref-cat --stats

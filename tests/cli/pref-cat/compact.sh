# Whitespace outside strings goes; every other byte stays as it came.
printf '{ "a" : 1 ,\t"b":[1, 2] , "c" : "x  y" }\n' | pref-cat

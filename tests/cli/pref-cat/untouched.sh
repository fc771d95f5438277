# Escapes, number spellings, huge integers and reals pass untouched.
printf '%s\n' '{"s":"caf\u00e9 \/ \"q\"","n":1.50,"big":123456789012345678901234567890,"r":1e400,"z":-0.0E+0}' | pref-cat

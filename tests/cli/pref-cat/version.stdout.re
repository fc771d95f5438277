pref-cat \(prefkit\) [0-9]+\.[0-9]+\.[0-9]+
jansson [0-9.]+, zstd [0-9.]+, PCRE2, xxHash(, zlib)?

# --version: the program, the package and its version, then the libraries.
pref-cat --version

# The man page's examples are the tested ones, and --help and the man page
# list the same options (see ../pref-relabel/man-sync.inc).
. "$CASEDIR/../pref-relabel/man-sync.inc"
man_sync pref-ches

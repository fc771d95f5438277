# The man page's examples are the tested ones, and --help and the man page
# list the same options (see man-sync.inc).
. "$CASEDIR/man-sync.inc"
man_sync pref-relabel

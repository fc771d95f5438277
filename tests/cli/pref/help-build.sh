# pref help NAME from the build tree, before installation, opens the page
# of the source tree (man -l FILE); a stand-in man shows what it was given.
mkdir bin
printf '#!/bin/sh\necho "$@"\n' >bin/man
chmod +x bin/man
got=$(PATH=$PWD/bin:$PATH pref help convert)
echo "exit $?"
want="$(cd "$CASEDIR/../../.." && pwd -P)/man/pref-convert.1"
[ "${got%% *}" = "-l" ] && [ "$(realpath "${got#-l }")" = "$want" ] &&
	echo "man -l the source tree's pref-convert.1"
[ -r "${got#-l }" ] && echo "and it is there"

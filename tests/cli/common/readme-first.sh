# The README's first command runs as root (no sudo: a container) and as a
# user with sudo: every program it calls is a stand-in that logs its name.
cmd=$(sed -n '/^Quick start/,/^Building/{/^    /{s/^    //;p;q;}}' "$srcdir/README")
mkdir bin
for p in apt-get autoreconf make; do
	printf '#!/bin/sh\necho "%s $*" >>"$LOG"\n' "$p" >bin/$p
done
printf '#!/bin/sh\necho "configure $*" >>"$LOG"\n' >configure
printf '#!/bin/sh\necho "sudo $1" >>"$LOG"\nexec "$@"\n' >bin/sudo
chmod +x bin/* configure
for uid in 0 1000; do
	printf '#!/bin/sh\necho %s\n' $uid >bin/id
	chmod +x bin/id
	echo "as uid $uid:"
	: >log
	LOG=$PWD/log PATH=$PWD/bin:$PATH sh -c "$cmd"
	echo "exit $?"
	sed 's/install -y .*/install -y .../' log
done

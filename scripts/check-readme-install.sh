#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# README's "Install" works as written: its commands (every indented line of that section, in order) run
# with `sh -e` from a fresh clone of this checkout, as root, with the PATH of a fresh Debian root shell.
# They install for real -- into /usr/local, the ld.so cache in /etc, /tmp -- but inside a private mount
# namespace where /usr/local and /etc are overlays and /tmp and HOME are fresh tmpfs: nothing they
# write outlives the check. Then the installed tools, man pages, Python package and the Go program are
# checked from the same namespace.
#   scripts/check-readme-install.sh        (needs root, overlayfs, and the packages of ./run.sh test)
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "check-readme-install: must run as root"; exit 1; }
. scripts/lib.sh
need_packages build test docs
src=$PWD
# not under /tmp, which the namespace replaces
work=$(mktemp -d /var/tmp/libns-readme.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
# the commands: indented lines between "## Install" and the next heading, the indent removed
awk '/^## Install/ { on = 1; next } /^## / { on = 0 } on && /^    / { print substr($0, 5) } on && /^$/ { print }' \
	README.md >"$work/commands.sh"
[ "$(grep -c . "$work/commands.sh")" -ge 10 ] || { echo "check-readme-install: no commands found in README.md"; exit 1; }
git clone -q "$src" "$work/clone"
# uncommitted changes too, so that the check tests this tree
git -C "$src" diff HEAD | git -C "$work/clone" apply --allow-empty 2>/dev/null || true

cat >"$work/inner.sh" <<'INNER'
set -eu
work=$1
for d in usr/local etc; do
	mkdir -p "$work/ovl/$d/upper" "$work/ovl/$d/work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$work/ovl/$d/upper,workdir=$work/ovl/$d/work" "/$d"
done
# a fresh /tmp and HOME
mount -t tmpfs tmpfs /tmp
mkdir -p /tmp/home
export HOME=/tmp/home PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cd "$work/clone"
echo "== README Install, as written"
sh -ex "$work/commands.sh"
cd "$work/clone"
echo "== what it installed"
for t in ns-ls ns-tree ns-enter ns-run ns-pin ns-info; do
	[ "$(command -v $t)" = /usr/local/bin/$t ] || { echo "FAIL: $t is not /usr/local/bin/$t"; exit 1; }
	$t --version
	MANPAGER=cat man -P cat $t 2>/dev/null | grep -q "^NAME" || { echo "FAIL: man $t"; exit 1; }
done
cd / && python3 -c 'import libns, libns._ffi as f; print("python3:", libns.__file__, f.path)'
/usr/bin/python3 -c 'import libns; assert libns.__file__.startswith("/usr/local/"), libns.__file__'
/tmp/libns-hello/hello
echo "check-readme-install: README Install works as written"
INNER
status=0
unshare --mount --propagation private sh "$work/inner.sh" "$work" || status=$?
[ "$status" = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$status"

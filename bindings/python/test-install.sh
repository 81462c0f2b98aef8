#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pip installs the Python binding offline, and `import libns` works from outside the source tree.
#   test-install.sh SOURCE_DIR LIBNS_SO VERSION     (meson test python-install runs it)
# From a copy of SOURCE_DIR (pip builds in the tree it is given; the source tree stays clean):
# 1. pip install --no-index --no-build-isolation into a fresh venv made with --system-site-packages
#    (it sees Debian's setuptools and wheel, which build the package offline), as the README says;
# 2. the same with --target, the way to install without a venv;
# each then imported from / with LIBNS_LIBRARY=LIBNS_SO: the library's and the package's version
# (pyproject.toml's must be meson's), the installed files (every module
# of libns/), a namespace opened; and without any way to find the library, the ImportError must name
# the soname and LIBNS_LIBRARY. Exit 77 when pip, setuptools or venv is not installed.
set -eu
src=$1 so=$2 version=$3
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
for m in pip setuptools wheel venv; do
	"$py" -c "import $m" 2>/dev/null ||
		{ echo "SKIP: python3 module $m is missing (apt-get install python3-pip python3-setuptools python3-wheel python3-venv)"; exit 77; }
done
work=$(mktemp -d /tmp/libns-py-install.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
cp -r "$src" "$work/src"
rm -rf "$work/src/tests" "$work/src"/build "$work/src"/*.egg-info
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# check NAME PYTHON [ENV...]: import the installed package from / and use it
check() {
	name=$1 python=$2
	shift 2
	out=$(cd / && env PYTHONDONTWRITEBYTECODE=1 "$@" LIBNS_LIBRARY="$so" "$python" -c '
import importlib.metadata, os, sys, libns
assert not libns.__file__.startswith(sys.argv[1]), libns.__file__
mods = sorted(f for f in os.listdir(os.path.dirname(libns.__file__)) if f.endswith(".py"))
with libns.Namespace.current("net") as ns:
    assert ns.inode == os.stat("/proc/self/ns/net").st_ino
print(libns.version(), importlib.metadata.version("libns"), " ".join(mods))
' "$src" 2>&1) || { bad "$name: import: $out"; return; }
	want="$version $version $(cd "$src/libns" && ls ./*.py | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')"
	[ "$out" = "$want" ] && ok "$name: imported from outside the tree: $out" || bad "$name: got '$out', expected '$want'"
	out=$(cd / && env -u LIBNS_LIBRARY -u LD_LIBRARY_PATH "$@" "$python" -c 'import libns' 2>&1) &&
		{ bad "$name: imported without any libns.so.0"; return; }
	echo "$out" | tail -n 1 | grep -q "ImportError: libns: cannot load the C library libns.so.0 (.*set LIBNS_LIBRARY" &&
		ok "$name: ImportError names libns.so.0 and LIBNS_LIBRARY" || bad "$name: message: $out"
}

pipargs="--no-index --no-build-isolation --disable-pip-version-check --no-warn-script-location -q"
# shellcheck disable=SC2086
if "$py" -m venv --system-site-packages "$work/venv" >"$work/log" 2>&1 && "$work/venv/bin/pip" install $pipargs "$work/src" >>"$work/log" 2>&1; then
	ok "pip install into a venv"
	check venv "$work/venv/bin/python"
else
	bad "pip install into a venv: $(cat "$work/log")"
fi
# shellcheck disable=SC2086
if "$py" -m pip install $pipargs --target "$work/target" "$work/src" >"$work/log" 2>&1; then
	ok "pip install --target"
	check target "$py" PYTHONPATH="$work/target"
else
	bad "pip install --target: $(cat "$work/log")"
fi
echo "$fails failed"
[ "$fails" = 0 ]

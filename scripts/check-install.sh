#!/bin/sh
# The install check: what a distribution package holds, and what a program written outside the project
# gets from it.
#   scripts/check-install.sh [BUILD_DIR]     BUILD_DIR defaults to build-inst; it is wiped and set up afresh
# 1. A fresh meson build (--prefix=/usr, without tests and examples, plus $INSTALL_MESON_ARGS), installed
#    with `meson install --destdir` into a temporary directory.
# 2. The installed layout: the tools in bindir (each answering --version and --help) with their man pages
#    in man1, the Python package (every module, the libdir recorded), the public headers under include/libns/, libns.so -> libns.so.0 -> libns.so.VERSION
#    with SONAME libns.so.0, libns.a, pkgconfig/libns.pc (Cflags without _GNU_SOURCE), one man page in man3
#    for every public function (an alias page must lead to a page naming it, and each page renders without
#    a groff warning), and nothing else.
# 3. tests/outside/outside.c, which calls every public function (tests/tools/check-outside-uses-all.py), built from
#    the installed files only through pkg-config (PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR into the destdir),
#    three ways: against the shared library, against libns.a with the rest dynamic, and fully static
#    (pkg-config --static, -static). Each binary runs as root and must exit 0; the shared one runs a second
#    time on the library's fallback paths (LIBNS_DISABLE_FEATURES, as on a Linux 5.3 kernel).
# Needs root. It installs nothing on the system, except missing Debian packages (scripts/lib.sh) through apt-get.
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)
build=${1:-build-inst}
cc=${CC:-cc}
failed=0

say() { echo "check-install: $*"; }
fail() { echo "check-install: FAIL: $*" >&2; failed=1; }
die() { echo "check-install: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root: the outside program creates namespaces of every kind"
. scripts/lib.sh
need_packages build docs || die "could not install the build tools and groff-base"
for tool in meson ninja pkg-config "$cc" readelf nm python3 groff ldd; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (./run.sh installs the build tools)"
done

work=$(mktemp -d /tmp/libns-check-install.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
dest=$work/dest

# ---- 1. fresh build and staged install ----
if [ -e "$build" ]; then
	[ -d "$build/meson-private" ] || die "$build exists and is not a meson build directory; not removing it"
	rm -rf "$build"
fi
# shellcheck disable=SC2086
meson setup "$build" --prefix=/usr -Dtests=false -Dexamples=false -Dpython=enabled ${LIBNS_MESON_ARGS:-} ${INSTALL_MESON_ARGS:-} \
	>"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; die "meson setup $build"; }
ninja -C "$build" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "ninja -C $build"; }
meson install -C "$build" --destdir "$dest" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; die "meson install -C $build --destdir $dest"; }
say "built and installed into a destdir ($(( $(date +%s) - start ))s)"

# ---- 2. layout ----
version=$(sed -n "s/^ *version *: *'\([0-9.]*\)'.*/\1/p" meson.build | head -n 1)
[ -n "$version" ] || die "cannot read the project version from meson.build"
pcfile=$(find "$dest" -name libns.pc -path '*/pkgconfig/*')
[ "$(printf '%s\n' "$pcfile" | grep -c .)" = 1 ] || die "expected exactly one installed libns.pc, found: $pcfile"
prefix=$(sed -n 's/^prefix=//p' "$pcfile")
libdir=$(sed -n 's/^libdir=//p' "$pcfile")
includedir=$(sed -n 's/^includedir=//p' "$pcfile")
[ "$prefix" = /usr ] || fail "libns.pc: prefix=$prefix, expected /usr"
[ "$(dirname "$pcfile")" = "$dest$libdir/pkgconfig" ] || fail "libns.pc is not in its own libdir ($libdir)/pkgconfig"
mandir=$prefix/share/man
L=$dest$libdir

funcs=$(python3 tests/tools/check-outside-uses-all.py --list include/libns)
[ -n "$funcs" ] || die "no public functions found in include/libns"
nfuncs=$(printf '%s\n' "$funcs" | wc -l)

# headers: exactly the source tree's public headers, unchanged, none defining _GNU_SOURCE
for h in include/libns/*.h; do
	cmp -s "$h" "$dest$includedir/libns/$(basename "$h")" || fail "header $h is not installed as $includedir/libns/"
done
for h in "$dest$includedir"/libns/*.h; do
	[ -e "include/libns/$(basename "$h")" ] || fail "installed header $(basename "$h") is not in include/libns"
	if grep -q '_GNU_SOURCE' "$h"; then fail "installed header $(basename "$h") mentions _GNU_SOURCE"; fi
done

# shared library: libns.so -> libns.so.0 -> libns.so.VERSION, SONAME libns.so.0, every function exported
[ "$(readlink "$L/libns.so" || true)" = libns.so.0 ] || fail "$libdir/libns.so is not a symlink to libns.so.0"
[ "$(readlink "$L/libns.so.0" || true)" = "libns.so.$version" ] ||
	fail "$libdir/libns.so.0 is not a symlink to libns.so.$version"
if [ -f "$L/libns.so.$version" ] && [ ! -L "$L/libns.so.$version" ]; then
	soname=$(readelf -d "$L/libns.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$soname" = libns.so.0 ] || fail "SONAME of libns.so.$version is '$soname', expected libns.so.0"
	nm -D --defined-only "$L/libns.so.$version" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$work/dynsyms"
	for f in $funcs; do
		grep -qx "$f" "$work/dynsyms" || fail "libns.so does not export $f"
	done
else
	fail "$libdir/libns.so.$version is missing or not a regular file"
fi
# static library: every function defined
if [ -f "$L/libns.a" ]; then
	nm -g --defined-only "$L/libns.a" 2>/dev/null | awk 'NF == 3 && $2 == "T" {print $3}' | sort -u >"$work/arsyms"
	for f in $funcs; do
		grep -qx "$f" "$work/arsyms" || fail "libns.a does not define $f"
	done
else
	fail "$libdir/libns.a is not installed"
fi

# man pages: one per public function; an alias (.so) leads to an installed page whose NAME lists it
M=$dest$mandir
[ -f "$M/man3/libns.3" ] || fail "man3/libns.3 (the overview) is not installed"
nomain=""
for f in $funcs; do
	page=$M/man3/$f.3
	if [ ! -f "$page" ]; then
		nomain="$nomain $f"
		continue
	fi
	target=$(sed -n '1s/^\.so  *//p' "$page")
	[ -z "$target" ] || page=$M/$target
	[ -f "$page" ] || { fail "man3/$f.3 includes $target, which is not installed"; continue; }
	awk '/^\.SH NAME/ {getline; print; exit}' "$page" | grep -qw "$f" ||
		fail "the NAME section of $(basename "$page") does not name $f"
done
[ -z "$nomain" ] || fail "public functions without an installed man page (docs/man/man3/NAME.3):$nomain"
for page in "$M"/man3/*.3; do
	out=$(cd "$M" && groff -man -ww -z "man3/$(basename "$page")" 2>&1) ||
		fail "groff cannot render man3/$(basename "$page")"
	[ -z "$out" ] || fail "groff warns on man3/$(basename "$page"): $out"
done

# the tools: every program of tools/meson.build in bindir, answering --version from the staged library,
# each with its man page in man1 that renders without a groff warning
tools=$(sed -n "s/^tool_programs = \[\(.*\)\]/\1/p" tools/meson.build | tr -d "',")
[ -n "$tools" ] || die "cannot read tool_programs from tools/meson.build"
bindir=$(meson introspect "$build" --buildoptions | python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "bindir"))')
for t in $tools; do
	bin=$dest$prefix/$bindir/$t
	if [ ! -x "$bin" ]; then
		fail "tool $t is not installed in $prefix/$bindir"
		continue
	fi
	out=$(LD_LIBRARY_PATH=$L "$bin" --version 2>&1)
	[ "$out" = "$t from libns $version" ] || fail "installed $t --version: '$out'"
	LD_LIBRARY_PATH=$L "$bin" --help | grep -qx "Usage:" || fail "installed $t --help"
	page=$M/man1/$t.1
	if [ -f "$page" ]; then
		out=$(cd "$M" && groff -man -ww -z "man1/$t.1" 2>&1)
		[ -z "$out" ] || fail "groff warns on man1/$t.1: $out"
	else
		fail "no man page man1/$t.1 for the tool $t"
	fi
done

# the Python package: every module of bindings/python/libns, and _config.py recording the libdir
pydir=$(find "$dest" -path '*-packages/libns' -type d)
[ "$(printf '%s\n' "$pydir" | grep -c .)" = 1 ] || die "expected one installed Python package libns, found: $pydir"
(cd bindings/python/libns && ls ./*.py) | sed 's|^\./||' | sort >"$work/py-want"
(cd "$pydir" && ls ./*.py) | sed 's|^\./||' | sort >"$work/py-got"
cmp -s "$work/py-want" "$work/py-got" ||
	fail "installed Python modules differ from bindings/python/libns: $(diff "$work/py-want" "$work/py-got" | grep '^[<>]' | tr '\n' ' ')"
grep -qx "LIBDIR = '$libdir'" "$pydir/_config.py" || fail "the installed libns/_config.py does not record $libdir"
pydir=${pydir#"$dest"}

# nothing installed beyond those
find "$dest" \( -type f -o -type l \) | sed "s|^$dest||" | sort >"$work/installed"
grep -v -e "^$includedir/libns/[a-z_]*\.h\$" -e "^$libdir/libns\.a\$" -e "^$libdir/libns\.so\$" \
	-e "^$libdir/libns\.so\.0\$" -e "^$libdir/libns\.so\.$version\$" -e "^$libdir/pkgconfig/libns\.pc\$" \
	-e "^$mandir/man3/[a-z_0-9]*\.3\$" -e "^$pydir/[a-z_]*\.py\$" -e "^$prefix/$bindir/ns-[a-z]*\$" \
	-e "^$mandir/man1/ns-[a-z]*\.1\$" "$work/installed" >"$work/stray" || true
[ ! -s "$work/stray" ] || fail "unexpected installed files: $(tr '\n' ' ' <"$work/stray")"
say "layout: $(grep -c . "$work/installed") files; headers, libns.so.0 ($version), libns.a, libns.pc," \
	"$(find "$M/man3" -name '*.3' | wc -l) man pages, $nfuncs public functions, tools ($(echo $tools)) with man1," \
	"Python package in $pydir"

# ---- 3. the outside program, from the installed files only ----
python3 tests/tools/check-outside-uses-all.py include/libns tests/outside/outside.c ||
	fail "tests/outside/outside.c does not call every public function"
PKG_CONFIG_PATH=$L/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$dest
PKG_CONFIG_DISABLE_UNINSTALLED=1
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_DISABLE_UNINSTALLED
[ "$(pkg-config --variable=pcfiledir libns)" = "$L/pkgconfig" ] || die "pkg-config does not find the staged libns.pc"
[ "$(pkg-config --modversion libns)" = "$version" ] || fail "pkg-config --modversion libns is not $version"
cflags=$(pkg-config --cflags libns)
scflags=$(pkg-config --static --cflags libns)
libs=$(pkg-config --libs libns)
slibs=$(pkg-config --static --libs libns)
case "$cflags $scflags" in
*_GNU_SOURCE* | *_DEFAULT_SOURCE* | *_POSIX_C_SOURCE*) fail "libns.pc Cflags set a feature-test macro: $cflags" ;;
esac
say "pkg-config: --cflags '$cflags' --libs '$libs' --static --libs '$slibs'"
strict="-std=c11 -pedantic -Wall -Wextra -Werror"
src=tests/outside/outside.c

run() { # NAME BINARY [ENV...]: run the outside program, which must exit 0
	name=$1 bin=$2
	shift 2
	if env "$@" "$bin" >"$work/$name.out" 2>&1; then
		say "$name: $(tail -n 1 "$work/$name.out")"
	else
		sed 's/^/    /' "$work/$name.out" >&2
		fail "$name: the outside program failed"
	fi
}

# shellcheck disable=SC2086
if $cc $strict -o "$work/outside-shared" $src $cflags $libs 2>"$work/cc.log"; then
	readelf -d "$work/outside-shared" | grep -q 'NEEDED.*\[libns\.so\.0\]' ||
		fail "outside-shared does not need libns.so.0"
	LD_LIBRARY_PATH=$L ldd "$work/outside-shared" | grep -q "libns\.so\.0 => $L/libns\.so\.0" ||
		fail "outside-shared does not load the staged libns.so.0: $(LD_LIBRARY_PATH=$L ldd "$work/outside-shared" | grep libns)"
	# every public function is really referenced by the binary, not only named in the source
	nm -D --undefined-only "$work/outside-shared" | awk '{print $NF}' | sed 's/@.*//' >"$work/used"
	for f in $funcs; do
		grep -qx "$f" "$work/used" || fail "outside-shared does not reference $f"
	done
	run shared "$work/outside-shared" LD_LIBRARY_PATH="$L"
	run shared-fallbacks "$work/outside-shared" LD_LIBRARY_PATH="$L" \
		LIBNS_DISABLE_FEATURES=pidfd_setns,pidfd_get_ns,ns_id,nsfs_handle,pid_translate,listns,mount_api,clone3,clone_into_cgroup,time_ns
else
	cat "$work/cc.log" >&2
	fail "compiling the outside program against the shared library ($cflags $libs)"
fi

# libns.a linked statically, libc and libcap dynamically: how a distribution links a static helper
mixed=$(printf '%s\n' "$slibs" | sed 's/\(^\| \)-lns\( \|$\)/\1-l:libns.a\2/')
# shellcheck disable=SC2086
if $cc $strict -o "$work/outside-libns-static" $src $scflags $mixed 2>"$work/cc.log"; then
	if readelf -d "$work/outside-libns-static" | grep -q 'NEEDED.*libns'; then
		fail "outside-libns-static still needs libns.so"
	fi
	run libns-static "$work/outside-libns-static"
else
	cat "$work/cc.log" >&2
	fail "compiling the outside program with libns.a ($scflags $mixed)"
fi

# fully static: glibc warns that getpwnam_r/getpwuid_r (ns_idmap_from_subid) load NSS modules at run time.
# Debian's libmnl-dev ships no libmnl.a (net.h's rtnetlink), so there is nothing to link a static
# program with: the check runs where a libmnl.a exists.
if [ "$($cc -print-file-name=libmnl.a)" = libmnl.a ]; then
	say "static: skipped, no libmnl.a on this system (Debian's libmnl-dev is shared only)"
else
	# shellcheck disable=SC2086
	if $cc $strict -static -o "$work/outside-static" $src $scflags $slibs 2>"$work/cc.log"; then
		grep -v -e 'statically linked applications requires at runtime' -e 'in function' "$work/cc.log" >&2 || true
		readelf -d "$work/outside-static" | grep -q 'There is no dynamic section' ||
			fail "outside-static is not a static executable"
		run static "$work/outside-static"
	else
		cat "$work/cc.log" >&2
		fail "compiling the outside program fully static ($scflags -static $slibs); libcap.a comes with libcap-dev"
	fi
fi

# ---- 4. the Python package finds the library it was installed with ----
# The same build installed for real into a temporary prefix no loader or interpreter searches: with
# only PYTHONPATH, libns loads the libns.so.0 of the libdir recorded at install, not any other.
meson configure "$build" --prefix="$work/prefix" >"$work/reconf.log" 2>&1 &&
	meson install -C "$build" >"$work/install2.log" 2>&1 ||
	{ cat "$work/reconf.log" "$work/install2.log" >&2; die "meson install -C $build into $work/prefix"; }
site=$(dirname "$(find "$work/prefix" -path '*-packages/libns/_config.py')")
site=$(dirname "$site")
if out=$(cd / && env -u LIBNS_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$site" python3 -c '
import libns, libns._ffi as f
with libns.Namespace.current("net") as ns:
    print(f.path, ns.name, libns.version())' 2>&1); then
	case $out in
	"$work/prefix/"*"/libns.so.0 net $version") say "python: import libns from $site loads $out" ;;
	*) fail "python: import libns loaded something else: $out" ;;
	esac
else
	fail "python: import libns from $site failed: $out"
fi

elapsed=$(( $(date +%s) - start ))
if [ "$failed" != 0 ]; then
	echo "check-install: FAILED (${elapsed}s)" >&2
	exit 1
fi
say "all install checks passed (${elapsed}s)"

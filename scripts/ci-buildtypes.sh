#!/bin/sh
# Builds everything (library, tools, examples, tests, benchmarks) with warnings as errors, for
# compiler/buildtype pairs a distribution uses. CI builds gcc:release and clang:plain; `all` builds
# every pair of gcc and clang with plain, debug, debugoptimized, release and minsize.
#   scripts/ci-buildtypes.sh [all | CC:BUILDTYPE...]
# Build directories: build-bt-CC-BUILDTYPE (kept, so a second run is incremental).
# Run from anywhere on Debian 12 (as root, or with the packages of scripts/lib.sh installed).
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_packages build clang

pairs=${*:-gcc:release clang:plain}
[ "$pairs" != all ] || pairs=$(for cc in gcc clang; do
	for bt in plain debug debugoptimized release minsize; do echo "$cc:$bt"; done
done)
passed=0
failed=0
for pair in $pairs; do
	cc=${pair%%:*}
	bt=${pair#*:}
	dir=build-bt-$cc-$bt
	start=$(date +%s)
	if (CC=$cc; export CC; LIBNS_MESON_ARGS="${LIBNS_MESON_ARGS:-} -Dwerror=true"; ensure_build "$dir" --buildtype="$bt"); then
		passed=$((passed + 1))
		echo "$cc $bt: ok, warning-free ($(( $(date +%s) - start ))s)"
	else
		failed=$((failed + 1))
		echo "$cc $bt: FAILED (warnings are errors here)"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# The two entry points the README promises, for a fresh Debian 12 machine as root:
#   ./run.sh demo   install what is needed, build, run the main demo (ns-tour)
#   ./run.sh test   install what is needed, build, run the whole test suite
# BUILD_DIR (default build) and MESON_ARGS pass through to meson.
set -eu
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}

# The package lists and ensure_build (LIBNS_MESON_ARGS: options for every build, as .ci/run's -Dwerror=true).
. scripts/lib.sh

case "${1:-}" in
demo)
	need_packages build
	# shellcheck disable=SC2086
	ensure_build "$build" ${MESON_ARGS:-}
	exec "$build/examples/ns-tour"
	;;
test)
	need_packages build test
	# shellcheck disable=SC2086
	ensure_build "$build" ${MESON_ARGS:-}
	status=0
	meson test -C "$build" --print-errorlogs ${MESON_TEST_ARGS:-} || status=$?
	/usr/bin/python3 scripts/test-summary.py "$build/meson-logs/testlog.json"
	exit $status
	;;
*)
	echo "usage: ./run.sh demo | test" >&2
	exit 2
	;;
esac

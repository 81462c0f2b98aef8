#!/bin/sh
# The two entry points the README promises, for a fresh Debian 12 machine as root:
#   ./run.sh demo   install what is needed, build, run the main demo (ns-tour)
#   ./run.sh test   install what is needed, build, run the whole test suite
# BUILD_DIR (default build) and MESON_ARGS pass through to meson.
set -eu
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}

# To build everything (the test programs included); the tests also drive these tools and bindings.
build_packages="meson ninja-build gcc g++ pkg-config check libcap-dev python3"
test_packages="uidmap iproute2 util-linux procps iputils-ping golang-go"

configure() {
	if [ ! -f "$build/build.ninja" ]; then
		# shellcheck disable=SC2086
		meson setup "$build" ${MESON_ARGS:-}
	fi
	ninja -C "$build"
}

case "${1:-}" in
demo)
	scripts/install-missing.sh $build_packages
	configure >/dev/null
	exec "$build/examples/ns-tour"
	;;
test)
	scripts/install-missing.sh $build_packages $test_packages
	configure
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

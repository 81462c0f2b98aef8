#!/bin/sh
# The two entry points the README promises, for a fresh Debian 12 machine as root:
#   ./run.sh demo   install what is needed, build, run the main demo (ns-info)
#   ./run.sh test   install what is needed, build, run the whole test suite
# BUILD_DIR (default build) and MESON_ARGS pass through to meson.
set -eu
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}

packages="meson ninja-build gcc g++ pkg-config check libcap-dev uidmap iproute2 util-linux procps iputils-ping python3 golang-go"

install_missing() {
	missing=""
	for p in $packages; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "run.sh: missing packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
	echo "run.sh: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

configure() {
	if [ ! -f "$build/build.ninja" ]; then
		# shellcheck disable=SC2086
		meson setup "$build" ${MESON_ARGS:-}
	fi
	ninja -C "$build"
}

case "${1:-}" in
demo)
	install_missing
	configure >/dev/null
	exec "$build/examples/ns-info"
	;;
test)
	install_missing
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

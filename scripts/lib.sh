# shellcheck shell=sh disable=SC2034
# Sourced by run.sh and the scripts/ci-*.sh scripts (POSIX sh, from the top of the source tree):
# the Debian package lists, in one place, and one way to configure and build a build directory.
#
# LIBNS_MESON_ARGS: meson options every build directory these scripts configure gets (.ci/run sets
# -Dwerror=true; a user's build keeps warnings as warnings).

# To build everything (library, tools, examples, test programs); libbpf-dev, clang and bpftool for
# ns_list_new()'s BPF path (meson -Dbpf=auto builds without them, as -Dbpf=disabled does).
pkgs_build="meson ninja-build gcc g++ pkg-config check libcap-dev libmnl-dev python3 libbpf-dev clang bpftool"
# What the test suite drives besides: util-linux's and iproute2's tools to compare with, the
# unprivileged helpers, the Go toolchain, and pip/setuptools/venv for the Python install test.
pkgs_test="uidmap iproute2 util-linux procps golang-go python3-pip python3-setuptools python3-wheel python3-venv groff-base"
# groff checks the man pages (scripts/check-install.sh, and the tools' conventions test, hence in pkgs_test
# too); man-db reads them as the README's Install section does (scripts/check-readme-install.sh).
pkgs_docs="groff-base man-db"
# clang builds (tests/ci-buildtypes.sh) and libFuzzer (ci-fuzz.sh).
pkgs_clang="clang libclang-rt-14-dev"
pkgs_tsan="libtsan2"
pkgs_valgrind="valgrind"

# need_packages LIST...: install what is missing of the named lists (build test docs clang tsan valgrind).
need_packages() {
	_pkgs=""
	for _list in "$@"; do
		eval "_pkgs=\"\$_pkgs \$pkgs_$_list\""
	done
	# shellcheck disable=SC2086
	scripts/install-missing.sh $_pkgs
}

# ensure_build DIR [MESON-OPTION...]: configure DIR once (with LIBNS_MESON_ARGS and the options),
# re-apply LIBNS_MESON_ARGS to an existing DIR, and build it. NINJA_TARGETS narrows what is built.
ensure_build() {
	_dir=$1
	shift
	if [ ! -f "$_dir/build.ninja" ]; then
		# shellcheck disable=SC2086
		_log=$(meson setup "$_dir" "$@" ${LIBNS_MESON_ARGS:-} 2>&1) || { printf '%s\n' "$_log" >&2; return 1; }
	elif [ -n "${LIBNS_MESON_ARGS:-}" ]; then
		# shellcheck disable=SC2086
		_log=$(meson configure "$_dir" ${LIBNS_MESON_ARGS} 2>&1) || { printf '%s\n' "$_log" >&2; return 1; }
	fi
	# quiet when it builds; the compiler's output when it does not
	# shellcheck disable=SC2086
	_log=$(ninja -C "$_dir" ${NINJA_TARGETS:-} 2>&1) || { printf '%s\n' "$_log" >&2; return 1; }
}

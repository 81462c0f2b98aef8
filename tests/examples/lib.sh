# Sourced by example tests (not a test itself): the common start, and a second run as uid 65534.

# start PROG: $prog (absolute: tests may cd /), $out (a temporary file, removed with $out.* at exit)
start() {
	[ -x "${1:-}" ] || { echo "usage: $0 path/to/program"; exit 1; }
	prog=$(readlink -f "$1")
	out=$(mktemp)
	trap 'rm -f "$out" "$out".*' EXIT
}
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

# need_userns: exit 77 unless root or able to make a user namespace
need_userns() {
	if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
		echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
	fi
}

# nobody_can_run PROG: true if uid 65534 may create a user namespace and reach PROG (a checkout
# under a 0700 directory cannot be run by it). as_nobody PROG...: run it as 65534 from /.
nobody_can_run() {
	(cd / && setpriv --reuid 65534 --regid 65534 --clear-groups sh -c "unshare --user true && test -x '$1'") 2>/dev/null
}
as_nobody() {
	(cd / && setpriv --reuid 65534 --regid 65534 --clear-groups "$@")
}

# rerun_as_nobody: when root, run $prog again as 65534 into $out (failing on a bad status); false,
# with a note, when that cannot be done here. It runs a world-readable copy of $prog and its libns.so.0
# (tests/tools/nobody-copy.sh), so that a checkout under a 0700 directory such as /root is no obstacle.
rerun_as_nobody() {
	[ "$(id -u)" = 0 ] || return 1
	copy=$("$(dirname "$0")/../tools/nobody-copy.sh" "$prog") || fail "cannot copy $prog for uid 65534"
	if ! nobody_can_run "$copy/${prog##*/}"; then
		echo "note: the run as uid 65534 was skipped (no unprivileged user namespaces)"
		rm -rf "$copy"
		return 1
	fi
	status=0
	as_nobody env LD_LIBRARY_PATH="$copy" "$copy/${prog##*/}" >"$out" 2>&1 || status=$?
	rm -rf "$copy"
	[ "$status" = 0 ] || fail "as uid 65534: exit status $status"
}

# Sourced by the example tests that also run their program as uid 65534 (not a test itself).
# nobody_can_run PROG: true if uid 65534 may create a user namespace and reach PROG (a checkout
# under a 0700 directory cannot be run by it). as_nobody PROG...: run it as 65534 from /.
nobody_can_run() {
	(cd / && setpriv --reuid 65534 --regid 65534 --clear-groups sh -c "unshare --user true && test -x '$1'") 2>/dev/null
}
as_nobody() {
	(cd / && setpriv --reuid 65534 --regid 65534 --clear-groups "$@")
}
# need_userns: exit 77 unless root or able to make a user namespace
need_userns() {
	if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
		echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
	fi
}

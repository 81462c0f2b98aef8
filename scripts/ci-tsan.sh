#!/bin/sh
# The threaded stress test (tests/stress.c) under ThreadSanitizer (docs/hardening.md): 8 threads
# racing the feature probes from a cold cache, per-thread error messages, ns_open/ns_get_id/
# ns_list_new/ns_run_in/ns_spawn. Builds into build-tsan, first proves on a tiny racy program that
# the sanitizer reports races here at all, then runs the test for STRESS_SECONDS (default 10) and
# fails on any ThreadSanitizer report, in the process or in a child it forked.
#
# Compiler: gcc's -fsanitize=thread (libtsan2, the same LLVM runtime). clang 14 cannot build this
# project with TSan: its static runtime cannot be linked into libns.so, which is linked with
# -Wl,--no-undefined, and its shared runtime (-shared-libsan) crashes at start-up on this system.
#
# Only the stress test runs here: TSan's runtime starts a thread of its own, so every suite test that
# calls unshare(CLONE_NEWUSER) (refused in a multi-threaded process) would fail for that reason alone.
# ns_run_in() and ns_spawn() fork in a multi-threaded process; the children create no threads, so
# TSan's die_after_fork check never applies and needs no option.
# Run from anywhere as root on Debian 12: ./scripts/ci-tsan.sh
set -eu
cd "$(dirname "$0")/.."
build=${TSAN_BUILD_DIR:-build-tsan}

. scripts/lib.sh
need_packages build tsan
CC=gcc
export CC
NINJA_TARGETS=tests/test-stress
ensure_build "$build" -Db_sanitize=thread -Db_lundef=false -Dexamples=false

export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 history_size=4"

# The canary: a plain data race must be reported (exit 66), or a green run below proves nothing.
canary="$build/tsan-canary"
cat >"$canary.c" <<'C'
#include <pthread.h>
static int shared;
static void *bump(void *arg) { (void)arg; shared++; return 0; }
int main(void) { pthread_t t; pthread_create(&t, 0, bump, 0); shared++; pthread_join(t, 0); return shared == 7; }
C
gcc -fsanitize=thread -g -O0 -pthread "$canary.c" -o "$canary"
status=0
"$canary" >"$canary.log" 2>&1 || status=$?
if [ "$status" -ne 66 ] || ! grep -q 'WARNING: ThreadSanitizer: data race' "$canary.log"; then
	echo "ci-tsan: ThreadSanitizer did not report the canary's race (exit $status); cannot trust a clean run"
	cat "$canary.log"
	exit 1
fi

log="$build/stress-tsan.log"
start=$(date +%s)
status=0
STRESS_SECONDS=${STRESS_SECONDS:-10} "$build/tests/test-stress" >"$log" 2>&1 || status=$?
cat "$log"
reports=$(grep -c 'WARNING: ThreadSanitizer' "$log" || true)
echo "ci-tsan: stress under ThreadSanitizer: exit $status, $reports reports, $(( $(date +%s) - start ))s"
if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then
	echo "0 passed, 1 failed"
	exit 1
fi
echo "1 passed, 0 failed"

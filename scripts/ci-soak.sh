#!/bin/sh
# The soak (bench/soak.c, docs/hardening.md): open/type/id/equal/pin/unpin every iteration, ns_run_in
# and ns_spawn every 10th, ns_list_new every 250th; fds and mounts must stay exactly equal and RSS
# flat from the warm-up to the end. CI runs 5000 iterations (a few seconds); the full soak is
#   ./scripts/ci-soak.sh 100000      (about a minute)
# Builds only bench/soak, in the plain build dir (BUILD_DIR, default build, as ./run.sh uses).
# Run from anywhere as root on Debian 12.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
iterations=${1:-5000}

. scripts/lib.sh
need_packages build
NINJA_TARGETS=bench/soak
ensure_build "$build"
status=0
"$build/bench/soak" "$iterations" || status=$?
if [ "$status" -eq 0 ]; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
fi
exit "$status"

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The whole test suite as on older kernels: for each profile, every test runs under
# tests/tools/kernel-profile (a seccomp filter that fails the newer interfaces the way that release
# does; see the top of tests/tools/kernel-profile.c and docs/hardening.md). Every test must pass, or
# skip with "not available before Linux X.Y".
#
# usage: scripts/ci-old-kernels.sh [BUILD_DIR [PROFILE...]]   (default: build-oldk; 5.4 5.10 6.1 6.11)
# Needs root (the live suites do). About 15-40 s per profile on 2 cores.
set -euo pipefail

cd "$(dirname "$0")/.."
build=${1:-build-oldk}
shift || true
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(5.4 5.10 6.1 6.11)

. scripts/lib.sh
ensure_build "$build"
launcher=$(realpath "$build/tests/tools/kernel-profile")

failed=()
for p in "${profiles[@]}"; do
	echo "=== Linux $p profile: $("$launcher" --list "$p" | wc -l) interfaces removed"
	start=$(date +%s)
	if meson test -C "$build" --no-rebuild --print-errorlogs --num-processes 2 \
		--logbase "testlog-linux-$p" --wrapper "$launcher $p --" > "$build/ci-old-kernels-$p.log" 2>&1; then
		status=ok
	else
		status=FAILED
		failed+=("$p")
	fi
	# each test that did not pass, once (meson repeats failures in its summary)
	grep -E '^ *[0-9]+/[0-9]+ ' "$build/ci-old-kernels-$p.log" | grep -vE ' OK +[0-9.]+s$' | sort -u -n || true
	ok=$(sed -nE 's/^Ok: +([0-9]+).*/\1/p' "$build/ci-old-kernels-$p.log")
	fail=$(sed -nE 's/^Fail: +([0-9]+).*/\1/p' "$build/ci-old-kernels-$p.log")
	skip=$(sed -nE 's/^Skipped: +([0-9]+).*/\1/p' "$build/ci-old-kernels-$p.log")
	timeout=$(sed -nE 's/^Timeout: +([0-9]+).*/\1/p' "$build/ci-old-kernels-$p.log")
	echo "Linux $p: $status in $(( $(date +%s) - start )) s (ok ${ok:-?}, failed ${fail:-?}, skipped ${skip:-?}, timeout ${timeout:-?}); log: $build/ci-old-kernels-$p.log"
	# the skips inside the suites, with their reasons
	grep -hoE '^SKIP [a-z_0-9]+: .*' "$build/meson-logs/testlog-linux-$p-kernel-profile.txt" 2>/dev/null |
		sed 's/^/    /' || true
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "old-kernel profiles with failures: ${failed[*]}"
	exit 1
fi
echo "all old-kernel profiles passed: ${profiles[*]}"

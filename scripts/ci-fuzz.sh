#!/bin/sh
# Bounded fuzzing of every text parser in lib/ (docs/hardening.md): builds the libFuzzer harnesses
# with clang into build-fuzz, replays the committed seeds, then fuzzes each harness in turn for
# FUZZ_SECONDS (default 60). New inputs go to build-fuzz/fuzz-work/NAME (never into fuzz/corpus);
# a crash, sanitizer report or failed property leaves its input in build-fuzz/fuzz-artifacts and makes
# the script exit 1. Run from anywhere as root on Debian 12: ./scripts/ci-fuzz.sh [HARNESS...]
set -eu
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
harnesses=${*:-idmap idmap-kernel subid timens nspid mountinfo procfield typename cidr}

. scripts/lib.sh
need_packages build clang
CC=clang
export CC
ensure_build "$build" -Dfuzz=true -Dtests=false -Dexamples=false -Dtools=false

work="$build/fuzz-work"
artifacts="$build/fuzz-artifacts"
mkdir -p "$work" "$artifacts"
passed=0
failed=0
total_execs=0
for name in $harnesses; do
	seeds=fuzz/corpus/$name
	[ "$name" = idmap-kernel ] && seeds=fuzz/corpus/idmap
	dict=""
	[ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
	mkdir -p "$work/$name"
	log="$work/$name.log"
	start=$(date +%s)
	status=0
	# -error_exitcode: libFuzzer's default of 77 reads as "skipped" to test runners
	# shellcheck disable=SC2086
	"$build/fuzz/fuzz-$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$name-" $dict "$work/$name" "$seeds" \
		>"$log" 2>&1 || status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	corpus=$(find "$work/$name" -type f | wc -l)
	extra=$(sed -n 's/^fuzz-idmap-kernel: //p' "$log")
	total_execs=$((total_execs + ${execs:-0}))
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
		echo "fuzz-$name: ok, ${execs:-?} executions in $(( $(date +%s) - start ))s, corpus $corpus${extra:+, $extra}"
	else
		failed=$((failed + 1))
		echo "fuzz-$name: FAILED (exit $status) after ${execs:-?} executions; input saved under $artifacts:"
		grep -aE 'ERROR:|runtime error|property failed|SUMMARY|Test unit written' "$log" | head -n 20 | sed 's/^/    /'
	fi
done
echo "fuzz: $total_execs executions in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

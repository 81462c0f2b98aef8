#!/bin/sh
# The live test suites under valgrind memcheck (docs/hardening.md). Builds into build-vg (-O0 -g),
# runs every suite of `meson test --suite live` with each test process wrapped in valgrind (Check
# forks a child per test, and valgrind follows forks), then judges the log with
# scripts/valgrind-report.py: any memory error, any
# definite leak, or an fd that library code left open at exit fails the script. tests/valgrind.supp
# holds the few precise suppressions (valgrind false reports, Check's own leaks in forked children).
#
# Test verdicts under valgrind are printed but do not decide the exit status: valgrind 3.19 does not
# implement pidfd_open, clone3, open_tree, move_mount or openat2 (it returns ENOSYS), so libns runs
# its fallback paths there, and the tests that insist on the newest paths fail for that reason alone.
# The plain and ASan/UBSan runs of the same suites judge the verdicts.
#
# Built without BPF (-Dbpf=disabled): valgrind 3.19 does not model bpf(2)'s iterator and link commands,
# and ns_list_new()'s two BPF links, kept for the life of the process by design, would count as fds left
# open at exit. The ASan/UBSan run covers that path.
#
# The threaded stress test is left to scripts/ci-tsan.sh: the children that ns_run_in() and ns_spawn()
# fork while other threads hold fds inherit those fds (O_CLOEXEC acts only at exec), which valgrind
# would count as open at the children's exit.
#
# --error-exitcode is not used: it would replace the exit status of every forked test child.
# Run from anywhere as root on Debian 12: ./scripts/ci-valgrind.sh
set -eu
cd "$(dirname "$0")/.."
build=${VG_BUILD_DIR:-build-vg}
logs="$build/valgrind-logs"

. scripts/lib.sh
need_packages build test valgrind
ensure_build "$build" -Dbuildtype=debug -Dexamples=false -Dbpf=disabled

rm -rf "$logs"
mkdir -p "$logs"
log="$PWD/$logs/valgrind.log"
# One log for every process, appended to through an fd the wrapper opens (meson closes inherited
# fds): with --log-file=%p the children libns starts in new pid namespaces, all pid 1 there, would
# overwrite each other's logs. Tests run one at a time so that no two live processes share a pid.
wrapper="$PWD/$logs/valgrind-wrapper.sh"
cat >"$wrapper" <<WRAP
#!/bin/sh
exec 9>>"$log"
exec valgrind --log-fd=9 --fullpath-after= --num-callers=40 --leak-check=full \\
	--errors-for-leak-kinds=definite --track-fds=yes --suppressions="$PWD/tests/valgrind.supp" "\$@"
WRAP
chmod +x "$wrapper"
start=$(date +%s)
# The verdicts are informational (valgrind lacks the newest syscalls); the report below decides.
meson test -C "$build" --suite live --num-processes 1 --timeout-multiplier 10 --wrapper "$wrapper" \
	>"$logs/meson-test.txt" 2>&1 || true
echo "ci-valgrind: test verdicts under valgrind ($(( $(date +%s) - start ))s; failures here are informational):"
grep -E '^ *[0-9]+/[0-9]+ ' "$logs/meson-test.txt" | sed 's/^/    /'
/usr/bin/python3 scripts/valgrind-report.py "$log"

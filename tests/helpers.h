/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared fixtures for the Check suites: skips, fd-leak checks, target processes, privilege drops. */
#ifndef LIBNS_TEST_HELPERS_H
#define LIBNS_TEST_HELPERS_H

#include <check.h>
#include <stdbool.h>
#include <sys/types.h>
#include <libns/libns.h>

#define NS_TEST_SKIP 77

#include "fdcount.h" /* nst_fd_count() */

/* A fixture that fails the test if it ends with more or fewer fds than it started with. */
void nst_fd_setup(void);
void nst_fd_teardown(void);

/* A TCase with the fd-leak fixture and a generous timeout. */
TCase *nst_tcase(const char *name);

/*
 * Add test `fn` to `tc` unless `skip_reason` is non-NULL, in which case the skip and its reason are
 * printed and counted. Suites built only of skipped tests make the runner exit 77.
 */
#define nst_add(tc, fn, skip_reason) nst_add_impl((tc), (fn), #fn, (skip_reason))
void nst_add_impl(TCase *tc, const TTest *fn, const char *name, const char *skip_reason);

/* NULL when running as root, otherwise a reason to skip. */
const char *nst_need_root(void);
/* NULL when the kernel has `feature`, otherwise "not available before Linux X.Y"-style reason. */
const char *nst_need_feature(int feature);

/* Run the suite in Check's fork mode; exit status for main(): 0, 1 on failures, 77 if all skipped. */
int nst_run(Suite *s);

/*
 * mkdtemp() a directory "TAG-XXXXXX" into buf, inside a directory nst_run() made (mode 01777, as /tmp)
 * and removes after the suite, together with anything mounted under it in the runner's mount
 * namespace: a test that fails an assertion, times out or skips leaves nothing behind. Fails the
 * test when it cannot.
 */
char *nst_tmpdir(char *buf, size_t size, const char *tag);

/*
 * A child that unshares `types` (0 for none) and then waits until killed. Returns its pid; the child
 * has finished unsharing when this returns. `pidfd` (may be NULL) receives a pidfd for it.
 */
pid_t nst_spawn_target(unsigned types, int *pidfd);
/* SIGKILL and reap a target; closes *pidfd if not NULL and >= 0. */
void nst_kill(pid_t pid, int *pidfd);

/* A pid that is guaranteed not to be in use right now (an exited, reaped child). */
pid_t nst_dead_pid(void);

/* fork(); in the child, drop to uid/gid 65534 with no groups and no capabilities. Returns fork()'s value. */
pid_t nst_fork_unprivileged(void);
/* Wait for a child and return its exit status (or 128+signal). */
int nst_wait(pid_t pid);
/*
 * Wait for a child that checks with NST_CHILD_CHECK and assert it exited 0. Exit 77 means the check
 * could not run in this process (CK_FORK=no: an earlier test already probed or loaded what it
 * needed); that is said, as "WHAT: not checked, WHY", rather than passed silently.
 */
void nst_assert_child(pid_t pid, const char *what, const char *why);

/* In a forked child without Check: report and exit non-zero when cond is false. */
#define NST_CHILD_CHECK(cond) do { if (!(cond)) { nst_child_fail(__FILE__, __LINE__, #cond); } } while (0)
void nst_child_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* Inode of /proc/self/ns/NAME (or /proc/PID/ns/NAME for pid > 0), read with stat(2). */
unsigned long long nst_proc_ns_ino(pid_t pid, const char *name);

/*
 * Cap this process's address space (RLIMIT_AS), so that code that would read for ever fails instead
 * of eating the machine's memory. Does nothing under AddressSanitizer, which reserves far more.
 */
void nst_limit_memory(unsigned long bytes);

/* Make features look absent to libns (before its first probe in this process): "pidfd_get_ns,ns_id". */
void nst_disable_features(const char *list);

#endif

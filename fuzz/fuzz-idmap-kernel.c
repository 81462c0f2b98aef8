/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The id-map parser against the kernel, on fuzzed text (tests/idmap.c does the same on a fixed table):
 * whatever ns_idmap_parse_buf() accepts, the kernel must accept when written verbatim as the uid_map
 * of a fresh child user namespace, and read back as the same ranges. libns is stricter than the kernel
 * on purpose (it refuses what the kernel would silently truncate), so a text libns refuses is not
 * written: that direction is only counted. Needs root; each accepted input costs a fork.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libns/libns.h>
#include "fuzz.h"

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* A child that sits in a new user namespace until killed; -1 if it could not be made. */
static pid_t userns_child(void)
{
	int p[2];
	char c = 1;
	ssize_t r = -1;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		c = unshare(CLONE_NEWUSER) == 0 ? 0 : 1;
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	/* libFuzzer's -timeout alarm (SIGALRM, once a second) interrupts blocking calls */
	while (pid > 0 && (r = read(p[0], &c, 1)) < 0 && errno == EINTR)
		;
	if (pid > 0 && r != 1)
		c = 1;
	close(p[0]);
	if (pid > 0 && c != 0) {
		reap(pid);
		return -1;
	}
	return pid;
}

static unsigned long kernel_checks;

/* How much of the run reached the kernel: most mutated texts are refused by libns first. */
__attribute__((destructor)) static void report(void)
{
	fprintf(stderr, "fuzz-idmap-kernel: %lu accepted texts checked against the kernel\n", kernel_checks);
}

static int sort_ranges(const void *a, const void *b)
{
	const struct ns_idmap_range *x = a, *y = b;

	return x->inside < y->inside ? -1 : x->inside > y->inside;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char readback[16384];
	struct ns_idmap mine, theirs;
	char path[64];
	ssize_t w, len = 0, n;
	int fd, err, r;
	pid_t pid;

	if (ns_idmap_parse_buf((const char *)data, size, &mine) < 0)
		return 0;
	kernel_checks++;
	pid = userns_child();
	FUZZ_CHECK(pid > 0, "cannot make a child user namespace (run as root): %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	FUZZ_CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	/* the text verbatim, in one write, as a program without libns would write it */
	w = write(fd, data, size);
	err = errno;
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	FUZZ_CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	while ((n = read(fd, readback + len, sizeof(readback) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	reap(pid);
	FUZZ_CHECK(w == (ssize_t)size, "libns accepts this text (%u ranges), the kernel refuses it: %s",
		   mine.n, w < 0 ? strerror(err) : "short write");
	readback[len] = '\0';
	/* the kernel pads its columns ("%10u %10u %10u\n"), which the parser takes as blanks */
	r = ns_idmap_parse(readback, &theirs);
	FUZZ_CHECK(r == (int)mine.n, "the kernel reads back %d ranges, libns parsed %u:\n%s", r, mine.n, readback);
	/* the kernel lists maps of more than five extents sorted by inside id */
	qsort(mine.range, mine.n, sizeof(mine.range[0]), sort_ranges);
	qsort(theirs.range, theirs.n, sizeof(theirs.range[0]), sort_ranges);
	FUZZ_CHECK(memcmp(mine.range, theirs.range, mine.n * sizeof(mine.range[0])) == 0,
		   "the kernel made other ranges of it:\n%s", readback);
	return 0;
}

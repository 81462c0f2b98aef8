/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * time-offset: uptime shifted by a time namespace: the child's machine has been up a year longer.
 *
 *   time-offset [BOOTTIME_SECONDS [MONOTONIC_SECONDS]]    (defaults: 365 days, 7 days)
 *
 * The concept: a time namespace carries offsets for two clocks, CLOCK_BOOTTIME (time since boot,
 * what /proc/uptime and `uptime` show) and CLOCK_MONOTONIC (the same without the time spent
 * suspended). Processes inside read the host's clock plus the offset; nothing else changes, and
 * CLOCK_REALTIME, the wall clock, is not namespaced at all. The offsets can be written only
 * before the first process enters the namespace; ns_spawn() writes them (to
 * /proc/PID/timens_offsets) while the child waits, then lets it in. A checkpointed container
 * restored on another machine uses this to keep its clocks from jumping back.
 *
 * What you should see: for each clock the host's value, the child's, and their difference: the
 * offset for uptime and CLOCK_BOOTTIME, the monotonic offset for CLOCK_MONOTONIC, zero for
 * CLOCK_REALTIME; then the offsets as the kernel lists them in /proc/PID/timens_offsets.
 *
 * With util-linux: `unshare --time --boottime 31536000 uptime`; with libns's own tool:
 * `ns-run --boottime 31536000 -- uptime`.
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct clocks {
	double uptime, boottime, monotonic, realtime;   /* seconds */
};

static double seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void read_clocks(struct clocks *c)
{
	FILE *f = fopen("/proc/uptime", "re");

	c->uptime = -1;
	if (f) {
		if (fscanf(f, "%lf", &c->uptime) != 1)
			c->uptime = -1;
		fclose(f);
	}
	c->boottime = seconds(CLOCK_BOOTTIME);
	c->monotonic = seconds(CLOCK_MONOTONIC);
	c->realtime = seconds(CLOCK_REALTIME);
}

static int sock[2];  /* the child sends its clocks on sock[1], then waits for the parent to close sock[0] */

/* Runs in the child, inside its time namespace with the offsets already in place. */
static int child(void *arg)
{
	struct clocks c;
	char x;

	(void)arg;
	close(sock[0]);
	read_clocks(&c);
	if (write(sock[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
		return 1;
	while (read(sock[1], &x, 1) < 0)
		;
	return 0;
}

static void row(const char *name, double host, double inside)
{
	double d = inside - host;
	long long s = (long long)(d + (d < 0 ? -0.5 : 0.5));   /* whole seconds: the readings are ms apart */

	printf("%-16s %16.2f %16.2f %+14lld s  (%+.2f days)\n", name, host, inside, s, (double)s / 86400);
}

int main(int argc, char **argv)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct timespec boottime = { .tv_sec = 365 * 86400 }, monotonic = { .tv_sec = 7 * 86400 };
	struct clocks host, inside;
	char path[64], line[128];
	int pidfd, status;
	pid_t pid;
	FILE *f;

	if (argc > 1)
		boottime.tv_sec = strtol(argv[1], NULL, 0);
	if (argc > 2)
		monotonic.tv_sec = strtol(argv[2], NULL, 0);
	if (!ns_has_feature(NS_FEATURE_TIME_NS)) {
		fprintf(stderr, "time-offset: this kernel has no time namespaces (Linux 5.6)\n");
		return 1;
	}
	opts.new_types = NS_TYPE_TIME;
	opts.boottime_offset = &boottime;
	opts.monotonic_offset = &monotonic;
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	if (geteuid() != 0) {
		/* Without root, a user namespace of our own grants the capabilities this needs. */
		opts.new_types |= NS_TYPE_USER;
		opts.flags |= NS_SPAWN_MAP_ROOT;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) {
		perror("socketpair");
		return 1;
	}
	printf("a time namespace with CLOCK_BOOTTIME %+ld s and CLOCK_MONOTONIC %+ld s\n\n", (long)boottime.tv_sec,
	       (long)monotonic.tv_sec);
	fflush(stdout);
	pid = ns_spawn(&opts, child, NULL, &pidfd);
	close(sock[1]);
	if (pid < 0) {
		fprintf(stderr, "time-offset: %s\n", ns_last_error());
		close(sock[0]);
		return 1;
	}
	if (read(sock[0], &inside, sizeof(inside)) != (ssize_t)sizeof(inside)) {
		fprintf(stderr, "time-offset: the child sent no clocks\n");
		inside.uptime = -1;
	}
	read_clocks(&host); /* right after: both readings are within a few milliseconds */

	if (inside.uptime >= 0) {
		printf("%-16s %16s %16s %16s\n", "clock", "host", "inside", "difference");
		row("/proc/uptime", host.uptime, inside.uptime);
		row("CLOCK_BOOTTIME", host.boottime, inside.boottime);
		row("CLOCK_MONOTONIC", host.monotonic, inside.monotonic);
		row("CLOCK_REALTIME", host.realtime, inside.realtime);
	}
	/* The offsets as the kernel holds them, in the child's namespace. */
	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", (int)pid);
	f = fopen(path, "re");
	if (f) {
		printf("\n%s:\n", path);
		while (fgets(line, sizeof(line), f))
			printf("  %s", line);
		fclose(f);
	}
	fflush(stdout);
	close(sock[0]);
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "time-offset: %s\n", ns_last_error());
		return 1;
	}
	close(pidfd);
	return inside.uptime >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

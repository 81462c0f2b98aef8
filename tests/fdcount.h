/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fd counter of the fd-leak checks, shared by the Check suites (helpers.c), the stress test and the
 * soak benchmark. tests/outside keeps its own copy: it may use the installed headers only.
 */
#ifndef NST_FDCOUNT_H
#define NST_FDCOUNT_H

#include <dirent.h>
#include <string.h>
#include <unistd.h>

/*
 * Open fds of this process, the directory stream's own not counted; -1 if /proc/self/fd is unreadable.
 * Nor are the two BPF links ns_list_new() loads on first use and keeps for the process's life.
 */
static inline int nst_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char link[32];
		ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);

		if (e->d_name[0] != '.' && !(len == 19 && memcmp(link, "anon_inode:bpf_link", 19) == 0))
			n++;
	}
	closedir(d);
	return n - 1;
}

#endif

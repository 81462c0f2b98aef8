/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ns_list_new()'s in-kernel first phase (list-bpf.c), private to list.c. */
#ifndef LIBNS_LIST_BPF_H
#define LIBNS_LIST_BPF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Where the iterators' findings go: list.c's own phase-1 bookkeeping, as the /proc scan feeds it. */
struct ns__list_sink {
	int (*process)(void *ctx, pid_t pid, int type, uint64_t ino);
	int (*fd)(void *ctx, pid_t pid, int fd, int type, uint64_t ino);
	void *ctx;
};

#ifdef LIBNS_HAVE_BPF
/*
 * Feed sink with every process's namespaces (and, if fds, every nsfs fd) of the caller's pid
 * namespace, when the BPF path may be taken for this caller and the /proc mounted at procfd (see
 * ns_list_new(3)). 1: done; 0: not taken, nothing fed; -ESTALE: failed after feeding some (start
 * over with /proc); other -errno: the sink's error. required (NS_LIST_BPF_ONLY): every "not taken"
 * is an error instead, with its message.
 */
int ns__list_bpf(int procfd, bool fds, bool required, const struct ns__list_sink *sink);
#else
/* NS_FEATURE_BPF_ITER is absent: list.c refuses NS_LIST_BPF_ONLY before coming here */
static inline int ns__list_bpf(int procfd, bool fds, bool required, const struct ns__list_sink *sink)
{
	(void)procfd, (void)fds, (void)required, (void)sink;
	return 0;
}
#endif

#endif

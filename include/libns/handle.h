/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_HANDLE_H
#define LIBNS_HANDLE_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Open the namespace children will get (pid_for_children, time_for_children) instead of the current one. */
#define NS_OPEN_FOR_CHILDREN 0x1u

struct ns_id {
	uint64_t id;   /* the kernel's 64-bit namespace id (NS_GET_ID); 0 where the kernel has none */
	uint64_t dev;  /* st_dev of the nsfs inode */
	uint64_t ino;  /* st_ino of the nsfs inode, the number in "net:[4026531840]" */
};

int ns_open(pid_t pid, int type, unsigned flags);
int ns_open_pidfd(int pidfd, int type, unsigned flags);
int ns_open_path(const char *path, int expected_type, unsigned flags);
int ns_open_by_id(uint64_t ns_id, int type, unsigned flags);
int ns_type_of(int nsfd);
int ns_get_id(int nsfd, struct ns_id *out);
int ns_equal(int nsfd_a, int nsfd_b);
int ns_pidfd_open(pid_t pid, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif

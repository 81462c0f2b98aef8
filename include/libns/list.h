/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_LIST_H
#define LIBNS_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <libns/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What keeps a listed namespace alive (ns_entry.held_by; several bits may be set). */
#define NS_HELD_BY_PROCESS   0x1u  /* a process is in it (its /proc/PID/ns link points at it) */
#define NS_HELD_BY_FD        0x2u  /* a process has it open (an nsfs fd in /proc/PID/fd) */
#define NS_HELD_BY_MOUNT     0x4u  /* bind-mounted in the caller's mount namespace */
#define NS_HELD_BY_NAMESPACE 0x8u  /* found only as the owning user namespace or parent of a listed one */

/* ns_list_new() flags */
#define NS_LIST_NO_FDS    0x1u  /* skip the /proc/PID/fd scan (about halves the cost; fd-only namespaces missed) */
#define NS_LIST_NO_MOUNTS 0x2u  /* skip the mountinfo scan (bind-mounted-only namespaces missed) */
#define NS_LIST_PROC_ONLY 0x4u  /* never the BPF iterators: always the /proc scan */
#define NS_LIST_BPF_ONLY  0x8u  /* the BPF iterators or fail (EOPNOTSUPP, EPERM): never the /proc scan */

struct ns_entry {
	int type;
	struct ns_id id;
	uint32_t nprocs;
	pid_t pid;                 /* lowest pid in it; 0 if held only by a mount or fd */
	uid_t owner_uid;           /* owner of its user namespace; (uid_t)-1 if not visible */
	uint64_t userns_ino, parent_ino;   /* 0 if none or not visible */
	char command[64];          /* of pid */
	unsigned held_by;          /* NS_HELD_BY_* */
};

struct ns_list;

int ns_list_new(unsigned types, unsigned flags, struct ns_list **out);
size_t ns_list_count(const struct ns_list *list);
const struct ns_entry *ns_list_get(const struct ns_list *list, size_t i);
void ns_list_free(struct ns_list *list);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_SPAWN_H
#define LIBNS_SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <libns/enter.h>
#include <libns/idmap.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NS_SPAWN_MAP_ROOT        0x01u
#define NS_SPAWN_MAP_CURRENT     0x02u
#define NS_SPAWN_MOUNT_PROC      0x04u
#define NS_SPAWN_DIE_WITH_PARENT 0x08u
#define NS_SPAWN_SETGROUPS_DENY  0x10u
#define NS_SPAWN_INTO_CGROUP     0x20u
#define NS_SPAWN_IDMAP_HELPER    0x40u  /* write uid_map/gid_map through newuidmap/newgidmap */
#define NS_SPAWN_DROP_CAPS       0x80u  /* drop every capability not in keep_caps, before running */

struct ns_spawn_opts {                 /* zero-initialise; set size = sizeof */
	size_t size;
	unsigned new_types;                /* namespaces to create */
	int join_pidfd;                    /* read only when join_types != 0 */
	unsigned join_types;               /* namespaces of join_pidfd to join first */
	unsigned flags;                    /* NS_SPAWN_* */
	const struct ns_idmap *uid_map, *gid_map;
	const char *hostname;
	const char *root;                  /* new root (pivot_root), or NULL */
	const struct timespec *monotonic_offset, *boottime_offset;
	int cgroup_fd;                     /* read only with NS_SPAWN_INTO_CGROUP */
	/* ---- fields after this line were added after the first version; append only ---- */
	uint64_t keep_caps;                /* with NS_SPAWN_DROP_CAPS: bit n keeps capability n */
};

#define NS_SPAWN_OPTS_INIT { .size = sizeof(struct ns_spawn_opts) }

int ns_spawn(const struct ns_spawn_opts *opts, ns_fn fn, void *arg, int *pidfd_out);
int ns_spawn_exec(const struct ns_spawn_opts *opts, const char *path, char *const argv[],
		  char *const envp[], int *pidfd_out);
int ns_wait(int pidfd, int *status);

#ifdef __cplusplus
}
#endif
#endif

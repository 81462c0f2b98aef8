/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_TYPES_H
#define LIBNS_TYPES_H

#ifdef __cplusplus
extern "C" {
#endif

#define LIBNS_VERSION_MAJOR 0
#define LIBNS_VERSION_MINOR 2
#define LIBNS_VERSION_MICRO 0

/*
 * A namespace type is its CLONE_NEW* flag: the value NS_GET_NSTYPE returns and setns() takes. No enum
 * tag: glibc's <arpa/nameser.h> declares `ns_type`, which a tag of that name breaks in C++.
 */
enum {
	NS_TYPE_MNT    = 0x00020000,
	NS_TYPE_CGROUP = 0x02000000,
	NS_TYPE_UTS    = 0x04000000,
	NS_TYPE_IPC    = 0x08000000,
	NS_TYPE_USER   = 0x10000000,
	NS_TYPE_PID    = 0x20000000,
	NS_TYPE_NET    = 0x40000000,
	NS_TYPE_TIME   = 0x00000080
};

#define NS_TYPES_ALL (NS_TYPE_MNT | NS_TYPE_CGROUP | NS_TYPE_UTS | NS_TYPE_IPC | \
		      NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_NET | NS_TYPE_TIME)

/* Kernel features libns probes once at run time; each is one bit, ns_features() returns their or. */
enum ns_feature {
	NS_FEATURE_PIDFD            = 1 << 0,  /* pidfd_open(), Linux 5.3 */
	NS_FEATURE_PIDFD_SETNS      = 1 << 1,  /* setns(pidfd, mask), Linux 5.8 */
	NS_FEATURE_PIDFD_GET_NS     = 1 << 2,  /* PIDFD_GET_*_NAMESPACE, Linux 6.11 */
	NS_FEATURE_CLONE3           = 1 << 3,  /* clone3(), Linux 5.3 */
	NS_FEATURE_NS_ID            = 1 << 4,  /* NS_GET_ID for every type, Linux 6.18 */
	NS_FEATURE_NSFS_HANDLE      = 1 << 5,  /* nsfs file handles, Linux 6.18 */
	NS_FEATURE_PID_TRANSLATE    = 1 << 6,  /* NS_GET_{PID,TGID}_{FROM,IN}_PIDNS, Linux 6.11 */
	NS_FEATURE_LISTNS           = 1 << 7,  /* listns(), Linux 6.19 */
	NS_FEATURE_TIME_NS          = 1 << 8,  /* time namespaces, Linux 5.6 */
	NS_FEATURE_CLONE_INTO_CGROUP = 1 << 9, /* clone3 CLONE_INTO_CGROUP, Linux 5.7 */
	NS_FEATURE_MOUNT_API        = 1 << 10, /* open_tree()/move_mount(), Linux 5.2 */
	NS_FEATURE_BPF_ITER         = 1 << 11  /* BPF task iterators for ns_list_new(): built with libbpf, BTF, Linux 5.8 */
};

#define NS_FEATURES_ALL ((1 << 12) - 1)

const char *ns_type_name(int type);
int ns_type_from_name(const char *name);
int ns_has_feature(int feature);
int ns_features(void);
const char *ns_feature_name(int feature);
const char *ns_version(void);

#ifdef __cplusplus
}
#endif
#endif

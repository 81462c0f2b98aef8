/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The spawn feature's private header: what its parent side, child side and error prose share. */
#ifndef LIBNS_SPAWN_INTERNAL_H
#define LIBNS_SPAWN_INTERNAL_H

#include <signal.h>
#include "internal.h"

/* The struct's first version ends at cgroup_fd (spawn.h marks the line); later fields are read only when size covers them. */
#define SPAWN_OPTS_SIZE_VER0 (offsetof(struct ns_spawn_opts, cgroup_fd) + sizeof(int))
/* clone3 and openat2 refuse larger structs the same way; the bytes must be read to prove them zero. */
#define SPAWN_OPTS_SIZE_MAX 4096

#define SPAWN_FLAGS_ALL (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT | NS_SPAWN_MOUNT_PROC | \
			 NS_SPAWN_DIE_WITH_PARENT | NS_SPAWN_SETGROUPS_DENY | NS_SPAWN_INTO_CGROUP | \
			 NS_SPAWN_IDMAP_HELPER | NS_SPAWN_DROP_CAPS)

/* A map is written in one write() of less than a page (kernel rule since 4.15: 340 lines must fit). */
#define MAP_TEXT_MAX 4096


/* What the child reports over the close-on-exec pipe: a stage, an errno and a detail (type, cap, pid). */
enum stage {
	ST_READY = 1,      /* not a failure: the child made the namespaces the parent writes into */
	ST_PID,            /* not a failure: the intermediate's report of the final child's pid */
	ST_PREPARED,       /* not a failure: every step before the parent's writes succeeded */
	ST_PDEATHSIG,
	ST_JOIN,
	ST_JOIN_CREDS,
	ST_ROOT_CREDS,
	ST_CLONE,
	ST_UNSHARE,
	ST_TIMENS,
	ST_HOSTNAME,
	ST_PRIVATE,
	ST_ROOT_BIND,
	ST_ROOT_CHDIR,
	ST_PROC,
	ST_PIVOT,
	ST_OLD_ROOT,
	ST_CAPS,
	ST_SIGMASK,
	ST_EXEC,
};

struct report {
	int32_t stage;
	int32_t err;
	int64_t value;
};

enum time_mode {
	TIME_NONE,       /* no new time namespace, or clone3 made it with the clone flags */
	TIME_UNSHARE,    /* clone() cannot take CLONE_NEWTIME: unshare it, then enter it at once */
	TIME_OFFSETS,    /* unshare it, let the parent write the offsets, then enter it */
};

/*
 * Everything the child needs, prepared by the parent before clone: the child runs only
 * async-signal-safe system calls on these (the caller may be multi-threaded, and another
 * thread may have held the malloc or stdio locks at the moment of the clone).
 */
struct spawn {
	const char *fn_name;
	struct ns_spawn_opts o;

	/* clone */
	uint64_t clone_flags;      /* namespaces and options for the process that runs the program */
	bool use_clone3;
	pid_t parent_pid;          /* getppid() the child expects, 0 when its pid namespace hides the parent */
	sigset_t caller_mask;

	/* join */
	unsigned join_types;       /* types to enter, minus those already shared */
	bool join_pidfd_setns;
	int join_fds[NS_NTYPES];       /* fallback: one nsfs fd per row of ns__types (setns order), or -1 */

	/* parent-side writes */
	bool wait_for_parent;
	bool dumpable_while_waiting; /* a joining child an unprivileged parent writes /proc files of */
	enum time_mode time_mode;
	bool write_setgroups_deny;
	bool helper_maps;
	bool root_uid, root_gid;   /* explicit maps give 0 inside: become it once they are written */
	size_t uid_len, gid_len;
	bool has_offsets;
	dev_t go_dev;              /* the go pipe, which identifies the child's /proc entry */
	ino_t go_ino;
	int go_rd_child;           /* its number in the child */

	/* child steps */
	size_t hostname_len;
	bool make_private;
	bool mount_proc;
	int cap_last;
	uint64_t keep_caps;
	bool prepared_report;      /* steps before the parent's writes can fail: the child reports their end */
	bool wait_for_exec;        /* steps after them can fail (or exec): the parent waits for end of file */

	/* pipes: parent -> child (go), child -> parent (reports); both O_CLOEXEC */
	int go_rd, go_wr, go_keep, rep_rd, rep_wr;

	/* what to run */
	ns_fn fn;
	void *arg;
	const char *path;
	char *const *argv;
	char *const *envp;

	/* parent's view of the result */
	pid_t pid;                 /* the process that runs the program */
	pid_t proc_pid;            /* the same as /proc numbers it */
	unsigned seen;             /* 1 << stage for each ST_READY, ST_PID, ST_PREPARED received */
	pid_t intermediate;        /* the joining process, while unreaped */
	int pidfd;

	/* last: large, and touched only before the clone (fewer copy-on-write faults after it) */
	char uid_text[MAP_TEXT_MAX], gid_text[MAP_TEXT_MAX];
};

/* spawn-prepare.c: fill s from the caller's options (s is cleared first); on failure nothing stays open. */
int ns__spawn_prepare(struct spawn *s, const struct ns_spawn_opts *uopts);
void ns__spawn_close_join_fds(struct spawn *s);

/* spawn-child.c: the clone itself (also the intermediate's), and the child's whole life after it. */
long ns__spawn_clone(const struct spawn *s, uint64_t flags, int *pidfd);
_Noreturn void ns__spawn_child_main(struct spawn *s);

/* spawn-errors.c: the messages for what the child reported and for the parent's own failures. */
int ns__spawn_fail_wrapped(const struct spawn *s, int neg_err, const char *what);
int ns__spawn_child_error(struct spawn *s, const struct report *rep);
int ns__spawn_map_write_error(struct spawn *s, int r, const char *name);
int ns__spawn_clone_error(struct spawn *s, int err);

#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_spawn()'s preparation, all of it before the clone and in the parent: the options checked and
 * copied (size-versioned like libbpf's opts), the id maps formatted, the namespaces to join opened.
 * The child only reads what this leaves in struct spawn.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "spawn-internal.h"
#include "syscall.h"

static int check_opts(struct spawn *s, const struct ns_spawn_opts *uopts)
{
	const char *fn = s->fn_name;
	const unsigned char *bytes = (const unsigned char *)uopts;
	struct ns_spawn_opts *o = &s->o;
	unsigned uts, pid;
	int r;

	memset(o, 0, sizeof(*o));
	if (uopts) {
		if (uopts->size < SPAWN_OPTS_SIZE_VER0)
			return ns__fail(EINVAL, "%s: opts->size %zu is smaller than the first struct ns_spawn_opts "
					"(%zu): set it to sizeof(struct ns_spawn_opts)", fn, uopts->size,
					(size_t)SPAWN_OPTS_SIZE_VER0);
		if (uopts->size > SPAWN_OPTS_SIZE_MAX)
			return ns__fail(E2BIG, "%s: opts->size %zu is larger than any struct ns_spawn_opts",
					fn, uopts->size);
		for (size_t i = sizeof(*o); i < uopts->size; i++)
			if (bytes[i])
				return ns__fail(E2BIG, "%s: opts has non-zero bytes past the %zu this libns knows "
						"(built against a newer libns?)", fn, sizeof(*o));
		memcpy(o, uopts, uopts->size < sizeof(*o) ? uopts->size : sizeof(*o));
	}
	o->size = sizeof(*o);
	if (!(o->flags & NS_SPAWN_INTO_CGROUP))
		o->cgroup_fd = -1;
	r = ns__check_flags(fn, o->flags, SPAWN_FLAGS_ALL);
	if (r < 0)
		return r;
	if (o->new_types & ~(unsigned)NS_TYPES_ALL)
		return ns__fail(EINVAL, "%s: new_types has bits 0x%x that are no namespace type", fn,
				o->new_types & ~(unsigned)NS_TYPES_ALL);
	if (!o->join_types)
		o->join_pidfd = -1;
	if (o->join_types & ~(unsigned)NS_TYPES_ALL)
		return ns__fail(EINVAL, "%s: join_types has bits 0x%x that are no namespace type", fn,
				o->join_types & ~(unsigned)NS_TYPES_ALL);
	if (o->new_types & o->join_types)
		return ns__fail(EINVAL, "%s: a namespace type cannot be both created and joined (0x%x)", fn,
				o->new_types & o->join_types);
	if (o->join_types && o->join_pidfd < 0)
		return ns__fail(EBADF, "%s: join_types is set but join_pidfd %d is not a file descriptor", fn,
				o->join_pidfd);
	r = ns__need_types(fn, o->new_types | o->join_types);
	if (r < 0)
		return r;

	/* id maps */
	if ((o->flags & NS_SPAWN_MAP_ROOT) && (o->flags & NS_SPAWN_MAP_CURRENT))
		return ns__fail(EINVAL, "%s: NS_SPAWN_MAP_ROOT and NS_SPAWN_MAP_CURRENT exclude each other", fn);
	if ((o->flags & (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT)) && (o->uid_map || o->gid_map))
		return ns__fail(EINVAL, "%s: NS_SPAWN_MAP_ROOT/MAP_CURRENT exclude explicit uid_map/gid_map", fn);
	if (!(o->new_types & NS_TYPE_USER) &&
	    ((o->flags & (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT | NS_SPAWN_SETGROUPS_DENY |
			  NS_SPAWN_IDMAP_HELPER)) || o->uid_map || o->gid_map))
		return ns__fail(EINVAL, "%s: id maps and setgroups need a new user namespace (NS_TYPE_USER in "
				"new_types)", fn);
	if ((o->flags & NS_SPAWN_IDMAP_HELPER) && !o->uid_map && !o->gid_map)
		return ns__fail(EINVAL, "%s: NS_SPAWN_IDMAP_HELPER needs an explicit uid_map or gid_map", fn);

	/* the child's steps */
	uts = (o->new_types | o->join_types) & NS_TYPE_UTS;
	pid = (o->new_types | o->join_types) & NS_TYPE_PID;
	if (o->hostname) {
		s->hostname_len = strlen(o->hostname);
		if (!uts)
			return ns__fail(EINVAL, "%s: a hostname needs a new or joined UTS namespace (NS_TYPE_UTS); "
					"it would rename the caller's host", fn);
		if (s->hostname_len > 64)
			return ns__fail(EINVAL, "%s: hostname \"%.20s...\" is longer than 64 bytes", fn, o->hostname);
	}
	if ((o->flags & NS_SPAWN_MOUNT_PROC) && (!pid || !(o->new_types & NS_TYPE_MNT)))
		return ns__fail(EINVAL, "%s: NS_SPAWN_MOUNT_PROC needs a new mount namespace and a new (or joined) "
				"pid namespace (NS_TYPE_MNT | NS_TYPE_PID)", fn);
	if (o->root && (!*o->root || !(o->new_types & NS_TYPE_MNT)))
		return ns__fail(EINVAL, "%s: %s", fn, *o->root ? "a new root needs a new mount namespace "
				"(NS_TYPE_MNT in new_types)" : "root is an empty string");
	if ((o->monotonic_offset || o->boottime_offset) && !(o->new_types & NS_TYPE_TIME))
		return ns__fail(EINVAL, "%s: time offsets need a new time namespace (NS_TYPE_TIME in new_types)", fn);
	if ((o->monotonic_offset && (o->monotonic_offset->tv_nsec < 0 || o->monotonic_offset->tv_nsec >= 1000000000)) ||
	    (o->boottime_offset && (o->boottime_offset->tv_nsec < 0 || o->boottime_offset->tv_nsec >= 1000000000)))
		return ns__fail(EINVAL, "%s: a time offset's tv_nsec is outside [0, 999999999]", fn);
	if (o->flags & NS_SPAWN_INTO_CGROUP) {
		if (o->cgroup_fd < 0)
			return ns__fail(EBADF, "%s: NS_SPAWN_INTO_CGROUP with cgroup_fd %d", fn, o->cgroup_fd);
		if (!ns_has_feature(NS_FEATURE_CLONE3) || !ns_has_feature(NS_FEATURE_CLONE_INTO_CGROUP))
			return ns__fail(EOPNOTSUPP, "%s: placing the child in a cgroup needs clone3 with "
					"CLONE_INTO_CGROUP (Linux 5.7)", fn);
	}
	s->cap_last = (int)cap_max_bits() - 1;
	if (s->cap_last < 0 || s->cap_last > 63)
		s->cap_last = 63;
	if (!(o->flags & NS_SPAWN_DROP_CAPS) && o->keep_caps)
		return ns__fail(EINVAL, "%s: keep_caps is set without NS_SPAWN_DROP_CAPS", fn);
	if (s->cap_last < 63 && (o->keep_caps >> (s->cap_last + 1)))
		return ns__fail(EINVAL, "%s: keep_caps names capabilities above %d, the last this kernel knows",
				fn, s->cap_last);
	s->keep_caps = o->keep_caps;
	return 0;
}

static int format_map(struct spawn *s, int kind, const struct ns_idmap *map, char *buf, size_t *len)
{
	const char *name = kind == NS_IDMAP_UID ? "uid_map" : "gid_map";
	int r = ns_idmap_validate(map);

	if (r < 0)
		return ns__spawn_fail_wrapped(s, r, kind == NS_IDMAP_UID ? "uid_map is not a valid map" :
				    "gid_map is not a valid map");
	r = ns_idmap_format(map, buf, MAP_TEXT_MAX);
	if (r < 0)
		return ns__spawn_fail_wrapped(s, r, kind == NS_IDMAP_UID ? "formatting uid_map" : "formatting gid_map");
	if (r >= MAP_TEXT_MAX)
		return ns__fail(EINVAL, "%s: %s is %d bytes long; the kernel takes less than %d", s->fn_name, name,
				r, MAP_TEXT_MAX);
	*len = (size_t)r;
	return 0;
}

/*
 * Should the child become 0 inside once the map is written? Only when the map gives 0 inside and does
 * not map the caller's own id: otherwise it is already someone in there, the one the caller chose.
 */
static bool become_root_under(const struct ns_idmap *map, uint32_t own)
{
	bool zero = false;

	for (uint32_t i = 0; map && i < map->n && i < NS_IDMAP_MAX; i++) {
		const struct ns_idmap_range *r = &map->range[i];

		if (own >= r->outside && own - r->outside < r->count)
			return false;
		zero |= r->inside == 0;
	}
	return zero;
}

static int prepare_maps(struct spawn *s)
{
	const struct ns_spawn_opts *o = &s->o;
	int r;

	if (o->flags & (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT)) {
		bool root = o->flags & NS_SPAWN_MAP_ROOT;
		unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();

		s->uid_len = (size_t)snprintf(s->uid_text, sizeof(s->uid_text), "%u %u 1\n", root ? 0 : uid, uid);
		s->gid_len = (size_t)snprintf(s->gid_text, sizeof(s->gid_text), "%u %u 1\n", root ? 0 : gid, gid);
	} else if (!(o->flags & NS_SPAWN_IDMAP_HELPER)) {
		if (o->uid_map && (r = format_map(s, NS_IDMAP_UID, o->uid_map, s->uid_text, &s->uid_len)) < 0)
			return r;
		if (o->gid_map && (r = format_map(s, NS_IDMAP_GID, o->gid_map, s->gid_text, &s->gid_len)) < 0)
			return r;
	} else {
		s->helper_maps = true;
		if (o->uid_map && (r = ns_idmap_validate(o->uid_map)) < 0)
			return ns__spawn_fail_wrapped(s, r, "uid_map is not a valid map");
		if (o->gid_map && (r = ns_idmap_validate(o->gid_map)) < 0)
			return ns__spawn_fail_wrapped(s, r, "gid_map is not a valid map");
	}
	if (o->new_types & NS_TYPE_USER) {
		s->root_uid = become_root_under(o->uid_map, (uint32_t)geteuid());
		s->root_gid = become_root_under(o->gid_map, (uint32_t)getegid());
	}
	/* The kernel takes an unprivileged gid_map only once setgroups is denied, or the group could be dropped. */
	s->write_setgroups_deny = (o->flags & NS_SPAWN_SETGROUPS_DENY) ||
				  (s->gid_len && !s->helper_maps && !ns__thread_has_cap(CAP_SETGID));
	return 0;
}

/* Open the target's namespaces of join_types and leave out those this thread already shares. */
static int prepare_join(struct spawn *s)
{
	unsigned wanted = s->o.join_types;

	if (!wanted)
		return 0;
	s->join_pidfd_setns = ns_has_feature(NS_FEATURE_PIDFD_SETNS) == 1;
	for (int i = 0; i < NS_NTYPES; i++) {
		int fd, eq;

		if (!(wanted & (unsigned)ns__types[i].type))
			continue;
		fd = ns_open_pidfd(s->o.join_pidfd, ns__types[i].type, 0);
		if (fd < 0)
			return ns__spawn_fail_wrapped(s, fd, "opening a namespace to join");
		eq = ns__is_own(fd, ns_type_name(ns__types[i].type));
		if (eq == 1 || s->join_pidfd_setns) {
			close(fd);
			fd = -1;
		}
		if (eq != 1)
			s->join_types |= (unsigned)ns__types[i].type;
		s->join_fds[i] = fd;
	}
	return 0;
}

void ns__spawn_close_join_fds(struct spawn *s)
{
	for (int i = 0; i < NS_NTYPES; i++)
		ns__close(&s->join_fds[i]);
}

int ns__spawn_prepare(struct spawn *s, const struct ns_spawn_opts *uopts)
{
	const struct ns_spawn_opts *o = &s->o;
	unsigned clone_types;
	int r;

	s->go_rd = s->go_wr = s->go_keep = s->rep_rd = s->rep_wr = -1;
	s->pidfd = -1;
	for (int i = 0; i < NS_NTYPES; i++)
		s->join_fds[i] = -1;
	r = check_opts(s, uopts);
	if (r < 0)
		return r;
	r = prepare_maps(s);
	if (r < 0)
		return r;
	s->has_offsets = o->monotonic_offset || o->boottime_offset;
	s->use_clone3 = ns_has_feature(NS_FEATURE_CLONE3) == 1;
	clone_types = o->new_types;
	if (o->new_types & NS_TYPE_TIME) {
		if (s->has_offsets)
			s->time_mode = TIME_OFFSETS;
		else if (!s->use_clone3)
			s->time_mode = TIME_UNSHARE;
		if (s->time_mode != TIME_NONE)
			clone_types &= ~(unsigned)NS_TYPE_TIME;
	}
	s->clone_flags = clone_types;
	if (s->use_clone3)
		s->clone_flags |= CLONE_CLEAR_SIGHAND;
	if (o->flags & NS_SPAWN_INTO_CGROUP)
		s->clone_flags |= CLONE_INTO_CGROUP;
	s->make_private = o->new_types & NS_TYPE_MNT;
	s->mount_proc = o->flags & NS_SPAWN_MOUNT_PROC;
	s->wait_for_parent = s->uid_len || s->gid_len || s->helper_maps || s->write_setgroups_deny ||
			     s->has_offsets;
	/* root opens a non-dumpable child's /proc files anyway; anyone else needs them to be its own */
	s->dumpable_while_waiting = o->join_types && s->wait_for_parent && geteuid() != 0;
	/* What the parent must wait for: the steps before its writes, and exec or the steps after them. */
	s->prepared_report = (o->flags & NS_SPAWN_DIE_WITH_PARENT) || o->hostname || s->make_private ||
			     s->time_mode == TIME_UNSHARE;
	s->wait_for_exec = !s->fn || s->time_mode == TIME_OFFSETS || o->root || s->mount_proc ||
			   (o->flags & NS_SPAWN_DROP_CAPS) || s->root_uid || s->root_gid;
	/* getppid() names the parent only while the child shares its pid namespace. */
	s->parent_pid = ((o->new_types | o->join_types) & NS_TYPE_PID) ? 0 : getpid();
	r = prepare_join(s);
	if (r < 0)
		ns__spawn_close_join_fds(s);
	return r;
}

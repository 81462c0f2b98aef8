/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ns_idmap_from_subid(): the ranges /etc/subuid and /etc/subgid delegate to a user. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "idmap-internal.h"
#include "internal.h"

/* Far beyond any real entry ("name:start:count"), small enough to refuse garbage at once. */
#define SUBID_LINE_MAX 4096

/*
 * Tests point these at fixture files. secure_getenv() ignores the variables in set-user-ID and
 * set-group-ID programs, which must not let their caller choose which ranges they believe in.
 */
static const char *subid_path(int kind)
{
	const char *env = secure_getenv(kind == NS_IDMAP_GID ? "LIBNS_TEST_SUBGID_FILE" : "LIBNS_TEST_SUBUID_FILE");

	if (env && *env)
		return env;
	return kind == NS_IDMAP_GID ? "/etc/subgid" : "/etc/subuid";
}

struct subid_owner {
	char name[256];      /* "" when the uid has no passwd entry */
	char uid_text[16];
	uid_t uid;
	gid_t gid;
	bool has_gid;
};

/* getpw*_r with a buffer that grows: thread-safe, unlike getpwnam(). */
static int lookup_passwd(const char *name, uid_t uid, struct subid_owner *o)
{
	struct passwd pw, *res = NULL;
	size_t size = 1024;
	char *buf = NULL;
	int err;

	do {
		char *nbuf = realloc(buf, size);

		if (!nbuf) {
			free(buf);
			return -ENOMEM;
		}
		buf = nbuf;
		err = name ? getpwnam_r(name, &pw, buf, size, &res) : getpwuid_r(uid, &pw, buf, size, &res);
		size *= 2;
	} while (err == ERANGE && size <= 1 << 20);
	if (err == 0 && res) {
		snprintf(o->name, sizeof(o->name), "%s", pw.pw_name);
		o->uid = pw.pw_uid;
		o->gid = pw.pw_gid;
		o->has_gid = true;
	}
	free(buf);
	if (err && err != ENOENT && err != ESRCH && err != EBADF && err != EPERM)
		return -err;
	return res ? 1 : 0;
}

static int subid_owner(const char *user, struct subid_owner *o)
{
	const char *fn = "ns_idmap_from_subid";
	int r;

	memset(o, 0, sizeof(*o));
	if (!user) {
		/* the real ids: those newuidmap checks, and those of the user who ran a set-id program */
		o->uid = getuid();
		o->gid = getgid();
		o->has_gid = true;
		r = lookup_passwd(NULL, o->uid, o);
		if (r < 0)
			return ns__fail(-r, "%s: looking up uid %u in the user database", fn, (unsigned)o->uid);
		o->gid = getgid(); /* the process's own gid, not passwd's, is what it may map */
	} else {
		if (!*user || strlen(user) >= sizeof(o->name))
			return ns__fail(EINVAL, "%s: \"%s\" is not a user name", fn, user);
		r = lookup_passwd(user, 0, o);
		if (r < 0)
			return ns__fail(-r, "%s: looking up user %s", fn, user);
		if (r == 0) {
			unsigned long long v;

			if (!ns__all_digits(user) || strlen(user) > 10 || (v = strtoull(user, NULL, 10)) >= UINT32_MAX)
				return ns__fail(ENOENT, "%s: no user named %s", fn, user);
			/* a numeric owner with no passwd entry, as /etc/subuid allows */
			o->uid = (uid_t)v;
			r = lookup_passwd(NULL, o->uid, o);
			if (r < 0)
				return ns__fail(-r, "%s: looking up uid %s", fn, user);
		}
	}
	snprintf(o->uid_text, sizeof(o->uid_text), "%u", (unsigned)o->uid);
	return 0;
}

/* Strict decimal of at most 10 digits (so it fits 64 bits), or -1. */
static int64_t subid_number(const char *s)
{
	return strlen(s) <= 10 && ns__all_digits(s) ? (int64_t)strtoull(s, NULL, 10) : -1;
}

/* ns_idmap_add()'s message, with the file and line in front. */
static int add_subid_range(struct ns_idmap *map, uint32_t inside, uint32_t outside, uint32_t count,
			   const char *path, unsigned lineno)
{
	int r = ns_idmap_add(map, inside, outside, count);

	if (r < 0)
		return ns__fail_prefixed(-r, "ns_idmap_from_subid: %s line %u", path, lineno);
	return 0;
}

NS_PUBLIC int ns_idmap_from_subid(struct ns_idmap *map, const char *user, int kind, unsigned flags)
{
	const char *fn = "ns_idmap_from_subid", *path;
	struct subid_owner o;
	struct ns_idmap out = { .n = 0 };
	uint64_t next_inside;
	unsigned lineno = 0;
	char *text = NULL, *line, *end;
	size_t size = 0, len;
	int r, n, found = 0;

	r = ns__check_flags(fn, flags, NS_IDMAP_SUBID_ONLY);
	if (r < 0)
		return r;
	if (!map)
		return ns__fail(EINVAL, "%s: map is NULL", fn);
	if (kind != NS_IDMAP_UID && kind != NS_IDMAP_GID)
		return ns__fail(EINVAL, "%s: kind %d is neither NS_IDMAP_UID nor NS_IDMAP_GID", fn, kind);
	r = subid_owner(user, &o);
	if (r < 0)
		return r;
	path = subid_path(kind);
	if (!(flags & NS_IDMAP_SUBID_ONLY)) {
		if (kind == NS_IDMAP_GID && !o.has_gid)
			return ns__fail(ENOENT, "%s: uid %s has no passwd entry, so its group is unknown (use "
					"NS_IDMAP_SUBID_ONLY)", fn, o.uid_text);
		out.range[0] = (struct ns_idmap_range){ 0, kind == NS_IDMAP_GID ? o.gid : o.uid, 1 };
		out.n = 1;
	}
	next_inside = out.n; /* the subordinate ranges follow, contiguous from inside id 0 or 1 */
	/* bounded, and a regular file only: /dev/zero would never end, a FIFO would block */
	n = ns__read_file(AT_FDCWD, path, &text, &size);
	if (n < 0) {
		free(text);
		if (n == -EINVAL)
			return ns__fail(EINVAL, "%s: %s is not a regular file (a FIFO, device or directory is never "
					"read)", fn, path);
		if (n == -EFBIG)
			return ns__fail(EINVAL, "%s: %s is larger than %zu MiB: not a subordinate id file", fn, path,
					NS_READ_MAX >> 20);
		return ns__fail(-n, "%s: read %s", fn, path);
	}
	for (line = text; line < text + n; line = end + 1) {
		char *owner, *start_s, *count_s, *rest;
		int64_t start, count;

		lineno++;
		end = memchr(line, '\n', (size_t)(text + n - line));
		if (!end)
			end = text + n;   /* the NUL after the text */
		len = (size_t)(end - line);
		*end = '\0';
		if (strlen(line) != len) {
			r = ns__fail(EINVAL, "%s: %s line %u: NUL byte", fn, path, lineno);
			goto out;
		}
		if (len > SUBID_LINE_MAX) {
			r = ns__fail(EINVAL, "%s: %s line %u is longer than %d bytes: not a subordinate id entry", fn,
				     path, lineno, SUBID_LINE_MAX);
			goto out;
		}
		if (len == 0 || line[0] == '#')
			continue;
		owner = line;
		start_s = strchr(owner, ':');
		if (!start_s)
			continue; /* malformed lines of other owners are theirs to fix */
		*start_s++ = '\0';
		if (!((o.name[0] && strcmp(owner, o.name) == 0) || strcmp(owner, o.uid_text) == 0))
			continue;
		count_s = strchr(start_s, ':');
		rest = count_s ? strchr(count_s + 1, ':') : NULL;
		if (!count_s || rest) {
			r = ns__fail(EINVAL, "%s: %s line %u: malformed entry for %s (expected owner:start:count)",
				     fn, path, lineno, owner);
			goto out;
		}
		*count_s++ = '\0';
		start = subid_number(start_s);
		count = subid_number(count_s);
		if (start < 0 || count < 0) {
			r = ns__fail(EINVAL, "%s: %s line %u: \"%s:%s\" is not two unsigned decimal numbers", fn,
				     path, lineno, start_s, count_s);
			goto out;
		}
		if (count == 0)
			continue; /* shadow's tools write these and ignore them */
		if (start >= UINT32_MAX || count >= UINT32_MAX || start + count > UINT32_MAX) {
			r = ns__fail(ERANGE, "%s: %s line %u: range %s + %s goes past 4294967294, the highest id", fn,
				     path, lineno, start_s, count_s);
			goto out;
		}
		if (next_inside + (uint64_t)count > UINT32_MAX) {
			r = ns__fail(ERANGE, "%s: %s line %u: the subordinate ranges add up to more than 4294967294 "
				     "ids inside", fn, path, lineno);
			goto out;
		}
		r = add_subid_range(&out, (uint32_t)next_inside, (uint32_t)start, (uint32_t)count, path, lineno);
		if (r < 0)
			goto out;
		next_inside += (uint64_t)count;
		found++;
	}
	if (!found) {
		char who[300];

		if (o.name[0])
			snprintf(who, sizeof(who), "%s (uid %s)", o.name, o.uid_text);
		else
			snprintf(who, sizeof(who), "uid %s", o.uid_text);
		r = ns__fail(ENOENT, "%s: %s has no ranges for %s (add a line \"%s:START:COUNT\", e.g. with "
			     "usermod --add-sub%cids)", fn, path, who, o.name[0] ? o.name : o.uid_text,
			     kind == NS_IDMAP_GID ? 'g' : 'u');
		goto out;
	}
	r = ns__idmap_check(fn, "range", &out);
	if (r < 0)
		goto out;
	*map = out;
	r = (int)out.n;
out:
	free(text);
	return r;
}


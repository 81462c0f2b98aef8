/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "compat.h"
#include "error-internal.h"
#include "features-internal.h"
#include "nsfs.h"
#include "parse.h"
#include "procfs.h"
#include "writers.h"

/*
 * The rules below are the kernel's (kernel/user_namespace.c, map_write()), applied before the write
 * so that the caller learns which line is wrong and why instead of a bare EINVAL, and so that input
 * the kernel would silently misread (values above 2^32 - 1 are truncated to 32 bits by
 * simple_strtoul, so "0 4294967296 1" maps host root) never reaches it.
 */

#define ID_INVALID UINT32_MAX /* (uid_t)-1: the kernel refuses it as the start of any range */

/* map_write() refuses writes of PAGE_SIZE bytes or more, before it looks at the extents. */
static size_t map_size_limit(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}

static const char *kind_file(int kind)
{
	return kind == NS_IDMAP_GID ? "gid_map" : "uid_map";
}

static int line_length(const struct ns_idmap_range *r)
{
	return snprintf(NULL, 0, "%u %u %u\n", r->inside, r->outside, r->count);
}

static bool overlap(uint32_t a, uint32_t acount, uint32_t b, uint32_t bcount)
{
	/* ends are exclusive and computed in 64 bits: a checked range may wrap */
	return (uint64_t)a < (uint64_t)b + bcount && (uint64_t)b < (uint64_t)a + acount;
}

/*
 * Check range `i` against itself and the ranges before it. `unit` is "line" or "range" so
 * that parse errors name the line of the text and validate errors the index in the array.
 */
static int check_range(const char *fn, const char *unit, const struct ns_idmap_range *r, uint32_t i)
{
	const struct ns_idmap_range *e = &r[i];

	if (e->count == 0)
		return ns__fail(EINVAL, "%s: %s %u: count is 0 (the kernel refuses empty ranges)", fn, unit, i + 1);
	if (e->inside == ID_INVALID || e->outside == ID_INVALID)
		return ns__fail(ERANGE, "%s: %s %u: a range may not start at 4294967295, which is (uid_t)-1, "
				"the invalid id", fn, unit, i + 1);
	if ((uint64_t)e->inside + e->count > ID_INVALID)
		return ns__fail(ERANGE, "%s: %s %u: inside range %u + %u wraps past 4294967294, the highest id",
				fn, unit, i + 1, e->inside, e->count);
	if ((uint64_t)e->outside + e->count > ID_INVALID)
		return ns__fail(ERANGE, "%s: %s %u: outside range %u + %u wraps past 4294967294, the highest id",
				fn, unit, i + 1, e->outside, e->count);
	for (uint32_t j = 0; j < i; j++) {
		if (overlap(e->inside, e->count, r[j].inside, r[j].count))
			return ns__fail(EINVAL, "%s: %s %u: inside ids %u..%u overlap %s %u (%u..%u)", fn, unit,
					i + 1, e->inside, e->inside + e->count - 1, unit, j + 1, r[j].inside,
					r[j].inside + r[j].count - 1);
		if (overlap(e->outside, e->count, r[j].outside, r[j].count))
			return ns__fail(EINVAL, "%s: %s %u: outside ids %u..%u overlap %s %u (%u..%u)", fn, unit,
					i + 1, e->outside, e->outside + e->count - 1, unit, j + 1, r[j].outside,
					r[j].outside + r[j].count - 1);
	}
	return 0;
}

static int check_map(const char *fn, const char *unit, const struct ns_idmap *map)
{
	size_t len = 0, limit = map_size_limit();
	int r;

	if (map->n == 0)
		return ns__fail(EINVAL, "%s: the map is empty (the kernel needs at least one range)", fn);
	if (map->n > NS_IDMAP_MAX)
		return ns__fail(EINVAL, "%s: %u ranges, the kernel accepts at most %d", fn, map->n, NS_IDMAP_MAX);
	for (uint32_t i = 0; i < map->n; i++) {
		r = check_range(fn, unit, map->range, i);
		if (r < 0)
			return r;
		len += (size_t)line_length(&map->range[i]);
	}
	if (len >= limit)
		return ns__fail(EINVAL, "%s: the map takes %zu bytes as text, the kernel accepts fewer than %zu "
				"(one page) in its single write", fn, len, limit);
	return 0;
}

NS_PUBLIC int ns_idmap_validate(const struct ns_idmap *map)
{
	if (!map)
		return ns__fail(EINVAL, "ns_idmap_validate: map is NULL");
	return check_map("ns_idmap_validate", "range", map);
}

NS_PUBLIC int ns_idmap_format(const struct ns_idmap *map, char *buf, size_t size)
{
	size_t len = 0;

	if (!map)
		return ns__fail(EINVAL, "ns_idmap_format: map is NULL");
	if (!buf && size > 0)
		return ns__fail(EINVAL, "ns_idmap_format: buf is NULL but size is %zu", size);
	if (map->n > NS_IDMAP_MAX)
		return ns__fail(EINVAL, "ns_idmap_format: %u ranges, at most %d fit in a map", map->n, NS_IDMAP_MAX);
	if (size > 0)
		buf[0] = '\0';
	for (uint32_t i = 0; i < map->n; i++) {
		const struct ns_idmap_range *e = &map->range[i];
		size_t room = len < size ? size - len : 0;
		int n = snprintf(room ? buf + len : NULL, room, "%u %u %u\n", e->inside, e->outside, e->count);

		len += (size_t)n;
	}
	return (int)len; /* at most 340 lines of 33 bytes: always fits an int */
}

NS_PUBLIC int ns_idmap_add(struct ns_idmap *map, uint32_t inside, uint32_t outside, uint32_t count)
{
	struct ns_idmap tmp;
	uint32_t n;
	int r;

	if (!map)
		return ns__fail(EINVAL, "ns_idmap_add: map is NULL");
	n = map->n;
	if (n > NS_IDMAP_MAX)
		return ns__fail(EINVAL, "ns_idmap_add: the map is corrupt (%u ranges)", n);
	if (n == NS_IDMAP_MAX)
		return ns__fail(EINVAL, "ns_idmap_add: the map is full (the kernel accepts at most %d ranges)",
				NS_IDMAP_MAX);
	/* Check on a copy so that a refused range leaves the map exactly as it was. */
	tmp.n = n + 1;
	memcpy(tmp.range, map->range, n * sizeof(tmp.range[0]));
	tmp.range[n] = (struct ns_idmap_range){ inside, outside, count };
	r = check_map("ns_idmap_add", "range", &tmp);
	if (r < 0)
		return r;
	map->range[n] = tmp.range[n];
	map->n = n + 1;
	return 0;
}

/* ---- parsing ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *field_name(int f)
{
	static const char *const names[] = { "inside", "outside", "count" };

	return names[f];
}

/* A character where a digit or a separator should be: name it, and the common mistakes. */
static int bad_char(unsigned line, const char *where, char c)
{
	if (c == '\0')
		return ns__fail(EINVAL, "ns_idmap_parse: line %u: NUL byte in the text", line);
	if (c == '\r')
		return ns__fail(EINVAL, "ns_idmap_parse: line %u: carriage return (lines end with \\n only)", line);
	return ns__fail(EINVAL, "ns_idmap_parse: line %u: unexpected '%c' %s (each line is exactly \"inside "
			"outside count\", unsigned decimals separated by spaces or tabs)", line,
			c > 0x20 && c < 0x7f ? c : '?', where);
}

/* One strict unsigned decimal; *p is advanced past it. */
static int parse_u32(const char **p, const char *end, unsigned line, int f, uint32_t *out)
{
	const char *s = *p, *start = s;
	uint64_t v = 0;

	if (s < end && (*s == '+' || *s == '-'))
		return ns__fail(EINVAL, "ns_idmap_parse: line %u: %s field has a sign: only unsigned decimal "
				"numbers are accepted", line, field_name(f));
	if (s + 1 < end && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return ns__fail(EINVAL, "ns_idmap_parse: line %u: %s field is hexadecimal: only decimal numbers "
				"are accepted", line, field_name(f));
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX) {
			while (s < end && *s >= '0' && *s <= '9')
				s++;
			return ns__fail(ERANGE, "ns_idmap_parse: line %u: %s field %.*s is above 4294967295 (the "
					"kernel would silently keep only its low 32 bits)", line, field_name(f),
					(int)(s - start > 40 ? 40 : s - start), start);
		}
		s++;
	}
	if (s == start) {
		if (s == end)
			return ns__fail(EINVAL, "ns_idmap_parse: line %u: %s field is missing (each line is "
					"\"inside outside count\")", line, field_name(f));
		return bad_char(line, f == 0 ? "where the inside field starts" :
				f == 1 ? "where the outside field starts" : "where the count field starts", *s);
	}
	*p = s;
	*out = (uint32_t)v;
	return 0;
}

static int parse_line(const char *s, const char *end, unsigned line, struct ns_idmap_range *out)
{
	static const char *const after[] = { "after the inside field", "after the outside field",
					     "after the count field" };
	uint32_t v[3];
	int r;

	while (s < end && is_blank(*s))
		s++;
	if (s == end)
		return ns__fail(EINVAL, "ns_idmap_parse: line %u is blank (blank lines are not accepted; one "
				"trailing newline is)", line);
	for (int f = 0; f < 3; f++) {
		if (f > 0) {
			const char *before = s;

			while (s < end && is_blank(*s))
				s++;
			if (s == before && s < end)
				return bad_char(line, after[f - 1], *s);
		}
		r = parse_u32(&s, end, line, f, &v[f]);
		if (r < 0)
			return r;
	}
	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s >= '0' && *s <= '9')
		return ns__fail(EINVAL, "ns_idmap_parse: line %u: more than three fields (each line is exactly "
				"\"inside outside count\")", line);
	if (s < end)
		return bad_char(line, after[2], *s);
	*out = (struct ns_idmap_range){ v[0], v[1], v[2] };
	return 0;
}

NS_PUBLIC int ns_idmap_parse_buf(const char *buf, size_t len, struct ns_idmap *out)
{
	struct ns_idmap parsed;
	const char *s, *end, *nl;
	unsigned line = 0;
	int r;

	if (!buf || !out)
		return ns__fail(EINVAL, "ns_idmap_parse: %s is NULL", buf ? "out" : "text");
	if (len == 0)
		return ns__fail(EINVAL, "ns_idmap_parse: the text is empty (a map needs at least one line)");
	/* The text as given is what a caller would otherwise write(): the kernel's one-page rule applies. */
	if (len >= map_size_limit())
		return ns__fail(EINVAL, "ns_idmap_parse: the text is %zu bytes, the kernel accepts fewer than %zu "
				"(one page)", len, map_size_limit());
	s = buf;
	end = buf + len;
	while (s < end) {
		line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end; /* a last line without newline is accepted, as the kernel does */
		if (line > NS_IDMAP_MAX)
			return ns__fail(EINVAL, "ns_idmap_parse: line %u: more than %d ranges (the kernel's limit)",
					line, NS_IDMAP_MAX);
		r = parse_line(s, nl, line, &parsed.range[line - 1]);
		if (r < 0)
			return r;
		s = nl < end ? nl + 1 : end;
	}
	parsed.n = line;
	r = check_map("ns_idmap_parse", "line", &parsed);
	if (r < 0)
		return r;
	out->n = parsed.n;
	memcpy(out->range, parsed.range, parsed.n * sizeof(parsed.range[0]));
	return (int)parsed.n;
}

NS_PUBLIC int ns_idmap_parse(const char *text, struct ns_idmap *out)
{
	if (!text || !out)
		return ns__fail(EINVAL, "ns_idmap_parse: %s is NULL", text ? "out" : "text");
	return ns_idmap_parse_buf(text, strlen(text), out);
}

/* ---- /etc/subuid and /etc/subgid ---- */

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

/* ns_last_error() minus the ": strerror" its producer appended, to be quoted in a new message. */
/* Messages from the shared /proc layer get the public function's name in front. */
static int prefixed(const char *fn, int r)
{
	return r < 0 ? ns__fail_prefixed(-r, "%s", fn) : r;
}

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
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int r, found = 0;

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
	f = fopen(path, "re");
	if (!f)
		return ns__fail(errno, "%s: open %s", fn, path);
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *owner, *start_s, *count_s, *rest;
		int64_t start, count;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if ((size_t)len != strlen(line)) {
			r = ns__fail(EINVAL, "%s: %s line %u: NUL byte", fn, path, lineno);
			goto out;
		}
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
	if (ferror(f)) {
		r = ns__fail(EIO, "%s: reading %s", fn, path);
		goto out;
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
	r = check_map(fn, "range", &out);
	if (r < 0)
		goto out;
	*map = out;
	r = (int)out.n;
out:
	free(line);
	fclose(f);
	return r;
}

/* ---- writing ---- */

static bool have_effective(cap_value_t cap)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!caps)
		return false;
	cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

static bool same_ns(int a, int b)
{
	uint64_t da, ia, db, ib;

	return ns__fstat_nsfs(a, &da, &ia) == 0 && ns__fstat_nsfs(b, &db, &ib) == 0 && da == db && ia == ib;
}

enum writer { WRITER_PRIVILEGED, WRITER_UNPRIVILEGED, WRITER_INSIDE };

/*
 * What the kernel's new_idmap_permitted() will think of this thread: a map beyond the writer's own
 * id needs CAP_SETUID (CAP_SETGID) in the parent of the target's user namespace, and a thread has
 * capabilities in a namespace only if it is in that namespace (or owns it from the level above, which
 * map_write() does not allow: the writer must be in the namespace or in its parent).
 */
static enum writer classify_writer(int procdirfd, int kind)
{
	enum writer w = WRITER_UNPRIVILEGED;
	int target, self, parent;

	target = openat(procdirfd, "ns/user", O_RDONLY | O_CLOEXEC);
	if (target < 0)
		return w;
	self = open("/proc/thread-self/ns/user", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		close(target);
		return w;
	}
	if (same_ns(target, self)) {
		w = WRITER_INSIDE;
	} else {
		parent = ioctl(target, NS_GET_PARENT);
		if (parent >= 0) {
			if (same_ns(parent, self) && have_effective(kind == NS_IDMAP_GID ? CAP_SETGID : CAP_SETUID))
				w = WRITER_PRIVILEGED;
			close(parent);
		}
	}
	close(self);
	close(target);
	return w;
}

static bool own_id_only(const struct ns_idmap *map, int kind)
{
	uint32_t own = kind == NS_IDMAP_GID ? (uint32_t)getegid() : (uint32_t)geteuid();

	return map->n == 1 && map->range[0].count == 1 && map->range[0].outside == own;
}

/*
 * Could this be the one map an unprivileged writer may write: its own id, alone? Inside the target
 * namespace, before the map exists, geteuid() and getegid() return the overflow id, so there only
 * the shape can be checked and the kernel compares the ids.
 */
static bool maybe_own_id(const struct ns_idmap *map, int kind, enum writer w)
{
	if (w == WRITER_INSIDE)
		return map->n == 1 && map->range[0].count == 1;
	return own_id_only(map, kind);
}

/* Fixed paths only: PATH is the caller's, and these helpers are set-user-ID root. */
static const char *helper_path(int kind)
{
	static const char *const uid_paths[] = { "/usr/bin/newuidmap", "/usr/sbin/newuidmap", "/bin/newuidmap" };
	static const char *const gid_paths[] = { "/usr/bin/newgidmap", "/usr/sbin/newgidmap", "/bin/newgidmap" };
	const char *const *paths = kind == NS_IDMAP_GID ? gid_paths : uid_paths;

	for (size_t i = 0; i < NS_ARRAY_SIZE(uid_paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* An fd >= 3, so that dup2() onto 0, 1 and 2 in the child never closes it first. */
static int high_fd(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

/* Helper output for a one-line message: newlines become "; ", the end is trimmed. */
static void one_line(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '\n' || (unsigned char)*p < 0x20)
			*p = *p == '\n' ? ';' : ' ';
}

/*
 * newuidmap PID inside outside count ...: fork + execve of a fixed path with an argv array (no
 * shell), a fixed environment, stdin from /dev/null, stdout and stderr captured, no other fd
 * inherited. Everything is prepared before fork(): the child only calls async-signal-safe functions.
 */
static int run_helper(const char *path, pid_t pid, int kind, const struct ns_idmap *map)
{
	const char *fn = "ns_write_idmap", *tool = kind == NS_IDMAP_GID ? "newgidmap" : "newuidmap";
	char *const envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *)"LC_ALL=C", NULL };
	char **argv = NULL, *nums = NULL, out[1024];
	size_t nargs = 3 + 3 * (size_t)map->n, pos = 0, outlen = 0;
	int pipefd[2] = { -1, -1 }, devnull = -1, st = 0, r, err;
	sigset_t all, old;
	long maxfd;
	pid_t child;
	ssize_t n;

	argv = calloc(nargs, sizeof(*argv));
	nums = malloc(16 * nargs);
	if (!argv || !nums) {
		r = ns__fail(ENOMEM, "%s: allocating %s arguments", fn, tool);
		goto out;
	}
	argv[0] = (char *)tool;
	argv[1] = nums;
	pos = (size_t)snprintf(nums, 16, "%d", (int)(pid ? pid : getpid())) + 1;
	for (uint32_t i = 0; i < map->n; i++) {
		const uint32_t v[3] = { map->range[i].inside, map->range[i].outside, map->range[i].count };

		for (int k = 0; k < 3; k++) {
			argv[2 + 3 * i + (uint32_t)k] = nums + pos;
			pos += (size_t)snprintf(nums + pos, 16, "%u", v[k]) + 1;
		}
	}
	argv[nargs - 1] = NULL;

	devnull = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
	if (devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		r = ns__fail(errno, "%s: preparing to run %s", fn, path);
		goto out;
	}
	pipefd[0] = high_fd(pipefd[0]);
	pipefd[1] = high_fd(pipefd[1]);
	if (pipefd[0] < 0 || pipefd[1] < 0) {
		r = ns__fail(errno, "%s: preparing to run %s", fn, path);
		goto out;
	}
	maxfd = sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;

	/* No handler of the caller may run in the child between fork() and execve(). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL }, cur;

		for (int sig = 1; sig < NSIG; sig++)
			if (sigaction(sig, NULL, &cur) == 0 && cur.sa_handler != SIG_IGN && cur.sa_handler != SIG_DFL)
				sigaction(sig, &dfl, NULL);
		if (dup2(devnull, 0) < 0 || dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(126);
		if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
			for (long fd = 3; fd < maxfd; fd++)
				close((int)fd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		execve(path, argv, envp);
		if (write(2, "exec failed", 11) < 0) {
			/* nothing more to say */
		}
		_exit(127);
	}
	err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (child < 0) {
		r = ns__fail(err, "%s: fork to run %s", fn, path);
		goto out;
	}
	for (;;) {
		char sink[256];
		size_t room = sizeof(out) - 1 - outlen;

		n = read(pipefd[0], room ? out + outlen : sink, room ? room : sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (room)
			outlen += (size_t)n;
	}
	out[outlen] = '\0';
	one_line(out);
	while ((r = (int)waitpid(child, &st, 0)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		r = ns__fail(errno, "%s: waiting for %s", fn, path);
		goto out;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		r = 0;
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 127 && strstr(out, "exec failed")) {
		r = ns__fail(ENOENT, "%s: could not execute %s", fn, path);
	} else if (WIFSIGNALED(st)) {
		r = ns__fail(EIO, "%s: %s was killed by signal %d%s%s", fn, path, WTERMSIG(st), *out ? ": " : "", out);
	} else {
		/* the helpers exit 1 for every refusal; their own words say which */
		r = ns__fail(EPERM, "%s: %s refused the map for process %s (exit status %d): %s (it allows only "
			     "the caller's own id and ranges listed for the caller in /etc/sub%cid, into a process "
			     "of the same user)", fn, path, argv[1], WEXITSTATUS(st), *out ? out : "no message",
			     kind == NS_IDMAP_GID ? 'g' : 'u');
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (devnull >= 0)
		close(devnull);
	free(nums);
	free(argv);
	return r;
}

/* Why map_write() said EPERM, from what can be observed; the kernel does not tell. */
static int explain_map_eperm(int procdirfd, pid_t pid, int kind, const struct ns_idmap *map, enum writer w)
{
	const char *fn = "ns_write_idmap", *file = kind_file(kind);
	const char *cap = kind == NS_IDMAP_GID ? "CAP_SETGID" : "CAP_SETUID";
	char cur[64];

	if (ns__read_proc_at(procdirfd, file, cur, sizeof(cur)) > 0)
		return ns__fail(EPERM, "%s: %s of process %d is already written (the kernel accepts one write "
				"per namespace)", fn, file, (int)(pid ? pid : getpid()));
	if (w == WRITER_PRIVILEGED)
		return ns__fail(EPERM, "%s: writing %s: every outside id must be mapped in the writer's user "
				"namespace", fn, file);
	if (!maybe_own_id(map, kind, w))
		return ns__fail(EPERM, "%s: writing %s: a map beyond the writer's own %s needs %s in the parent "
				"of the target's user namespace%s; or newuidmap/newgidmap (package uidmap, "
				"NS_IDMAP_USE_HELPER) with ranges in /etc/sub%cid", fn, file,
				kind == NS_IDMAP_GID ? "effective gid" : "effective uid", cap,
				w == WRITER_INSIDE ? " (the writer is inside the namespace itself, so it cannot have "
				"it there)" : "", kind == NS_IDMAP_GID ? 'g' : 'u');
	if (kind == NS_IDMAP_GID)
		return ns__fail(EPERM, "%s: writing gid_map: without %s a writer may map only its own effective "
				"gid, into a user namespace its effective uid owns, after setgroups is \"deny\"", fn,
				cap);
	return ns__fail(EPERM, "%s: writing uid_map: without %s a writer may map only its own effective uid, "
			"into a user namespace its effective uid owns", fn, cap);
}

int ns__write_setgroups_at(int procdirfd, int allow)
{
	const char *fn = "ns_write_setgroups", *text = allow ? "allow" : "deny";
	char cur[64];
	int r = ns__write_proc_at(procdirfd, "setgroups", text, strlen(text));

	if (r == -EPERM) {
		if (allow)
			return ns__fail(EPERM, "%s: setgroups of the process is \"deny\", which cannot be undone", fn);
		if (ns__read_proc_at(procdirfd, "gid_map", cur, sizeof(cur)) > 0)
			return ns__fail(EPERM, "%s: gid_map of the process is already written, after which setgroups "
					"can no longer be denied (write setgroups first)", fn);
		return ns__fail(EPERM, "%s: writing setgroups of the process", fn);
	}
	if (r == -EACCES)
		return ns__fail(EACCES, "%s: writing setgroups needs CAP_SYS_ADMIN in the process's user namespace "
				"and write access to the file", fn);
	return prefixed(fn, r);
}

/* An unprivileged writer's gid_map is refused while setgroups is "allow" (Linux 3.19, CVE-2014-8989). */
static int deny_setgroups_if_allowed(int procdirfd)
{
	char cur[64];

	if (ns__read_proc_at(procdirfd, "setgroups", cur, sizeof(cur)) > 0 && strncmp(cur, "deny", 4) == 0)
		return 0;
	return ns__write_setgroups_at(procdirfd, 0);
}

static int check_write_args(int kind, const struct ns_idmap *map, unsigned flags)
{
	const char *fn = "ns_write_idmap";
	int r = ns__check_flags(fn, flags, NS_IDMAP_USE_HELPER);

	if (r < 0)
		return r;
	if (kind != NS_IDMAP_UID && kind != NS_IDMAP_GID)
		return ns__fail(EINVAL, "%s: kind %d is neither NS_IDMAP_UID nor NS_IDMAP_GID", fn, kind);
	if (!map)
		return ns__fail(EINVAL, "%s: map is NULL", fn);
	return check_map(fn, "range", map);
}

int ns__write_idmap_at(int procdirfd, pid_t pid, int kind, const struct ns_idmap *map, unsigned flags)
{
	const char *fn = "ns_write_idmap", *helper;
	enum writer w;
	char *buf;
	int r, len;

	r = check_write_args(kind, map, flags);
	if (r < 0)
		return r;

	if (flags & NS_IDMAP_USE_HELPER) {
		helper = helper_path(kind);
		if (!helper)
			return ns__fail(ENOENT, "%s: %s is not installed (package uidmap)", fn,
					kind == NS_IDMAP_GID ? "newgidmap" : "newuidmap");
		return run_helper(helper, pid, kind, map);
	}
	w = classify_writer(procdirfd, kind);
	if (w == WRITER_UNPRIVILEGED && !own_id_only(map, kind)) {
		helper = helper_path(kind);
		if (helper)
			return run_helper(helper, pid, kind, map);
	}
	if (w != WRITER_PRIVILEGED && kind == NS_IDMAP_GID && maybe_own_id(map, kind, w)) {
		r = deny_setgroups_if_allowed(procdirfd);
		if (r < 0)
			return r;
	}

	len = ns_idmap_format(map, NULL, 0);
	buf = malloc((size_t)len + 1);
	if (!buf)
		return ns__fail(ENOMEM, "%s: formatting the map", fn);
	ns_idmap_format(map, buf, (size_t)len + 1);
	r = ns__write_proc_at(procdirfd, kind_file(kind), buf, (size_t)len);
	free(buf);
	if (r == -EPERM)
		return explain_map_eperm(procdirfd, pid, kind, map, w);
	return prefixed(fn, r);
}

NS_PUBLIC int ns_write_idmap(pid_t pid, int kind, const struct ns_idmap *map, unsigned flags)
{
	int dir, r;

	if (pid < 0)
		return ns__fail(EINVAL, "ns_write_idmap: %d is not a process id", (int)pid);
	r = check_write_args(kind, map, flags);
	if (r < 0)
		return r;
	dir = ns__open_proc_dir(pid);
	if (dir < 0)
		return prefixed("ns_write_idmap", dir);
	r = ns__write_idmap_at(dir, pid, kind, map, flags);
	close(dir);
	return r;
}

NS_PUBLIC int ns_write_setgroups(pid_t pid, int allow)
{
	int dir, r;

	if (pid < 0)
		return ns__fail(EINVAL, "ns_write_setgroups: %d is not a process id", (int)pid);
	dir = ns__open_proc_dir(pid);
	if (dir < 0)
		return prefixed("ns_write_setgroups", dir);
	r = ns__write_setgroups_at(dir, allow);
	close(dir);
	return r;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The id map text of /proc/PID/uid_map and gid_map: validated, formatted, parsed; pure and fuzzed (fuzz-idmap). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "error-internal.h"
#include "idmap-internal.h"

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

const char *ns__idmap_file(int kind)
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

int ns__idmap_check(const char *fn, const char *unit, const struct ns_idmap *map)
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
	return ns__idmap_check("ns_idmap_validate", "range", map);
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
	r = ns__idmap_check("ns_idmap_add", "range", &tmp);
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
	r = ns__idmap_check("ns_idmap_parse", "line", &parsed);
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

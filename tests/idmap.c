/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"

/* ---- helpers ---- */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct ns_idmap map_of(int n, ...)
{
	struct ns_idmap m = { .n = 0 };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		m.range[i].inside = va_arg(ap, unsigned);
		m.range[i].outside = va_arg(ap, unsigned);
		m.range[i].count = va_arg(ap, unsigned);
	}
	m.n = (uint32_t)n;
	va_end(ap);
	return m;
}

static bool maps_equal(const struct ns_idmap *a, const struct ns_idmap *b)
{
	return a->n == b->n && memcmp(a->range, b->range, a->n * sizeof(a->range[0])) == 0;
}

/* /proc/PID/NAME into buf; -errno. */
static int read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	size_t len = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (int)len;
}

/* What a program without libns does: open and write(), returning 0 or -errno. */
static int raw_write(pid_t pid, const char *name, const char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	err = errno;
	close(fd);
	return n < 0 ? -err : 0;
}

/*
 * Map text (libns's or the kernel's %10u columns) as sorted triples: the kernel lists a map of more
 * than five extents sorted by inside id, and pads its columns.
 */
struct triple { unsigned long long v[3]; };

static int cmp_triple(const void *a, const void *b)
{
	const struct triple *x = a, *y = b;

	for (int i = 0; i < 3; i++)
		if (x->v[i] != y->v[i])
			return x->v[i] < y->v[i] ? -1 : 1;
	return 0;
}

static int triples_of(const char *text, struct triple *out, int max)
{
	int n = 0, used;

	while (n < max && sscanf(text, "%llu %llu %llu%n", &out[n].v[0], &out[n].v[1], &out[n].v[2], &used) == 3) {
		text += used;
		n++;
	}
	qsort(out, (size_t)n, sizeof(out[0]), cmp_triple);
	return n;
}

static bool same_map_text(const char *a, const char *b)
{
	static struct triple ta[400], tb[400];
	int na = triples_of(a, ta, 400), nb = triples_of(b, tb, 400);

	return na == nb && memcmp(ta, tb, (size_t)na * sizeof(ta[0])) == 0;
}

static void assert_map_reads(pid_t pid, const char *file, const struct ns_idmap *m)
{
	char want[12000], got[12000];

	ck_assert_int_ge(ns_idmap_format(m, want, sizeof(want)), 0);
	ck_assert_int_ge(read_proc(pid, file, got, sizeof(got)), 0);
	ck_assert_msg(same_map_text(want, got), "%s reads\n%s\nexpected\n%s", file, got, want);
}

static void assert_error_mentions(const char *what)
{
	ck_assert_msg(strstr(ns_last_error(), what), "message \"%s\" does not mention \"%s\"", ns_last_error(), what);
}

static pid_t userns_target(void)
{
	pid_t pid = nst_spawn_target(CLONE_NEWUSER, NULL);

	ck_assert_int_gt(pid, 0);
	return pid;
}

static bool proc_file_empty(pid_t pid, const char *file)
{
	char buf[64];

	return read_proc(pid, file, buf, sizeof(buf)) == 0;
}

/* ---- parsing ---- */

START_TEST(parse_accepts)
{
	static const struct {
		const char *text;
		int n;
		struct ns_idmap_range r[3];
	} ok[] = {
		{ "0 100000 65536\n", 1, { { 0, 100000, 65536 } } },
		{ "0 100000 65536", 1, { { 0, 100000, 65536 } } },          /* last line without newline */
		{ "0 0 1\n1 1 1\n", 2, { { 0, 0, 1 }, { 1, 1, 1 } } },
		{ "1 1 1\n0 0 1", 2, { { 1, 1, 1 }, { 0, 0, 1 } } },         /* order is kept */
		{ " 0\t1  1 \t\n", 1, { { 0, 1, 1 } } },                    /* blanks around and between */
		{ "010 0 1\n", 1, { { 10, 0, 1 } } },                       /* leading zeros are decimal */
		{ "0 0 4294967295\n", 1, { { 0, 0, 4294967295u } } },      /* the whole id space */
		{ "4294967294 4294967294 1\n", 1, { { 4294967294u, 4294967294u, 1 } } },
		{ "4294967290 0 5\n", 1, { { 4294967290u, 0, 5 } } },      /* ends at 4294967294 */
		{ "         0          0 4294967295\n", 1, { { 0, 0, 4294967295u } } }, /* the kernel's columns */
	};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		struct ns_idmap m;

		memset(&m, 0xaa, sizeof(m));
		ck_assert_msg(ns_idmap_parse(ok[i].text, &m) == ok[i].n, "\"%s\": %s", ok[i].text, ns_last_error());
		ck_assert_uint_eq(m.n, (unsigned)ok[i].n);
		ck_assert(memcmp(m.range, ok[i].r, (size_t)ok[i].n * sizeof(m.range[0])) == 0);
		ck_assert_int_eq(ns_idmap_validate(&m), 0);
	}
}
END_TEST

/* Every grammar and kernel rule: the exact errno, the line, and the reason. */
START_TEST(parse_rejects)
{
	static const struct {
		const char *text;
		int err;
		const char *why;
	} bad[] = {
		{ "", EINVAL, "empty" },
		{ "\n", EINVAL, "line 1 is blank" },
		{ "0 0 1\n\n", EINVAL, "line 2 is blank" },
		{ "0 0 1\n\n1 1 1\n", EINVAL, "line 2 is blank" },
		{ "0 0 1\n \t\n", EINVAL, "line 2 is blank" },
		{ "+0 0 1", EINVAL, "line 1: inside field has a sign" },
		{ "0 -1 1", EINVAL, "line 1: outside field has a sign" },
		{ "0 0 +1", EINVAL, "count field has a sign" },
		{ "0 0x10 1", EINVAL, "outside field is hexadecimal" },
		{ "0X1 0 1", EINVAL, "inside field is hexadecimal" },
		{ "0 4294967296 1", ERANGE, "outside field 4294967296 is above 4294967295" },
		{ "4294967296 0 1", ERANGE, "inside field 4294967296 is above" },
		{ "0 0 4294967296", ERANGE, "count field 4294967296 is above" },
		{ "0 0 99999999999999999999999", ERANGE, "is above 4294967295" },
		{ "0 0 1 x", EINVAL, "unexpected 'x' after the count field" },
		{ "0 0 1x", EINVAL, "unexpected 'x' after the count field" },
		{ "0 0 1 2", EINVAL, "more than three fields" },
		{ "0 0 1 # comment", EINVAL, "unexpected '#'" },
		{ "0,0,1", EINVAL, "unexpected ','" },
		{ "0 0", EINVAL, "count field is missing" },
		{ "0 0 1\r\n", EINVAL, "carriage return" },
		{ "0 0 0", EINVAL, "line 1: count is 0" },
		{ "0 0 1\n4294967295 1 1", ERANGE, "line 2: a range may not start at 4294967295" },
		{ "0 4294967295 1", ERANGE, "may not start at 4294967295" },
		{ "1 0 4294967295", ERANGE, "inside range 1 + 4294967295 wraps" },
		{ "0 1 4294967295", ERANGE, "outside range 1 + 4294967295 wraps" },
		{ "4294967291 0 5", ERANGE, "wraps past 4294967294" },  /* would include (uid_t)-1 */
		{ "0 0 10\n5 100 10", EINVAL, "line 2: inside ids 5..14 overlap line 1 (0..9)" },
		{ "0 0 10\n100 9 10", EINVAL, "line 2: outside ids 9..18 overlap line 1 (0..9)" },
		{ "0 0 1\n0 0 1", EINVAL, "overlap" },
	};
	struct ns_idmap m, before;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&m, 0x5a, sizeof(m));
		before = m;
		errno = 0;
		ck_assert_msg(ns_idmap_parse(bad[i].text, &m) == -bad[i].err, "\"%s\" gave %s", bad[i].text,
			      ns_last_error());
		ck_assert_int_eq(errno, bad[i].err);
		assert_error_mentions(bad[i].why);
		ck_assert_msg(memcmp(&m, &before, sizeof(m)) == 0, "\"%s\" changed the output", bad[i].text);
	}
	ck_assert_int_eq(ns_idmap_parse(NULL, &m), -EINVAL);
	ck_assert_int_eq(ns_idmap_parse("0 0 1", NULL), -EINVAL);
	ck_assert_int_eq(ns_idmap_parse_buf(NULL, 3, &m), -EINVAL);
}
END_TEST

START_TEST(parse_rejects_nul)
{
	static const char text[] = "0 0 1\n1 1 1\0 junk the kernel would not see";
	struct ns_idmap m;

	ck_assert_int_eq(ns_idmap_parse_buf(text, sizeof(text) - 1, &m), -EINVAL);
	assert_error_mentions("line 2: NUL byte");
	ck_assert_int_eq(ns_idmap_parse_buf("0 0\0 1", 6, &m), -EINVAL);
	assert_error_mentions("NUL byte");
	ck_assert_int_eq(ns_idmap_parse_buf(text, 11, &m), 2); /* up to the NUL, it is fine */
	ck_assert_int_eq(ns_idmap_parse_buf(text, 0, &m), -EINVAL);
}
END_TEST

/* 4095 bytes of text: the most the kernel takes in its one write (it refuses >= PAGE_SIZE). */
static char *text_of_length(size_t total)
{
	char *t = malloc(total + 1);
	size_t len = 0;
	int i = 0;

	ck_assert_ptr_nonnull(t);
	/* 24-byte lines, then one line padded with a longer inside id to land exactly on total */
	while (total - len > 24 + 24) {
		len += (size_t)sprintf(t + len, "%u %u 1\n", 4000000000u + (unsigned)i, 3000000000u + (unsigned)i);
		i++;
	}
	while (total - len > 24) {
		len += (size_t)sprintf(t + len, "%u %u 1\n", 4000000000u + (unsigned)i, 3000000000u + (unsigned)i);
		i++;
	}
	/* the rest, between 1 and 24 bytes: "D 2000000000 1\n" is 14 + digits of D */
	{
		size_t rest = total - len;

		ck_assert_uint_ge(rest, 15);
		len += (size_t)sprintf(t + len, "%.*s 2000000000 1\n", (int)(rest - 14), "1000000000");
	}
	ck_assert_uint_eq(len, total);
	return t;
}

START_TEST(parse_page_limit)
{
	struct ns_idmap m;
	char *ok = text_of_length(4095), *big = text_of_length(4096);

	ck_assert_int_eq(sysconf(_SC_PAGESIZE), 4096);
	ck_assert_msg(ns_idmap_parse(ok, &m) > 0, "%s", ns_last_error());
	ck_assert_int_eq(ns_idmap_format(&m, NULL, 0), 4095);
	ck_assert_int_eq(ns_idmap_parse(big, &m), -EINVAL);
	assert_error_mentions("4096 bytes");
	free(ok);
	free(big);
}
END_TEST

START_TEST(parse_extent_limit)
{
	char text[4096];
	struct ns_idmap m;
	size_t len = 0;

	for (int i = 0; i < NS_IDMAP_MAX; i++)
		len += (size_t)sprintf(text + len, "%d %d 1\n", i, i);
	ck_assert_int_eq(ns_idmap_parse(text, &m), NS_IDMAP_MAX);
	sprintf(text + len, "%d %d 1\n", NS_IDMAP_MAX, NS_IDMAP_MAX);
	ck_assert_int_eq(ns_idmap_parse(text, &m), -EINVAL);
	assert_error_mentions("line 341: more than 340 ranges");
}
END_TEST

/* ---- validate, format, add ---- */

START_TEST(validate_rules)
{
	struct ns_idmap m = map_of(2, 0u, 100000u, 65536u, 65536u, 1000u, 1u);

	ck_assert_int_eq(ns_idmap_validate(&m), 0);
	ck_assert_int_eq(ns_idmap_validate(NULL), -EINVAL);
	m.n = 0;
	ck_assert_int_eq(ns_idmap_validate(&m), -EINVAL);
	assert_error_mentions("empty");
	m.n = NS_IDMAP_MAX + 1;
	ck_assert_int_eq(ns_idmap_validate(&m), -EINVAL);
	assert_error_mentions("at most 340");

	m = map_of(2, 0u, 0u, 1u, 1u, 1u, 0u);
	ck_assert_int_eq(ns_idmap_validate(&m), -EINVAL);
	assert_error_mentions("range 2: count is 0");
	m = map_of(1, 4294967295u, 0u, 1u);
	ck_assert_int_eq(ns_idmap_validate(&m), -ERANGE);
	m = map_of(1, 0u, 4294967295u, 1u);
	ck_assert_int_eq(ns_idmap_validate(&m), -ERANGE);
	m = map_of(1, 2u, 0u, 4294967293u);       /* inside ends at 4294967294: fine */
	ck_assert_int_eq(ns_idmap_validate(&m), 0);
	m = map_of(1, 2u, 0u, 4294967294u);       /* inside would end at (uid_t)-1 */
	ck_assert_int_eq(ns_idmap_validate(&m), -ERANGE);
	assert_error_mentions("range 1: inside range 2 + 4294967294 wraps");
	m = map_of(1, 0u, 3000000000u, 3000000000u);
	ck_assert_int_eq(ns_idmap_validate(&m), -ERANGE);
	assert_error_mentions("outside range");
	m = map_of(3, 0u, 0u, 10u, 20u, 20u, 5u, 22u, 100u, 1u);
	ck_assert_int_eq(ns_idmap_validate(&m), -EINVAL);
	assert_error_mentions("range 3: inside ids 22..22 overlap range 2 (20..24)");
	m = map_of(3, 0u, 0u, 10u, 20u, 20u, 5u, 100u, 9u, 1u);
	ck_assert_int_eq(ns_idmap_validate(&m), -EINVAL);
	assert_error_mentions("range 3: outside ids 9..9 overlap range 1 (0..9)");
	/* inside and outside ranges may overlap each other: only like with like is checked */
	m = map_of(2, 0u, 10u, 10u, 10u, 0u, 10u);
	ck_assert_int_eq(ns_idmap_validate(&m), 0);
	/* 171 long lines: 4104 bytes as text, past the kernel's page */
	m.n = 0;
	for (uint32_t i = 0; i < 171; i++)
		m.range[m.n++] = (struct ns_idmap_range){ 4000000000u + i, 3000000000u + i, 1 };
	ck_assert_int_eq(ns_idmap_format(&m, NULL, 0), 4104);
	ck_assert_int_eq(ns_idmap_validate(&m), -EINVAL);
	assert_error_mentions("fewer than 4096");
}
END_TEST

START_TEST(format_snprintf_semantics)
{
	struct ns_idmap m = map_of(2, 0u, 100000u, 65536u, 65536u, 1000u, 1u), back;
	const char *want = "0 100000 65536\n65536 1000 1\n";
	char buf[64];
	int len = (int)strlen(want);

	ck_assert_int_eq(ns_idmap_format(&m, NULL, 0), len);
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(ns_idmap_format(&m, buf, 0), len);
	ck_assert_int_eq(buf[0], 'x');                           /* size 0 writes nothing */
	ck_assert_int_eq(ns_idmap_format(&m, buf, 1), len);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ns_idmap_format(&m, buf, 10), len);
	ck_assert_str_eq(buf, "0 100000 ");                      /* what fits, NUL-terminated */
	ck_assert_int_eq(ns_idmap_format(&m, buf, 17), len);
	ck_assert_str_eq(buf, "0 100000 65536\n6");
	ck_assert_int_eq(ns_idmap_format(&m, buf, (size_t)len), len);
	ck_assert_int_eq((int)strlen(buf), len - 1);
	ck_assert_int_eq(ns_idmap_format(&m, buf, sizeof(buf)), len);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(ns_idmap_parse(buf, &back), 2);
	ck_assert(maps_equal(&m, &back));

	ck_assert_int_eq(ns_idmap_format(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(ns_idmap_format(&m, NULL, 5), -EINVAL);
	m.n = NS_IDMAP_MAX + 1;
	ck_assert_int_eq(ns_idmap_format(&m, buf, sizeof(buf)), -EINVAL);
	m.n = 0;
	ck_assert_int_eq(ns_idmap_format(&m, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(add_keeps_map_valid)
{
	struct ns_idmap m = { .n = 0 }, before;

	ck_assert_int_eq(ns_idmap_add(&m, 0, 1000, 1), 0);
	ck_assert_int_eq(ns_idmap_add(&m, 1, 100000, 65536), 0);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_int_eq(ns_idmap_validate(&m), 0);
	before = m;
	ck_assert_int_eq(ns_idmap_add(&m, 5, 1, 1), -EINVAL);            /* inside overlap */
	ck_assert(memcmp(&m, &before, sizeof(m)) == 0);
	ck_assert_int_eq(ns_idmap_add(&m, 70000, 1000, 1), -EINVAL);     /* outside overlap */
	ck_assert_int_eq(ns_idmap_add(&m, 70000, 1, 0), -EINVAL);        /* empty */
	ck_assert_int_eq(ns_idmap_add(&m, 4294967295u, 1, 1), -ERANGE);
	ck_assert_int_eq(ns_idmap_add(&m, 70000, 4294967295u, 1), -ERANGE);
	ck_assert_int_eq(ns_idmap_add(&m, 70000, 1, 4294967295u), -ERANGE);
	ck_assert(memcmp(&m, &before, sizeof(m)) == 0);
	ck_assert_int_eq(ns_idmap_add(NULL, 0, 0, 1), -EINVAL);

	/* full at 340 */
	m.n = 0;
	for (uint32_t i = 0; i < NS_IDMAP_MAX; i++)
		ck_assert_int_eq(ns_idmap_add(&m, i, i, 1), 0);
	before = m;
	ck_assert_int_eq(ns_idmap_add(&m, 1000, 1000, 1), -EINVAL);
	assert_error_mentions("full");
	ck_assert(memcmp(&m, &before, sizeof(m)) == 0);

	/* and never past the page */
	m.n = 0;
	for (uint32_t i = 0; i < 170; i++)
		ck_assert_int_eq(ns_idmap_add(&m, 4000000000u + i, 3000000000u + i, 1), 0);
	before = m;
	ck_assert_int_eq(ns_idmap_add(&m, 4000000170u, 3000000170u, 1), -EINVAL);
	assert_error_mentions("4104 bytes");
	ck_assert(memcmp(&m, &before, sizeof(m)) == 0);
	ck_assert_int_eq(ns_idmap_add(&m, 1, 2000000000u, 1), 0);      /* a shorter line still fits */
}
END_TEST

/* ---- /etc/subuid and /etc/subgid ---- */

static char fixture_dir[64];

static void fixture_write(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void fixture_use(const char *subuid, const char *subgid)
{
	char path[128];

	nst_tmpdir(fixture_dir, sizeof(fixture_dir), "subid");
	fixture_write("subuid", subuid);
	fixture_write("subgid", subgid);
	snprintf(path, sizeof(path), "%s/subuid", fixture_dir);
	setenv("LIBNS_TEST_SUBUID_FILE", path, 1);
	snprintf(path, sizeof(path), "%s/subgid", fixture_dir);
	setenv("LIBNS_TEST_SUBGID_FILE", path, 1);
}

static void fixture_remove(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/subuid", fixture_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/subgid", fixture_dir);
	unlink(path);
	rmdir(fixture_dir);
	unsetenv("LIBNS_TEST_SUBUID_FILE");
	unsetenv("LIBNS_TEST_SUBGID_FILE");
}

START_TEST(subid_builds_maps)
{
	struct ns_idmap m, want;

	fixture_use("# comment\n"
		    "alice:100000:65536\n"
		    "nobody:200000:1000\n"
		    "nobody:300000:0\n"               /* count 0: skipped */
		    "65534:400000:10\n"               /* the same owner by uid */
		    "root:500000:5\n"
		    "\n"
		    "garbage line of someone else\n",
		    "nobody:700000:100\n");

	ck_assert_msg(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_UID, 0) == 3, "%s", ns_last_error());
	want = map_of(3, 0u, 65534u, 1u, 1u, 200000u, 1000u, 1001u, 400000u, 10u);
	ck_assert(maps_equal(&m, &want));

	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_UID, NS_IDMAP_SUBID_ONLY), 2);
	want = map_of(2, 0u, 200000u, 1000u, 1000u, 400000u, 10u);
	ck_assert(maps_equal(&m, &want));

	ck_assert_int_eq(ns_idmap_from_subid(&m, "65534", NS_IDMAP_UID, NS_IDMAP_SUBID_ONLY), 2);
	ck_assert(maps_equal(&m, &want));

	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_GID, 0), 2);
	want = map_of(2, 0u, 65534u, 1u, 1u, 700000u, 100u);          /* nobody's passwd group, 65534 */
	ck_assert(maps_equal(&m, &want));

	/* NULL is the calling user: root here, found by name */
	ck_assert_int_eq(getuid(), 0);
	ck_assert_int_eq(ns_idmap_from_subid(&m, NULL, NS_IDMAP_UID, 0), 2);
	want = map_of(2, 0u, 0u, 1u, 1u, 500000u, 5u);
	ck_assert(maps_equal(&m, &want));
	ck_assert_int_eq(ns_idmap_validate(&m), 0);
	fixture_remove();
}
END_TEST

START_TEST(subid_errors)
{
	struct ns_idmap m = { .n = 7 }, before = m;

	fixture_use("nobody:4294967200:100\n"
		    "daemon:1:2:3\n"
		    "bin:12x:5\n"
		    "sys:99999999999:1\n"
		    "sync:100:50\n"
		    "sync:120:10\n"
		    "games:1:0\n",
		    "");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_UID, 0), -ERANGE);
	assert_error_mentions("line 1: range 4294967200 + 100 goes past");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "daemon", NS_IDMAP_UID, 0), -EINVAL);
	assert_error_mentions("line 2: malformed entry for daemon");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "bin", NS_IDMAP_UID, 0), -EINVAL);
	assert_error_mentions("line 3");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "sys", NS_IDMAP_UID, 0), -EINVAL);
	ck_assert_int_eq(ns_idmap_from_subid(&m, "sync", NS_IDMAP_UID, 0), -EINVAL);
	assert_error_mentions("line 6");
	assert_error_mentions("overlap");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "games", NS_IDMAP_UID, 0), -ENOENT);
	assert_error_mentions("has no ranges for games");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_GID, 0), -ENOENT);
	ck_assert_int_eq(ns_idmap_from_subid(&m, "no-such-user-libns", NS_IDMAP_UID, 0), -ENOENT);
	assert_error_mentions("no user named");
	ck_assert_int_eq(ns_idmap_from_subid(&m, "", NS_IDMAP_UID, 0), -EINVAL);
	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", 3, 0), -EINVAL);
	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_UID, 0x80), -EINVAL);
	ck_assert_int_eq(ns_idmap_from_subid(NULL, "nobody", NS_IDMAP_UID, 0), -EINVAL);
	ck_assert(maps_equal(&m, &before));
	fixture_remove();

	setenv("LIBNS_TEST_SUBUID_FILE", "/nonexistent/libns/subuid", 1);
	ck_assert_int_eq(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_UID, 0), -ENOENT);
	assert_error_mentions("/nonexistent/libns/subuid");
	unsetenv("LIBNS_TEST_SUBUID_FILE");
}
END_TEST

/*
 * issue 9 #7: the subid file is read bounded and only if it is a regular file. Before, /dev/zero was
 * read for ever with memory growing and a FIFO blocked: each case runs in a child with a hang guard
 * and a memory limit, and must come back with EINVAL at once.
 */
static int subid_from(const char *path, const char *why)
{
	struct ns_idmap m;
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		alarm(20);
		nst_limit_memory(256ul << 20);
		setenv("LIBNS_TEST_SUBUID_FILE", path, 1);
		NST_CHILD_CHECK(ns_idmap_from_subid(&m, "nobody", NS_IDMAP_UID, 0) == -EINVAL);
		NST_CHILD_CHECK(errno == EINVAL);
		NST_CHILD_CHECK(strstr(ns_last_error(), path) != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), why) != NULL);
		_exit(0);
	}
	return nst_wait(child);
}

START_TEST(subid_reads_bounded_regular_files)
{
	char fifo[128], *text;
	size_t n = 1 << 20;

	fixture_use("nobody:100000:10\n", "");
	ck_assert_int_eq(subid_from("/dev/zero", "not a regular file"), 0);
	snprintf(fifo, sizeof(fifo), "%s/fifo", fixture_dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(subid_from(fifo, "not a regular file"), 0);
	unlink(fifo);
	ck_assert_int_eq(subid_from(fixture_dir, "not a regular file"), 0);   /* a directory */
	fixture_remove();

	/* a NUL byte, on another owner's line too, and an absurdly long line: EINVAL, nothing read on */
	fixture_use("nobody:100000:10\n", "");
	fixture_write("subuid", "");
	{
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), "%s/subuid", fixture_dir);
		f = fopen(path, "we");
		ck_assert_ptr_nonnull(f);
		fputs("root:100:10\nda", f);
		fputc('\0', f);
		fputs("emon:1:2\nnobody:100000:10\n", f);
		ck_assert_int_eq(fclose(f), 0);
		ck_assert_int_eq(subid_from(path, "line 2: NUL byte"), 0);
		text = malloc(n + 32);
		memset(text, 'x', n);
		strcpy(text + n, ":1:2\nnobody:100000:10\n");
		fixture_write("subuid", text);
		free(text);
		ck_assert_int_eq(subid_from(path, "line 1 is longer than"), 0);
	}
	fixture_remove();
}
END_TEST

/* ---- the kernel's verdict against libns's ---- */

#define KERNEL_ANY 1 /* the kernel's answer is not asserted, only recorded */

struct diff_case {
	const char *text;
	size_t len;        /* 0: strlen */
	int libns;         /* 0 or the errno ns_idmap_parse_buf gives */
	int kernel;        /* 0, the errno write() gives, or KERNEL_ANY */
	const char *kernel_reads; /* when the kernel accepts what libns refuses: what it made of it */
};

static int kernel_verdict(const char *text, size_t len, char *readback, size_t size)
{
	pid_t t = userns_target();
	int r = raw_write(t, "uid_map", text, len);

	ck_assert_int_ge(read_proc(t, "uid_map", readback, size), 0);
	nst_kill(t, NULL);
	return r;
}

START_TEST(differential_against_kernel)
{
	char *page_ok = text_of_length(4095), *page_big = text_of_length(4096), lines340[4096], lines341[4096];
	size_t len = 0;

	for (int i = 0; i < NS_IDMAP_MAX; i++)
		len += (size_t)sprintf(lines340 + len, "%d %d 1\n", i * 3, 1000 + i * 3);
	memcpy(lines341, lines340, len + 1);
	sprintf(lines341 + len, "%d %d 1\n", 5000, 5000);

	const struct diff_case cases[] = {
		{ "0 0 1\n", 0, 0, 0, NULL },
		{ "0 100000 65536\n", 0, 0, 0, NULL },
		{ "0 0 4294967295\n", 0, 0, 0, NULL },
		{ "0 1 1", 0, 0, 0, NULL },
		{ " 0\t1  1 \t\n", 0, 0, 0, NULL },
		{ "1 1 1\n0 0 1\n", 0, 0, 0, NULL },
		{ "010 0 1\n", 0, 0, 0, NULL },
		{ "0 0 1\n1 1 1", 0, 0, 0, NULL },
		{ "4294967294 4294967294 1\n", 0, 0, 0, NULL },
		{ "4294967290 4294967290 5\n", 0, 0, 0, NULL },
		{ "4294967291 0 5\n", 0, ERANGE, EINVAL, NULL },
		{ lines340, 0, 0, 0, NULL },
		{ page_ok, 0, 0, 0, NULL },
		{ lines341, 0, EINVAL, EINVAL, NULL },
		{ page_big, 0, EINVAL, EINVAL, NULL },
		{ "\n", 0, EINVAL, EINVAL, NULL },
		{ "0 0 1\n\n", 0, EINVAL, EINVAL, NULL },
		{ "0 0 1\n\n1 1 1\n", 0, EINVAL, EINVAL, NULL },
		{ "   \n", 0, EINVAL, EINVAL, NULL },
		{ "+0 0 1", 0, EINVAL, EINVAL, NULL },
		{ "0 -1 1", 0, EINVAL, EINVAL, NULL },
		{ "0 0x10 1", 0, EINVAL, EINVAL, NULL },
		{ "0 0 1 x", 0, EINVAL, EINVAL, NULL },
		{ "0 0 1 2", 0, EINVAL, EINVAL, NULL },
		{ "0 0", 0, EINVAL, EINVAL, NULL },
		{ "0 0 0", 0, EINVAL, EINVAL, NULL },
		{ "4294967295 0 1", 0, ERANGE, EINVAL, NULL },
		{ "0 4294967295 1", 0, ERANGE, EINVAL, NULL },
		{ "1 0 4294967295", 0, ERANGE, EINVAL, NULL },
		{ "0 1 4294967295", 0, ERANGE, EINVAL, NULL },
		{ "0 0 10\n5 100 10", 0, EINVAL, EINVAL, NULL },
		{ "0 0 10\n100 9 10", 0, EINVAL, EINVAL, NULL },
		/* The reasons libns is strict: the kernel truncates to 32 bits ... */
		{ "0 4294967296 1\n", 0, ERANGE, 0, "0 0 1\n" },
		{ "4294967296 100 1\n", 0, ERANGE, 0, "0 100 1\n" },
		{ "0 99999999999999999999 1\n", 0, ERANGE, KERNEL_ANY, NULL },
		/* ... ignores everything after a NUL byte ... */
		{ "0 0 1\n\0" "5 5 5\n", 12, EINVAL, 0, "0 0 1\n" },
		/* ... and takes a carriage return for a blank. */
		{ "0 0 1\r\n", 0, EINVAL, 0, "0 0 1\n" },
	};
	char readback[12000], formatted[12000];
	struct ns_idmap m;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct diff_case *c = &cases[i];
		size_t n = c->len ? c->len : strlen(c->text);
		int lib = ns_idmap_parse_buf(c->text, n, &m), kern = kernel_verdict(c->text, n, readback,
										sizeof(readback));

		if (lib > 0)
			lib = 0;
		ck_assert_msg(lib == -c->libns, "case %zu \"%.40s\": libns says %d (%s), expected %d", i, c->text,
			      lib, ns_last_error(), -c->libns);
		if (c->kernel != KERNEL_ANY)
			ck_assert_msg(kern == -c->kernel, "case %zu \"%.40s\": the kernel says %d, expected %d", i,
				      c->text, kern, -c->kernel);
		if (lib >= 0) {
			/* the rule that matters: what libns accepts, the kernel accepts, and reads back the same */
			ck_assert_msg(kern == 0, "case %zu: libns accepts \"%.40s\", the kernel refuses it (%d)", i,
				      c->text, kern);
			ck_assert_int_ge(ns_idmap_format(&m, formatted, sizeof(formatted)), 0);
			ck_assert_msg(same_map_text(formatted, readback), "case %zu: kernel reads\n%s\nlibns formats\n%s",
				      i, readback, formatted);
		} else if (kern == 0 && c->kernel_reads) {
			ck_assert_msg(same_map_text(c->kernel_reads, readback), "case %zu: kernel made \"%s\" of it", i,
				      readback);
		} else if (kern != 0) {
			ck_assert_str_eq(readback, "");
		}
	}
	free(page_ok);
	free(page_big);
}
END_TEST

/* ---- writing ---- */

START_TEST(write_uid_and_gid_maps)
{
	pid_t t = userns_target();
	struct ns_idmap u = map_of(2, 0u, 100000u, 65536u, 65536u, 0u, 1u);
	struct ns_idmap g = map_of(1, 0u, 200000u, 1000u);
	char buf[64];

	ck_assert_msg(ns_write_idmap(t, NS_IDMAP_UID, &u, 0) == 0, "%s", ns_last_error());
	assert_map_reads(t, "uid_map", &u);
	ck_assert_msg(ns_write_idmap(t, NS_IDMAP_GID, &g, 0) == 0, "%s", ns_last_error());
	assert_map_reads(t, "gid_map", &g);
	/* a privileged writer leaves setgroups alone */
	ck_assert_int_gt(read_proc(t, "setgroups", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "allow\n");
	/* the kernel takes one write per map */
	ck_assert_int_eq(ns_write_idmap(t, NS_IDMAP_UID, &u, 0), -EPERM);
	ck_assert_int_eq(errno, EPERM);
	assert_error_mentions("already written");
	ck_assert_int_eq(ns_write_idmap(t, NS_IDMAP_GID, &g, 0), -EPERM);
	assert_error_mentions("gid_map of process");
	assert_error_mentions("already written");
	/* and setgroups can no longer be denied */
	ck_assert_int_eq(ns_write_setgroups(t, 0), -EPERM);
	assert_error_mentions("gid_map of the process is already written");
	nst_kill(t, NULL);
}
END_TEST

START_TEST(write_rejects_bad_arguments)
{
	pid_t t = userns_target(), dead = nst_dead_pid();
	struct ns_idmap ok = map_of(1, 0u, 0u, 1u), bad = map_of(2, 0u, 0u, 10u, 5u, 100u, 1u);

	ck_assert_int_eq(ns_write_idmap(t, NS_IDMAP_UID, &bad, 0), -EINVAL);
	assert_error_mentions("overlap");
	ck_assert_int_eq(ns_write_idmap(t, NS_IDMAP_UID, &ok, 0x100), -EINVAL);
	assert_error_mentions("unknown flag");
	ck_assert_int_eq(ns_write_idmap(t, 0, &ok, 0), -EINVAL);
	ck_assert_int_eq(ns_write_idmap(t, NS_IDMAP_UID, NULL, 0), -EINVAL);
	ck_assert_int_eq(ns_write_idmap(-1, NS_IDMAP_UID, &ok, 0), -EINVAL);
	ck_assert(proc_file_empty(t, "uid_map"));
	ck_assert_int_eq(ns_write_idmap(dead, NS_IDMAP_UID, &ok, 0), -ESRCH);
	ck_assert_int_eq(ns_write_setgroups(dead, 0), -ESRCH);
	ck_assert_int_eq(ns_write_setgroups(-5, 0), -EINVAL);
	/* the map is written exactly, once */
	ck_assert_int_eq(ns_write_idmap(t, NS_IDMAP_UID, &ok, 0), 0);
	assert_map_reads(t, "uid_map", &ok);
	nst_kill(t, NULL);
}
END_TEST

START_TEST(write_setgroups)
{
	pid_t t = userns_target();
	char buf[64];

	ck_assert_int_eq(ns_write_setgroups(t, 1), 0);      /* "allow" is the default and stays undecided */
	ck_assert_int_eq(ns_write_setgroups(t, 0), 0);
	ck_assert_int_gt(read_proc(t, "setgroups", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "deny\n");
	ck_assert_int_eq(ns_write_setgroups(t, 0), 0);
	ck_assert_int_eq(ns_write_setgroups(t, 1), -EPERM);
	assert_error_mentions("cannot be undone");
	nst_kill(t, NULL);
}
END_TEST

/* pid 0: a process that unshared its user namespace maps itself; inside, only its own id. */
START_TEST(write_self_inside)
{
	pid_t c = fork();

	ck_assert_int_ge(c, 0);
	if (c == 0) {
		struct ns_idmap root = map_of(1, 0u, 0u, 1u), two = map_of(1, 0u, 0u, 2u);
		char buf[64];

		NST_CHILD_CHECK(unshare(CLONE_NEWUSER) == 0);
		NST_CHILD_CHECK(ns_write_idmap(0, NS_IDMAP_UID, &two, 0) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "inside the namespace"));
		NST_CHILD_CHECK(ns_write_idmap(0, NS_IDMAP_UID, &root, 0) == 0);
		NST_CHILD_CHECK(geteuid() == 0);
		/* the gid map needs setgroups "deny" first, which libns writes */
		NST_CHILD_CHECK(ns_write_idmap(0, NS_IDMAP_GID, &root, 0) == 0);
		NST_CHILD_CHECK(getegid() == 0);
		NST_CHILD_CHECK(read_proc(getpid(), "setgroups", buf, sizeof(buf)) > 0 && strcmp(buf, "deny\n") == 0);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(c), 0);
}
END_TEST

START_TEST(write_through_helper_as_root)
{
	pid_t t = userns_target(), t2 = userns_target();
	struct ns_idmap own = map_of(1, 0u, 0u, 1u), foreign = map_of(1, 0u, 4000000000u, 1u);

	ck_assert_msg(ns_write_idmap(t, NS_IDMAP_UID, &own, NS_IDMAP_USE_HELPER) == 0, "%s", ns_last_error());
	assert_map_reads(t, "uid_map", &own);
	ck_assert_int_eq(ns_write_idmap(t2, NS_IDMAP_UID, &foreign, NS_IDMAP_USE_HELPER), -EPERM);
	assert_error_mentions("/usr/bin/newuidmap refused");
	assert_error_mentions("not allowed");                 /* newuidmap's own words */
	ck_assert(proc_file_empty(t2, "uid_map"));
	nst_kill(t, NULL);
	nst_kill(t2, NULL);
}
END_TEST

/* ---- unprivileged writers (uid 65534) ---- */

START_TEST(unprivileged_rules)
{
	pid_t root_target = userns_target(), c = nst_fork_unprivileged();

	ck_assert_int_ge(c, 0);
	if (c == 0) {
		struct ns_idmap own = map_of(1, 0u, 65534u, 1u), more = map_of(1, 0u, 0u, 1u);
		pid_t t = nst_spawn_target(CLONE_NEWUSER, NULL), t2 = nst_spawn_target(CLONE_NEWUSER, NULL);
		pid_t t3 = nst_spawn_target(CLONE_NEWUSER, NULL);
		char buf[64];

		NST_CHILD_CHECK(t > 0 && t2 > 0 && t3 > 0);
		/* its own id: allowed */
		NST_CHILD_CHECK(ns_write_idmap(t, NS_IDMAP_UID, &own, 0) == 0);
		NST_CHILD_CHECK(read_proc(t, "uid_map", buf, sizeof(buf)) > 0 && same_map_text(buf, "0 65534 1"));
		/* its own gid: allowed once setgroups is "deny", which libns writes first */
		NST_CHILD_CHECK(ns_write_idmap(t, NS_IDMAP_GID, &own, 0) == 0);
		NST_CHILD_CHECK(read_proc(t, "setgroups", buf, sizeof(buf)) > 0 && strcmp(buf, "deny\n") == 0);
		NST_CHILD_CHECK(read_proc(t, "gid_map", buf, sizeof(buf)) > 0 && same_map_text(buf, "0 65534 1"));
		NST_CHILD_CHECK(ns_write_setgroups(t, 1) == -EPERM && errno == EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "cannot be undone"));

		/* anything else goes to newuidmap, which finds no /etc/subuid range for nobody */
		NST_CHILD_CHECK(ns_write_idmap(t2, NS_IDMAP_UID, &more, 0) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "newuidmap"));
		NST_CHILD_CHECK(proc_file_empty(t2, "uid_map"));

		/* the kernel's ordering rule, seen without libns: gid_map before setgroups=deny is EPERM */
		NST_CHILD_CHECK(raw_write(t3, "gid_map", "0 65534 1\n", 10) == -EPERM);
		NST_CHILD_CHECK(ns_write_setgroups(t3, 0) == 0);
		NST_CHILD_CHECK(raw_write(t3, "gid_map", "0 65534 1\n", 10) == 0);

		/* a namespace of someone else: the file is not even writable */
		NST_CHILD_CHECK(ns_write_idmap(root_target, NS_IDMAP_UID, &own, 0) == -EACCES);
		NST_CHILD_CHECK(ns_write_setgroups(root_target, 0) == -EACCES);
		nst_kill(t, NULL);
		nst_kill(t2, NULL);
		nst_kill(t3, NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(c), 0);
	ck_assert(proc_file_empty(root_target, "uid_map"));
	nst_kill(root_target, NULL);
}
END_TEST

static void bind_file(const char *dir, const char *name, const char *text, const char *over)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	NST_CHILD_CHECK(fd >= 0);
	NST_CHILD_CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	NST_CHILD_CHECK(mount(path, over, "none", MS_BIND, NULL) == 0);
}

static void remove_dir_files(const char *dir, const char *const *names)
{
	char path[128];

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * The helper path end to end: in a private mount namespace, /etc/subuid and /etc/subgid give
 * nobody a range; an unprivileged nobody then maps its namespace through newuidmap/newgidmap, chosen
 * automatically, and ns_idmap_from_subid() reads the same files.
 */
START_TEST(unprivileged_helper_with_subids)
{
	pid_t w = fork();

	ck_assert_int_ge(w, 0);
	if (w == 0) {
		static const char *const files[] = { "subuid", "subgid", NULL };
		char dir[64];
		pid_t u;
		int st;

		NST_CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
		NST_CHILD_CHECK(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0);
		nst_tmpdir(dir, sizeof(dir), "idmap");
		bind_file(dir, "subuid", "nobody:200000:1000\n", "/etc/subuid");
		bind_file(dir, "subgid", "nobody:300000:500\n", "/etc/subgid");
		u = nst_fork_unprivileged();
		if (u == 0) {
			struct ns_idmap m, want_u = map_of(2, 0u, 65534u, 1u, 1u, 200000u, 1000u),
					   want_g = map_of(2, 0u, 65534u, 1u, 1u, 300000u, 500u);
			pid_t t = nst_spawn_target(CLONE_NEWUSER, NULL);
			char buf[256];

			NST_CHILD_CHECK(t > 0);
			unsetenv("LIBNS_TEST_SUBUID_FILE");
			NST_CHILD_CHECK(ns_idmap_from_subid(&m, NULL, NS_IDMAP_UID, 0) == 2);
			NST_CHILD_CHECK(maps_equal(&m, &want_u));
			NST_CHILD_CHECK(ns_write_idmap(t, NS_IDMAP_UID, &m, 0) == 0);
			NST_CHILD_CHECK(read_proc(t, "uid_map", buf, sizeof(buf)) > 0);
			NST_CHILD_CHECK(same_map_text(buf, "0 65534 1\n1 200000 1000\n"));
			NST_CHILD_CHECK(ns_idmap_from_subid(&m, NULL, NS_IDMAP_GID, 0) == 2);
			NST_CHILD_CHECK(maps_equal(&m, &want_g));
			NST_CHILD_CHECK(ns_write_idmap(t, NS_IDMAP_GID, &m, 0) == 0);
			NST_CHILD_CHECK(read_proc(t, "gid_map", buf, sizeof(buf)) > 0);
			NST_CHILD_CHECK(same_map_text(buf, "0 65534 1\n1 300000 500\n"));
			/* with subordinate groups, newgidmap leaves setgroups allowed */
			NST_CHILD_CHECK(read_proc(t, "setgroups", buf, sizeof(buf)) > 0 && strcmp(buf, "allow\n") == 0);
			nst_kill(t, NULL);
			_exit(0);
		}
		st = nst_wait(u);
		remove_dir_files(dir, files);
		_exit(st);
	}
	ck_assert_int_eq(nst_wait(w), 0);
}
END_TEST

/* ---- a bind mount over /proc/PID/uid_map must never receive the map ---- */

/* openat2() made to fail with ENOSYS, as on Linux < 5.6, to exercise the fallback check. */
static void deny_openat2(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(f), .filter = f };

	NST_CHILD_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	NST_CHILD_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
	NST_CHILD_CHECK(syscall(SYS_openat2, AT_FDCWD, "/", NULL, 0) < 0 && errno == ENOSYS);
}

static void check_bind_mount_refused(bool fallback)
{
	pid_t w = fork();

	ck_assert_int_ge(w, 0);
	if (w == 0) {
		static const char *const files[] = { "fake", NULL };
		struct ns_idmap m = map_of(1, 0u, 0u, 1u);
		char dir[64], over[96], src[64], path[128];
		pid_t t, t2, t3, t4;
		struct stat st;

		NST_CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
		NST_CHILD_CHECK(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0);
		nst_tmpdir(dir, sizeof(dir), "idmap");
		t = nst_spawn_target(CLONE_NEWUSER, NULL);
		t2 = nst_spawn_target(CLONE_NEWUSER, NULL);
		t3 = nst_spawn_target(CLONE_NEWUSER, NULL);
		t4 = nst_spawn_target(CLONE_NEWUSER, NULL);
		NST_CHILD_CHECK(t > 0 && t2 > 0 && t3 > 0 && t4 > 0);
		if (fallback)
			deny_openat2();

		/* a regular file over uid_map */
		snprintf(over, sizeof(over), "/proc/%d/uid_map", (int)t);
		bind_file(dir, "fake", "", over);
		NST_CHILD_CHECK(ns_write_idmap(t, NS_IDMAP_UID, &m, 0) == -EXDEV);
		NST_CHILD_CHECK(strstr(ns_last_error(), "mounted over"));
		NST_CHILD_CHECK(ns_write_setgroups(t, 0) == 0);   /* the rest of /proc/PID is fine */
		snprintf(path, sizeof(path), "%s/fake", dir);
		NST_CHILD_CHECK(stat(path, &st) == 0 && st.st_size == 0);
		NST_CHILD_CHECK(umount2(over, MNT_DETACH) == 0);
		NST_CHILD_CHECK(proc_file_empty(t, "uid_map"));
		NST_CHILD_CHECK(ns_write_idmap(t, NS_IDMAP_UID, &m, 0) == 0);

		/* another process's uid_map (procfs too) over uid_map */
		snprintf(over, sizeof(over), "/proc/%d/uid_map", (int)t2);
		snprintf(src, sizeof(src), "/proc/%d/uid_map", (int)t3);
		NST_CHILD_CHECK(mount(src, over, "none", MS_BIND, NULL) == 0);
		NST_CHILD_CHECK(ns_write_idmap(t2, NS_IDMAP_UID, &m, 0) == -EXDEV);
		NST_CHILD_CHECK(umount2(over, MNT_DETACH) == 0);
		NST_CHILD_CHECK(proc_file_empty(t2, "uid_map") && proc_file_empty(t3, "uid_map"));

		/* another process's /proc directory over /proc/PID */
		snprintf(over, sizeof(over), "/proc/%d", (int)t2);
		snprintf(src, sizeof(src), "/proc/%d", (int)t4);
		NST_CHILD_CHECK(mount(src, over, "none", MS_BIND, NULL) == 0);
		NST_CHILD_CHECK(ns_write_idmap(t2, NS_IDMAP_UID, &m, 0) == -EXDEV);
		NST_CHILD_CHECK(ns_set_time_offsets(t2, &(struct timespec){ 1, 0 }, NULL) ==
				(ns_has_feature(NS_FEATURE_TIME_NS) ? -EXDEV : -EOPNOTSUPP));
		NST_CHILD_CHECK(umount2(over, MNT_DETACH) == 0);
		NST_CHILD_CHECK(proc_file_empty(t2, "uid_map") && proc_file_empty(t4, "uid_map"));

		nst_kill(t, NULL);
		nst_kill(t2, NULL);
		nst_kill(t3, NULL);
		nst_kill(t4, NULL);
		remove_dir_files(dir, files);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(w), 0);
}

START_TEST(bind_mount_over_map_refused) { check_bind_mount_refused(false); }
END_TEST
START_TEST(bind_mount_over_map_refused_without_openat2) { check_bind_mount_refused(true); }
END_TEST

int main(void)
{
	Suite *s = suite_create("idmap");
	TCase *pure = nst_tcase("pure"), *live = nst_tcase("live"), *unpriv = nst_tcase("unprivileged");
	const char *root = nst_need_root();
	const char *helper = access("/usr/bin/newuidmap", X_OK) == 0 ? root : "needs /usr/bin/newuidmap (uidmap)";

	nst_add(pure, parse_accepts, NULL);
	nst_add(pure, parse_rejects, NULL);
	nst_add(pure, parse_rejects_nul, NULL);
	nst_add(pure, parse_page_limit, sysconf(_SC_PAGESIZE) == 4096 ? NULL : "written for 4 KiB pages");
	nst_add(pure, parse_extent_limit, NULL);
	nst_add(pure, validate_rules, sysconf(_SC_PAGESIZE) == 4096 ? NULL : "written for 4 KiB pages");
	nst_add(pure, format_snprintf_semantics, NULL);
	nst_add(pure, add_keeps_map_valid, sysconf(_SC_PAGESIZE) == 4096 ? NULL : "written for 4 KiB pages");
	nst_add(pure, subid_builds_maps, root);
	nst_add(pure, subid_errors, NULL);
	nst_add(pure, subid_reads_bounded_regular_files, NULL);
	suite_add_tcase(s, pure);

	nst_add(live, differential_against_kernel, sysconf(_SC_PAGESIZE) == 4096 ? root : "written for 4 KiB pages");
	nst_add(live, write_uid_and_gid_maps, root);
	nst_add(live, write_rejects_bad_arguments, root);
	nst_add(live, write_setgroups, root);
	nst_add(live, write_self_inside, root);
	nst_add(live, write_through_helper_as_root, helper);
	nst_add(live, bind_mount_over_map_refused, root);
	nst_add(live, bind_mount_over_map_refused_without_openat2, root);
	suite_add_tcase(s, live);

	nst_add(unpriv, unprivileged_rules, root);
	nst_add(unpriv, unprivileged_helper_with_subids, helper);
	suite_add_tcase(s, unpriv);
	return nst_run(s);
}

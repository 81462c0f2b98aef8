/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pure layers of lib/ checked directly, unprivileged and without touching the kernel's namespaces:
 * the namespace-type table (types.c), the parsers and formatters of kernel text (parse.c), and the
 * failure record with its argument checks (error.c). Linked against the library's objects, not
 * libns.so, because these functions are private. `meson test --suite unit` runs this with the pure
 * cases of the other suites.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "helpers.h"
#include "internal.h"
#include "parse-net.h"

START_TEST(type_table_rows_agree)
{
	unsigned all = 0;

	for (int i = 0; i < NS_NTYPES; i++) {
		const struct ns__type_info *t = &ns__types[i];

		ck_assert_int_eq(ns__type_index(t->type), i);
		ck_assert(ns__is_single_type(t->type));
		ck_assert_str_eq(ns_type_name(t->type), t->name);
		ck_assert_int_eq(ns__type_from_name(t->name), t->type);
		ck_assert_str_eq(ns__proc_name(t->type, false), t->name);
		ck_assert_str_eq(ns__proc_name(t->type, true), t->children_name ? t->children_name : t->name);
		ck_assert_uint_ne(t->pidfd_ioctl, 0);
		ck_assert_uint_eq(ns__pidfd_ioctl(t->type, false), t->pidfd_ioctl);
		ck_assert_uint_eq(ns__pidfd_ioctl(t->type, true),
				  t->pidfd_children_ioctl ? t->pidfd_children_ioctl : t->pidfd_ioctl);
		ck_assert_uint_eq(all & (unsigned)t->type, 0);   /* one bit each, no row twice */
		all |= (unsigned)t->type;
	}
	ck_assert_uint_eq(all, (unsigned)NS_TYPES_ALL);
	/* only pid and time have a separate namespace for children */
	for (int i = 0; i < NS_NTYPES; i++)
		ck_assert_int_eq(ns__types[i].children_name != NULL,
				 ns__types[i].type == NS_TYPE_PID || ns__types[i].type == NS_TYPE_TIME);
	ck_assert_str_eq(ns__proc_name(NS_TYPE_PID, true), "pid_for_children");
	ck_assert_str_eq(ns__proc_name(NS_TYPE_TIME, true), "time_for_children");
}
END_TEST

START_TEST(type_table_is_in_setns_order)
{
	/* user first (the others are entered with its capabilities), mount last (it resets root and cwd) */
	ck_assert_int_eq(ns__types[0].type, NS_TYPE_USER);
	ck_assert_int_eq(ns__types[NS_NTYPES - 1].type, NS_TYPE_MNT);
}
END_TEST

START_TEST(type_lookups_reject_non_types)
{
	ck_assert_int_eq(ns__type_index(0), -1);
	ck_assert_int_eq(ns__type_index(NS_TYPE_NET | NS_TYPE_PID), -1);
	ck_assert(!ns__is_single_type(-1));
	ck_assert_ptr_null(ns__proc_name(0, false));
	ck_assert_uint_eq(ns__pidfd_ioctl(0, true), 0);
	ck_assert_int_eq(ns__type_from_name("network"), -EINVAL); /* only the public lookup takes nsenter's words */
	ck_assert_int_eq(ns__type_from_name(""), -EINVAL);
}
END_TEST

START_TEST(types_text_lists_bits_in_order)
{
	char buf[64], small[6];

	ck_assert_str_eq(ns__types_text(NS_TYPE_NET | NS_TYPE_PID | NS_TYPE_TIME, buf, sizeof(buf)), "time,pid,net");
	ck_assert_str_eq(ns__types_text(0, buf, sizeof(buf)), "");
	ck_assert_str_eq(ns__types_text(NS_TYPE_NET | 1, buf, sizeof(buf)), "net"); /* no name, no text */
	ns__types_text(NS_TYPE_CGROUP | NS_TYPE_USER, small, sizeof(small));
	ck_assert_uint_lt(strlen(small), sizeof(small)); /* truncated, terminated */
}
END_TEST

START_TEST(ns_link_parser)
{
	int type = 0;
	uint64_t ino = 0;
	static const char *const bad[] = {
		"net:[]", "net:[0]", "net:[12a]", "net:4026531840", "net:[4026531840", "bogus:[1]", "pidfd:[77]",
		"anon_inode:[eventfd]", "/dev/null", "net:[18446744073709551616]", ":[1]", "",
	};

	ck_assert(ns__parse_ns_link("net:[4026531840]", strlen("net:[4026531840]"), &type, &ino));
	ck_assert_int_eq(type, NS_TYPE_NET);
	ck_assert_uint_eq(ino, 4026531840u);
	ck_assert(ns__parse_ns_link("user:[18446744073709551615]", 27, &type, &ino));
	ck_assert_uint_eq(ino, UINT64_MAX);
	/* the length bounds the parse: a longer buffer is not read past it */
	ck_assert(ns__parse_ns_link("uts:[42]garbage", 8, &type, &ino));
	ck_assert_int_eq(type, NS_TYPE_UTS);
	ck_assert_uint_eq(ino, 42);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!ns__parse_ns_link(bad[i], strlen(bad[i]), &type, &ino), "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(mountinfo_parser)
{
	char nsfs[] = "612 31 0:4 net:[4026532301] /run/netns/a\\040b rw,nosuid shared:1 - nsfs nsfs rw";
	char other[] = "24 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw";
	char cut[] = "612 31 0:4 net:[4026532301] - nsfs nsfs rw";
	char *mountpoint = NULL;
	uint64_t ino = 0;
	int type = 0;

	ck_assert(ns__mountinfo_nsfs(nsfs, &type, &ino, &mountpoint));
	ck_assert_int_eq(type, NS_TYPE_NET);
	ck_assert_uint_eq(ino, 4026532301u);
	ck_assert_str_eq(mountpoint, "/run/netns/a b");  /* \040 unescaped */
	ck_assert(!ns__mountinfo_nsfs(other, &type, &ino, &mountpoint));
	ck_assert(!ns__mountinfo_nsfs(cut, &type, &ino, &mountpoint));
}
END_TEST

START_TEST(nspid_parser)
{
	const char *status = "Name:\tsleep\nNSpid:\t4242\t17\t1\nNStgid:\t4240\t15\t1\nThreads:\t1\n";
	pid_t pids[4];

	ck_assert_int_eq(ns__parse_nspid(status, "NSpid", pids, 4), 3);
	ck_assert_int_eq(pids[0], 4242);
	ck_assert_int_eq(pids[2], 1);
	ck_assert_int_eq(ns__parse_nspid(status, "NStgid", pids, 4), 3);
	ck_assert_int_eq(pids[1], 15);
	ck_assert_int_eq(ns__parse_nspid(status, "NSpid", pids, 2), -E2BIG);
	ck_assert_int_eq(ns__parse_nspid(status, "NSsid", pids, 4), -ENOENT);
	ck_assert_int_eq(ns__parse_nspid("NSpid:\t0\n", "NSpid", pids, 4), -EINVAL);
	ck_assert_int_eq(ns__parse_nspid("NSpid:\t12x\n", "NSpid", pids, 4), -EINVAL);
	ck_assert_int_eq(ns__parse_nspid("NSpid:\t99999999999\n", "NSpid", pids, 4), -EINVAL);
	ck_assert_int_eq(ns__parse_nspid("NSpid:\n", "NSpid", pids, 4), -EINVAL);
	ck_assert_int_eq(ns__parse_nspid(status, "NSpid", NULL, 4), -EINVAL);
}
END_TEST

START_TEST(timens_text_round_trip)
{
	struct timespec mono = { .tv_sec = -86400, .tv_nsec = 5 }, boot = { .tv_sec = 7, .tv_nsec = 0 };
	struct timespec now = { .tv_sec = 1000, .tv_nsec = 0 };
	char buf[128];
	int64_t sec = 0;
	int len = ns__timens_format(buf, sizeof(buf), &mono, &boot);

	ck_assert_str_eq(buf, "monotonic -86400 5\nboottime 7 0\n");
	ck_assert_int_eq(len, (int)strlen(buf));
	ck_assert(ns__timens_host_sec(buf, CLOCK_BOOTTIME, &now, &sec));
	ck_assert_int_eq(sec, 993);
	/* now's nanoseconds below the offset's borrow a second */
	ck_assert(ns__timens_host_sec(buf, CLOCK_MONOTONIC, &now, &sec));
	ck_assert_int_eq(sec, 1000 + 86400 - 1);
	ck_assert(!ns__timens_host_sec("monotonic 1 1000000000\n", CLOCK_MONOTONIC, &now, &sec));
	ck_assert(!ns__timens_host_sec("boottime 1 0\n", CLOCK_MONOTONIC, &now, &sec));
	ck_assert_int_eq(ns__timens_format(buf, sizeof(buf), NULL, NULL), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(digits)
{
	ck_assert(ns__all_digits("0123456789"));
	ck_assert(!ns__all_digits(""));
	ck_assert(!ns__all_digits("12 "));
	ck_assert(!ns__all_digits("self"));
}
END_TEST

/* The failure record: -err returned, errno set, "what: strerror" as the message. */
START_TEST(argument_checks_keep_their_words)
{
	errno = 0;
	ck_assert_int_eq(ns__check_fd("ns_x", -1), -EBADF);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_str_eq(ns_last_error(), "ns_x: -1 is not an open file descriptor: Bad file descriptor");
	ck_assert_int_eq(ns__check_fd("ns_x", 0), 0);
	ck_assert_int_eq(ns__check_pid("ns_x", -2), -EINVAL);
	ck_assert_str_eq(ns_last_error(), "ns_x: -2 is not a process id: Invalid argument");
	ck_assert_int_eq(ns__check_pid("ns_x", 0), 0);
	ck_assert_int_eq(ns__check_types("ns_x", 0), -EINVAL);
	ck_assert_str_eq(ns_last_error(), "ns_x: types 0x0 is not a non-empty set of NS_TYPE_* values: Invalid argument");
	ck_assert_int_eq(ns__check_types("ns_x", NS_TYPE_NET | 1), -EINVAL);
	ck_assert_int_eq(ns__check_types("ns_x", NS_TYPES_ALL), 0);
	ck_assert_int_eq(ns__check_flags("ns_x", 3, 1), -EINVAL);
	ck_assert_str_eq(ns_last_error(), "ns_x: unknown flag bits 0x2: Invalid argument");
	ck_assert_int_eq(ns__check_flags("ns_x", 1, 1), 0);
}
END_TEST

START_TEST(messages_compose)
{
	char longer[1000];

	ns__fail(ENOENT, "open %s", "/x");
	ck_assert_int_eq(ns__prefixed("ns_y", -ENOENT), -ENOENT);
	ck_assert_str_eq(ns_last_error(), "ns_y: open /x: No such file or directory");
	ck_assert_int_eq(ns__prefixed("ns_y", 3), 3);
	ck_assert_int_eq(ns__fail_verbatim(EPERM, "as the child said"), -EPERM);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_str_eq(ns_last_error(), "as the child said");
	ns__last_error_append(" (%s)", "and why");
	ck_assert_str_eq(ns_last_error(), "as the child said (and why)");
	/* longer than the record: truncated, never overflowing */
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ns__fail(EIO, "%s", longer);
	ns__last_error_append("%s", longer);
	ck_assert_uint_lt(strlen(ns_last_error()), sizeof(longer));
}
END_TEST

/* The net area's input text: strict CIDRs, the kernel's interface-name rule. */
START_TEST(cidr_and_ifname_parsers)
{
	static const char *const good[] = { "10.0.0.1/24", "0.0.0.0/0", "255.255.255.255/32", "fd00::1/64",
					    "::/0", "::ffff:10.0.0.1/128" };
	static const char *const bad[] = { "10.0.0.1/33", "10.0.0/24", "fd00::1/129", "abc", "10.0.0.1", "10.0.0.1/",
					   "10.0.0.1/024", "10.0.0.1/+4", "10.0.0.1/-1", " 10.0.0.1/24", "10.0.0.1/24 ",
					   "10.0.0.256/24", "/24", "fd00::1/64/1", "fe80::1%lo/64", "010.0.0.1/8", "",
					   "10.0.0.1/1000", "1.2.3.4.5/8", "10.0.0.1//24" };
	struct ns__cidr c;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(ns__parse_cidr(good[i], &c), "%s refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!ns__parse_cidr(bad[i], &c), "%s accepted", bad[i]);
	ck_assert(ns__parse_cidr("fd00::1/64", &c));
	ck_assert_int_eq(c.family, AF_INET6);
	ck_assert_uint_eq(c.prefix, 64);
	ck_assert(c.addr[0] == 0xfd && c.addr[15] == 1);
	ck_assert(ns__parse_cidr("10.1.2.3/8", &c));
	ck_assert(c.family == AF_INET && c.prefix == 8 && c.addr[0] == 10 && c.addr[3] == 3);

	ck_assert(ns__ifname_valid("lo") && ns__ifname_valid("0123456789abcde") && ns__ifname_valid("a.b-c_d@"));
	ck_assert(!ns__ifname_valid("") && !ns__ifname_valid("0123456789abcdef") && !ns__ifname_valid("."));
	ck_assert(!ns__ifname_valid("..") && !ns__ifname_valid("a/b") && !ns__ifname_valid("a:b"));
	ck_assert(!ns__ifname_valid("a b") && !ns__ifname_valid("a\tb") && !ns__ifname_valid("a\nb"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unit");
	TCase *types = nst_tcase("types"), *parse = nst_tcase("parse"), *error = nst_tcase("error");

	nst_add(types, type_table_rows_agree, NULL);
	nst_add(types, type_table_is_in_setns_order, NULL);
	nst_add(types, type_lookups_reject_non_types, NULL);
	nst_add(types, types_text_lists_bits_in_order, NULL);
	suite_add_tcase(s, types);
	nst_add(parse, ns_link_parser, NULL);
	nst_add(parse, mountinfo_parser, NULL);
	nst_add(parse, nspid_parser, NULL);
	nst_add(parse, timens_text_round_trip, NULL);
	nst_add(parse, digits, NULL);
	nst_add(parse, cidr_and_ifname_parsers, NULL);
	suite_add_tcase(s, parse);
	nst_add(error, argument_checks_keep_their_words, NULL);
	nst_add(error, messages_compose, NULL);
	suite_add_tcase(s, error);
	return nst_run(s);
}

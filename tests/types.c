/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"

static const struct { int type; const char *name; int clone_flag; } all_types[] = {
	{ NS_TYPE_MNT, "mnt", CLONE_NEWNS },       { NS_TYPE_CGROUP, "cgroup", CLONE_NEWCGROUP },
	{ NS_TYPE_UTS, "uts", CLONE_NEWUTS },      { NS_TYPE_IPC, "ipc", CLONE_NEWIPC },
	{ NS_TYPE_USER, "user", CLONE_NEWUSER },   { NS_TYPE_PID, "pid", CLONE_NEWPID },
	{ NS_TYPE_NET, "net", CLONE_NEWNET },      { NS_TYPE_TIME, "time", 0x80 },
};

START_TEST(type_names_round_trip)
{
	unsigned all = 0;

	for (size_t i = 0; i < sizeof(all_types) / sizeof(all_types[0]); i++) {
		ck_assert_int_eq(all_types[i].type, all_types[i].clone_flag);
		ck_assert_str_eq(ns_type_name(all_types[i].type), all_types[i].name);
		ck_assert_int_eq(ns_type_from_name(all_types[i].name), all_types[i].type);
		all |= (unsigned)all_types[i].type;
	}
	ck_assert_uint_eq(all, (unsigned)NS_TYPES_ALL);
	ck_assert_int_eq(ns_type_from_name("mount"), NS_TYPE_MNT);
	ck_assert_int_eq(ns_type_from_name("network"), NS_TYPE_NET);
}
END_TEST

START_TEST(type_name_rejects_non_types)
{
	ck_assert_ptr_null(ns_type_name(0));
	ck_assert_ptr_null(ns_type_name(NS_TYPE_NET | NS_TYPE_PID));
	ck_assert_ptr_null(ns_type_name(-1));
	errno = 0;
	ck_assert_int_eq(ns_type_from_name("bogus"), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "bogus"));
	ck_assert_int_eq(ns_type_from_name(NULL), -EINVAL);
	ck_assert_int_eq(ns_type_from_name("NET"), -EINVAL);
	ck_assert_int_eq(ns_type_from_name(""), -EINVAL);
}
END_TEST

START_TEST(version_matches_macros)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", LIBNS_VERSION_MAJOR, LIBNS_VERSION_MINOR, LIBNS_VERSION_MICRO);
	ck_assert_str_eq(ns_version(), want);
}
END_TEST

START_TEST(features_match_this_kernel)
{
	int all = ns_features();

	ck_assert_int_ge(all, 0);
	for (int bit = 0; (1 << bit) & NS_FEATURES_ALL; bit++) {
		ck_assert_ptr_nonnull(ns_feature_name(1 << bit));
		ck_assert_int_eq(ns_has_feature(1 << bit), !!(all & (1 << bit)));
	}
	/* Facts of any kernel new enough to run this suite at all */
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_PIDFD), 1);
	/* under an old-kernel profile (tests/tools/kernel-profile.c) the link exists but CLONE_NEWTIME fails */
	if (getenv("LIBNS_KERNEL_PROFILE"))
		ck_assert(!ns_has_feature(NS_FEATURE_TIME_NS) || access("/proc/self/ns/time", F_OK) == 0);
	else
		ck_assert_int_eq(ns_has_feature(NS_FEATURE_TIME_NS), access("/proc/self/ns/time", F_OK) == 0);
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_LISTNS), (long)syscall(470, NULL, NULL, 0, 0) == -1 && errno == ENOSYS ? 0 : 1);
}
END_TEST

START_TEST(feature_rejects_non_features)
{
	ck_assert_int_eq(ns_has_feature(0), -EINVAL);
	ck_assert_int_eq(ns_has_feature(3), -EINVAL);
	ck_assert_int_eq(ns_has_feature(1 << 20), -EINVAL);
	ck_assert_int_eq(ns_has_feature(-1), -EINVAL);
	ck_assert_ptr_null(ns_feature_name(3));
}
END_TEST

START_TEST(feature_mask_from_environment)
{
	nst_disable_features("pidfd_get_ns, ns_id,clone3");
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_PIDFD_GET_NS), 0);
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_NS_ID), 0);
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_CLONE3), 0);
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_PIDFD), 1);
	ck_assert_int_eq(ns_features() & (NS_FEATURE_PIDFD_GET_NS | NS_FEATURE_NS_ID | NS_FEATURE_CLONE3), 0);
}
END_TEST

static void *fail_in_thread(void *arg)
{
	(void)arg;
	ns_type_from_name("thread-only");
	return strdup(ns_last_error());
}

START_TEST(last_error_is_per_thread)
{
	pthread_t t;
	char *theirs;

	ns_type_from_name("main-only");
	ck_assert_int_eq(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
	ck_assert_int_eq(pthread_join(t, (void **)&theirs), 0);
	ck_assert_ptr_nonnull(strstr(theirs, "thread-only"));
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "main-only"));
	ck_assert_ptr_null(strstr(ns_last_error(), "thread-only"));
	free(theirs);
}
END_TEST

static void *probe_all(void *arg)
{
	(void)arg;
	return (void *)(long)ns_features();
}

START_TEST(feature_probes_agree_across_threads)
{
	pthread_t t[8];
	void *r[8];

	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, probe_all, NULL), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(pthread_join(t[i], &r[i]), 0);
	for (int i = 1; i < 8; i++)
		ck_assert_ptr_eq(r[i], r[0]);
	ck_assert_int_eq((long)r[0], ns_features());
}
END_TEST

START_TEST(last_error_empty_before_any_failure)
{
	ck_assert_str_eq(ns_last_error(), "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("types");
	TCase *pure = nst_tcase("pure"), *live = nst_tcase("live");

	/* pure: no kernel probe, no privilege (the unit tier runs this case alone) */
	nst_add(pure, last_error_empty_before_any_failure, NULL);
	nst_add(pure, type_names_round_trip, NULL);
	nst_add(pure, type_name_rejects_non_types, NULL);
	nst_add(pure, version_matches_macros, NULL);
	nst_add(pure, feature_rejects_non_features, NULL);
	nst_add(pure, last_error_is_per_thread, NULL);
	suite_add_tcase(s, pure);

	nst_add(live, features_match_this_kernel, NULL);
	nst_add(live, feature_mask_from_environment, NULL);
	nst_add(live, feature_probes_agree_across_threads, NULL);
	suite_add_tcase(s, live);
	return nst_run(s);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The /proc/PID/timens_offsets text ("monotonic SEC NSEC\nboottime SEC NSEC\n"): the parser that turns
 * this thread's clock into the host's (ns__timens_host_sec, lib/parse.c) and the formatter that writes
 * offsets (ns__timens_format).
 *  - Any text, against a few clock readings: no crash, no undefined arithmetic, and an accepted text
 *    gives exactly clock - offset (checked in 128-bit arithmetic).
 *  - The first 33 bytes as two offsets: the text formatted fits the 128-byte buffer the writer uses
 *    and parses back to the same offsets.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "fuzz.h"

#define KTIME_SEC_MAX INT64_C(9223372036)

/* What the parser should compute, without overflow: clock - offset, borrowing a second for nsec. */
static void check_parse(const char *text, const struct timespec *now)
{
	int64_t got;
	long long off_sec = 0;
	long off_nsec = 0;
	const char *line;

	for (int c = 0; c < 2; c++) {
		clockid_t clk = c ? CLOCK_BOOTTIME : CLOCK_MONOTONIC;

		if (!ns__timens_host_sec(text, clk, now, &got))
			continue;
		/* accepted: it found the clock's line and two numbers in it */
		line = strstr(text, c ? "boottime" : "monotonic");
		FUZZ_CHECK(line && sscanf(line, "%*s %lld %ld", &off_sec, &off_nsec) == 2, "accepted without a line");
		__int128 want = (__int128)now->tv_sec - off_sec - (now->tv_nsec < off_nsec ? 1 : 0);
		FUZZ_CHECK(want == got, "clock %lld offset %lld: got %lld", (long long)now->tv_sec, off_sec,
			   (long long)got);
	}
}

static void check_format(const uint8_t *data)
{
	struct timespec ts[2], back;
	char buf[128];
	int64_t v[4];
	int len;

	memcpy(v, data, sizeof(v));
	for (int i = 0; i < 2; i++) {
		ts[i].tv_sec = (time_t)v[2 * i];
		ts[i].tv_nsec = (long)v[2 * i + 1];
	}
	len = ns__timens_format(buf, sizeof(buf), (data[32] & 1) ? &ts[0] : NULL, (data[32] & 2) ? &ts[1] : NULL);
	FUZZ_CHECK(len >= 0 && len < (int)sizeof(buf) && strlen(buf) == (size_t)len, "format length %d", len);
	if (!(data[32] & 3))
		FUZZ_CHECK(len == 0, "formatted nothing into %d bytes", len);
	/* what the writer lets through (check_offset) must read back as written */
	for (int c = 0; c < 2; c++) {
		const struct timespec *t = &ts[c];
		struct timespec zero = { 0, 0 };
		int64_t got;

		if (!(data[32] & (1 << c)) || t->tv_nsec < 0 || t->tv_nsec >= 1000000000L ||
		    t->tv_sec > KTIME_SEC_MAX || t->tv_sec < -KTIME_SEC_MAX)
			continue;
		FUZZ_CHECK(ns__timens_host_sec(buf, c ? CLOCK_BOOTTIME : CLOCK_MONOTONIC, &zero, &got),
			   "formatted text does not parse:\n%s", buf);
		back.tv_sec = -(time_t)got - (t->tv_nsec > 0 ? 1 : 0);
		FUZZ_CHECK(back.tv_sec == t->tv_sec, "offset %lld read back as %lld\n%s", (long long)t->tv_sec,
			   (long long)back.tv_sec, buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct timespec nows[] = {
		{ 0, 0 }, { 12345, 999999999 }, { 4611686018, 1 },
	};
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++)
		check_parse(text, &nows[i]);
	free(text);
	if (size >= 33)
		check_format(data);
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Paired measurements for the benchmarks: libns and its baseline (the raw system calls, or the peer
 * tool) are run one after the other, in alternating order, run by run; the figure is the median of
 * the per-run ratios, with their interquartile range as the spread. Drift on a loaded machine then
 * hits both sides of a pair alike instead of one median more than the other.
 */
#ifndef LIBNS_BENCH_PAIRED_H
#define LIBNS_BENCH_PAIRED_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The monotonic clock, in seconds. */
static inline double paired_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct paired {
	double a, b;          /* the medians of each side */
	double ratio;         /* the median of a[i] / b[i] */
	double lo, hi;        /* its 25th and 75th percentiles */
};

static inline int paired_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The q-quantile (0..1) of n values, interpolated; v is sorted in place. */
static inline double paired_quantile(double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	qsort(v, (size_t)n, sizeof(*v), paired_cmp);
	return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

static inline struct paired paired_stats(const double *a, const double *b, int n)
{
	double *r = malloc(sizeof(double) * (size_t)n * 3), *sa = r + n, *sb = r + 2 * n;
	struct paired p = { 0, 0, 0, 0, 0 };

	if (!r || n < 1) {
		free(r);
		return p;
	}
	for (int i = 0; i < n; i++)
		r[i] = a[i] / b[i];
	memcpy(sa, a, sizeof(double) * (size_t)n);
	memcpy(sb, b, sizeof(double) * (size_t)n);
	p.a = paired_quantile(sa, n, 0.5);
	p.b = paired_quantile(sb, n, 0.5);
	p.ratio = paired_quantile(r, n, 0.5);
	p.lo = paired_quantile(r, n, 0.25);
	p.hi = paired_quantile(r, n, 0.75);
	free(r);
	return p;
}

#endif

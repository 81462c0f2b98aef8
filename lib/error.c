/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "error-internal.h"

/* Large enough for an operation, two paths and a cause; longer text is truncated, never overflows. */
static _Thread_local char last_error[768];

NS_PUBLIC const char *ns_last_error(void)
{
	return last_error;
}

static void record(int err, const char *fmt, va_list ap)
{
	char errbuf[64];
	int n = vsnprintf(last_error, sizeof(last_error), fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - (size_t)n, ": %s",
			 strerror_r(err, errbuf, sizeof(errbuf)));
}

int ns__vfail(int err, const char *fmt, va_list ap)
{
	record(err, fmt, ap);
	errno = err;
	return -err;
}

int ns__fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ns__vfail(err, fmt, ap);
	va_end(ap);
	return -err;
}

void ns__last_error_append(const char *fmt, ...)
{
	size_t n = strlen(last_error);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error + n, sizeof(last_error) - n, fmt, ap);
	va_end(ap);
}

int ns__fail_verbatim(int err, const char *msg)
{
	snprintf(last_error, sizeof(last_error), "%s", msg);
	errno = err;
	return -err;
}

int ns__fail_prefixed(int err, const char *fmt, ...)
{
	char prefix[256], inner[sizeof(last_error)];
	va_list ap;
	size_t n, len;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(inner, sizeof(inner), "%s", last_error);
	n = (size_t)snprintf(last_error, sizeof(last_error), "%s: ", prefix); /* the prefix always fits */
	len = strnlen(inner, sizeof(last_error) - n - 1);  /* the old message, truncated to what is left */
	memcpy(last_error + n, inner, len);
	last_error[n + len] = '\0';
	errno = err;
	return -err;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names of iproute2's named network namespaces: the entries of /run/netns, as `ip netns list`. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "pin-internal.h"


static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

NS_PUBLIC void ns_netns_list_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

NS_PUBLIC int ns_netns_list(char ***names)
{
	size_t n = 0, cap = 16;
	char **v, **bigger;
	struct dirent *e;
	DIR *d;

	if (!names)
		return ns__fail(EINVAL, "ns_netns_list: names is NULL");
	*names = NULL;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return ns__fail(ENOMEM, "ns_netns_list: allocating the list");
	/* as `ip netns list`: no directory means no names, and every entry counts, even a pin whose mount is gone */
	d = opendir(NETNS_RUN_DIR);
	if (!d && errno != ENOENT) {
		int r = ns__fail(errno, "ns_netns_list: open " NETNS_RUN_DIR);

		free(v);
		return r;
	}
	while (d && (errno = 0, e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n + 1 == cap) {
			bigger = reallocarray(v, cap * 2, sizeof(*v));
			if (!bigger)
				goto nomem;
			v = bigger;
			cap *= 2;
		}
		v[n] = strdup(e->d_name);
		if (!v[n])
			goto nomem;
		v[++n] = NULL;
	}
	if (d && errno) {
		int r = ns__fail(errno, "ns_netns_list: read " NETNS_RUN_DIR);

		closedir(d);
		ns_netns_list_free(v);
		return r;
	}
	if (d)
		closedir(d);
	qsort(v, n, sizeof(*v), by_name);
	*names = v;
	return (int)n;
nomem:
	closedir(d);
	ns_netns_list_free(v);
	return ns__fail(ENOMEM, "ns_netns_list: allocating the list");
}

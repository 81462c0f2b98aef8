/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_PIN_H
#define LIBNS_PIN_H

#ifdef __cplusplus
extern "C" {
#endif

int ns_pin(int nsfd, const char *path, unsigned flags);
int ns_unpin(const char *path, unsigned flags);
int ns_netns_add(const char *name, int nsfd, unsigned flags);
int ns_netns_open(const char *name);
int ns_netns_del(const char *name);
/* The names in /run/netns, sorted, as `ip netns list`: the count; *names NULL-terminated. */
int ns_netns_list(char ***names);
void ns_netns_list_free(char **names);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_IDMAP_H
#define LIBNS_IDMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NS_IDMAP_MAX 340  /* the kernel's extent limit (Linux 4.15) */

enum ns_idmap_kind { NS_IDMAP_UID = 1, NS_IDMAP_GID = 2 };

struct ns_idmap_range { uint32_t inside, outside, count; };
struct ns_idmap { uint32_t n; struct ns_idmap_range range[NS_IDMAP_MAX]; };

/* ns_write_idmap(): write through newuidmap/newgidmap (package uidmap) instead of directly */
#define NS_IDMAP_USE_HELPER 0x1u
/* ns_idmap_from_subid(): only the subordinate ranges (from inside 0), without the caller's own id */
#define NS_IDMAP_SUBID_ONLY 0x2u

/* Both return the number of ranges parsed. _buf takes a length and refuses NUL bytes in it. */
int ns_idmap_parse(const char *text, struct ns_idmap *out);
int ns_idmap_parse_buf(const char *buf, size_t len, struct ns_idmap *out);
int ns_idmap_validate(const struct ns_idmap *map);
int ns_idmap_format(const struct ns_idmap *map, char *buf, size_t size);
int ns_idmap_add(struct ns_idmap *map, uint32_t inside, uint32_t outside, uint32_t count);
int ns_idmap_from_subid(struct ns_idmap *map, const char *user, int kind, unsigned flags);
int ns_write_idmap(pid_t pid, int kind, const struct ns_idmap *map, unsigned flags);
int ns_write_setgroups(pid_t pid, int allow);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: the id map text (idmap.c), shared with its writer (idmap-write.c) and subid.c. */
#ifndef LIBNS_IDMAP_INTERNAL_H
#define LIBNS_IDMAP_INTERNAL_H

#include "util.h"

/* The kernel's rules for a whole map (map_write()), with messages naming fn and each "range" or "line". */
int ns__idmap_check(const char *fn, const char *unit, const struct ns_idmap *map);
const char *ns__idmap_file(int kind); /* "uid_map" or "gid_map" */

#endif

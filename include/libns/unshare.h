/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_UNSHARE_H
#define LIBNS_UNSHARE_H

#ifdef __cplusplus
extern "C" {
#endif

#define NS_UNSHARE_MAP_ROOT    0x1u  /* with NS_TYPE_USER: the caller's uid/gid become 0 inside */
#define NS_UNSHARE_MAP_CURRENT 0x2u  /* with NS_TYPE_USER: the caller's uid/gid map to themselves */

int ns_unshare(unsigned types, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_CAPS_H
#define LIBNS_CAPS_H

#ifdef __cplusplus
extern "C" {
#endif

int ns_can_enter(int nsfd);

#ifdef __cplusplus
}
#endif
#endif

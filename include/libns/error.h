/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_ERROR_H
#define LIBNS_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* The message of this thread's most recent libns failure, or "" if none has failed yet. */
const char *ns_last_error(void);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pin feature's private header: what pin.c shares with the named network namespaces (netns.c, netns-list.c). */
#ifndef LIBNS_PIN_INTERNAL_H
#define LIBNS_PIN_INTERNAL_H

#include "internal.h"

/* iproute2's directory of named network namespaces (netns.c, netns-list.c) */
#define NETNS_RUN_DIR "/run/netns"

/* EPERM from a mount call on path, explained (CAP_SYS_ADMIN over the caller's mount namespace). */
int ns__pin_mount_eperm(const char *fn, const char *what, const char *path);
/* Refuse before creating anything when this thread holds CAP_SYS_ADMIN nowhere. */
int ns__pin_need_sys_admin(const char *fn, const char *path);
/* The type of an nsfs fd (0 if the kernel will not say), or -errno. */
int ns__pin_check_nsfd(const char *fn, int nsfd);
/* Bind-mount nsfd onto base in directory dfd (path for messages), creating the file. */
int ns__pin_at(const char *fn, int nsfd, int type, int dfd, const char *base, const char *path);
/* ns__pin_at() in its steps: the empty file (O_EXCL; an fd, messages), then the bind onto that fd,
 * which removes the file again on failure; the removal alone for a caller that fails in between. */
int ns__pin_create_file(const char *fn, int dfd, const char *base, const char *path);
int ns__pin_onto(const char *fn, int nsfd, int type, int dfd, const char *base, int fd, const char *path);
void ns__pin_remove_created(int dfd, const char *base, int fd);
/* Unmount the pin base in dfd and remove the file; allow_stale accepts a file that is no pin. dfd may be
 * AT_FDCWD with base the whole path, where no less privileged user can write a directory on the way. */
int ns__unpin_at(const char *fn, int dfd, const char *base, const char *path, bool allow_stale);

#endif

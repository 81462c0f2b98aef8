/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: kernel feature probes (features.c); the public side is ns_has_feature(3). */
#ifndef LIBNS_FEATURES_INTERNAL_H
#define LIBNS_FEATURES_INTERNAL_H

#include "util.h"

/* Tests force fallbacks by masking features before the first probe; see ns_features(3). */
void ns__feature_mask_from_env(void);

/* 0 when this kernel has feature, or -errno with "fn: this kernel has no ..." naming the Linux version. */
int ns__need_feature(const char *fn, int feature);
/* 0 when this kernel has every namespace type in types (time: Linux 5.6), like ns__need_feature(). */
int ns__need_types(const char *fn, unsigned types);

#endif

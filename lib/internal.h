/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The feature files' umbrella (layer 4): every private header below them. A lower layer includes only
 * the headers of its own layer or lower ones (tests/tools/check-layers.py checks it).
 */
#ifndef LIBNS_INTERNAL_H
#define LIBNS_INTERNAL_H

#include "util.h"
#include "types-internal.h"
#include "parse.h"
#include "error-internal.h"
#include "procfs.h"
#include "nsfs.h"
#include "pidfd.h"
#include "capability.h"
#include "features-internal.h"
#include "writers.h"
#include "explain.h"

#endif

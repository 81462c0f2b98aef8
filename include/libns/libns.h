/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_LIBNS_H
#define LIBNS_LIBNS_H

#include <libns/types.h>
#include <libns/error.h>
#include <libns/handle.h>
#include <libns/hierarchy.h>
#include <libns/enter.h>
#include <libns/unshare.h>
#include <libns/idmap.h>
#include <libns/timens.h>
#include <libns/spawn.h>
#include <libns/pin.h>
#include <libns/list.h>
#include <libns/net.h>
#include <libns/caps.h>

#endif

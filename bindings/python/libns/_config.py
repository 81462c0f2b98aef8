# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where libns was installed.  `meson install -Dpython=enabled` replaces this file with one naming
the libdir it installed libns.so.0 into; from a source tree or a pip install, the dynamic loader's
search path (ld.so.cache, LD_LIBRARY_PATH) decides, or the environment variable LIBNS_LIBRARY."""

LIBDIR = None

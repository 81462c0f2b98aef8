# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ctypes structs lay out exactly as the C compiler lays out the public headers' structs.

A probe compiled against include/libns prints sizeof and offsetof of every field the binding
declares (libns._ffi.layout()); both must agree.  Needs $LIBNS_INCLUDE (the directory holding
libns/libns.h) and a C compiler ($CC, else cc); meson test sets both.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

from libns import _ffi


class TestLayout(unittest.TestCase):
    def test_structs_match_the_c_compiler(self):
        include = os.environ.get("LIBNS_INCLUDE")
        cc = shutil.which(os.environ.get("CC", "cc"))
        if not include or not cc:
            self.skipTest("needs LIBNS_INCLUDE and a C compiler (meson test sets them)")
        ours = _ffi.layout()
        lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <libns/libns.h>", "int main(void) {"]
        for name, (_, fields) in ours.items():
            lines.append(f'printf("{name} %zu\\n", sizeof(struct {name}));')
            for field in fields:
                lines.append(f'printf("{name}.{field} %zu\\n", offsetof(struct {name}, {field}));')
        lines.append("return 0; }")
        with tempfile.TemporaryDirectory() as d:
            src, exe = os.path.join(d, "probe.c"), os.path.join(d, "probe")
            with open(src, "w") as f:
                f.write("\n".join(lines) + "\n")
            subprocess.run([cc, "-I", include, "-o", exe, src], check=True)
            out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
        theirs = dict(line.split() for line in out.splitlines())
        for name, (size, fields) in ours.items():
            self.assertEqual(size, int(theirs[name]), f"sizeof(struct {name})")
            for field, offset in fields.items():
                self.assertEqual(offset, int(theirs[f"{name}.{field}"]), f"offsetof(struct {name}, {field})")

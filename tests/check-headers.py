#!/usr/bin/env python3
"""Each public header compiles alone as strict C11 and as C++ (extern "C"), leaking no build settings."""
import pathlib
import subprocess
import sys
import tempfile

incdir, cc = pathlib.Path(sys.argv[1]), sys.argv[2]
cxx = 'g++' if 'gcc' in cc or cc.endswith('cc') else 'clang++'
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for h in sorted((incdir / 'libns').glob('*.h')):
        src = pathlib.Path(tmp) / 'h.c'
        src.write_text(f'#include <libns/{h.name}>\n#include <libns/{h.name}>\nint main(void) {{ return 0; }}\n')
        for cmd in ([cc, '-std=c11', '-pedantic', '-Wall', '-Wextra', '-Werror'],
                    [cxx, '-x', 'c++', '-std=c++11', '-pedantic', '-Wall', '-Wextra', '-Werror']):
            r = subprocess.run(cmd + ['-I', str(incdir), '-c', str(src), '-o', str(pathlib.Path(tmp) / 'h.o')],
                               capture_output=True, text=True)
            if r.returncode:
                failed += 1
                print(f'FAIL {h.name} with {cmd[0]}:\n{r.stderr}')
            else:
                print(f'ok   {h.name} ({cmd[0]})')
sys.exit(1 if failed else 0)

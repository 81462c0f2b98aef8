#!/usr/bin/env python3
"""Each public header compiles alone as strict C11 and as C++ (extern "C"), leaking no build settings;
and libns.h compiles next to glibc's <arpa/nameser.h> (whose ns_type, ns_* names share libns's prefix)."""
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
    # glibc's resolver header declares `typedef enum __ns_type ... ns_type`: a libns enum tag of that name
    # breaks C++ ("using typedef-name 'ns_type' after 'enum'"), so the type constants have no tag.
    src = pathlib.Path(tmp) / 'nameser.c'
    src.write_text('#include <arpa/nameser.h>\n#include <libns/libns.h>\n'
                   'int main(void) { ns_type t = ns_t_a; return t == ns_t_a && NS_TYPE_NET != 0 && ns_type_name(NS_TYPE_NET) ? 0 : 1; }\n')
    for cmd in ([cc, '-std=gnu11', '-Wall', '-Wextra', '-Werror'],
                [cxx, '-x', 'c++', '-std=c++11', '-Wall', '-Wextra', '-Werror']):
        r = subprocess.run(cmd + ['-I', str(incdir), '-c', str(src), '-o', str(pathlib.Path(tmp) / 'n.o')],
                           capture_output=True, text=True)
        if r.returncode:
            failed += 1
            print(f'FAIL libns.h next to <arpa/nameser.h> with {cmd[0]}:\n{r.stderr}')
        else:
            print(f'ok   libns.h next to <arpa/nameser.h> ({cmd[0]})')
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""The README's C program builds warning-free against libns and, run with its output piped, prints
its own line (net:[INODE] id N, for the target's real net namespace) before hostname's."""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

readme, incdir, lib, cc = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3]), sys.argv[4]
# the build's sanitizer flags: a library built with ASan loads only into a program that has its runtime
extra = sys.argv[5:]
blocks = re.findall(r'```c\n(.*?)```', readme.read_text(), re.S)
if len(blocks) != 1:
    sys.exit(f'FAIL: expected one C program in {readme}, found {len(blocks)}')
with tempfile.TemporaryDirectory() as tmp:
    src, exe = pathlib.Path(tmp) / 'prog.c', pathlib.Path(tmp) / 'prog'
    src.write_text(blocks[0])
    r = subprocess.run([cc, '-std=gnu11', '-Wall', '-Wextra', '-Werror', '-I', incdir, str(src), str(lib),
                        f'-Wl,-rpath,{lib.parent}', '-o', str(exe), *extra], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f'FAIL: the README program does not build:\n{r.stderr}')
    if os.geteuid() != 0:
        print('SKIP: entering a process\'s mount namespace needs root')
        sys.exit(77)
    # Its target is this test itself: same namespaces, so entering them changes nothing. stdout is a pipe.
    r = subprocess.run([str(exe), str(os.getpid())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = r.stdout.splitlines()
    net = os.stat(f'/proc/{os.getpid()}/ns/net').st_ino
    if r.returncode or len(lines) != 2:
        sys.exit(f'FAIL: status {r.returncode}, output {r.stdout!r}, errors {r.stderr!r}')
    if not re.fullmatch(rf'net:\[{net}\] id \d+', lines[0]):
        sys.exit(f'FAIL: first line {lines[0]!r} is not net:[{net}] id N')
    if lines[1] != os.uname().nodename:
        sys.exit(f'FAIL: second line {lines[1]!r} is not the hostname {os.uname().nodename!r}')
    print('\n'.join(lines))
    print('readme program: ok')

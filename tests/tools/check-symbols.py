#!/usr/bin/env python3
"""The ABI check: the library's dynamic symbols, the version script and the functions declared in
the public headers must be the same set, all under the LIBNS_0.1 node, and the SONAME must be set."""
import pathlib
import re
import subprocess
import sys

lib, symfile, incdir = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])

dyn = subprocess.run(['readelf', '--dyn-syms', '-W', lib], check=True, capture_output=True, text=True).stdout
exported = {}
for line in dyn.splitlines():
    f = line.split()
    if len(f) >= 8 and f[6] not in ('UND', 'ABS') and f[4] in ('GLOBAL', 'WEAK') and f[3] in ('FUNC', 'OBJECT'):
        name, _, version = f[7].partition('@')
        exported[name] = version.lstrip('@')

text = re.sub(r'/\*.*?\*/', '', pathlib.Path(symfile).read_text(), flags=re.S)
script = set(re.findall(r'^\s*(ns_\w+)\s*;', text, flags=re.M))

declared = set()
for h in sorted(incdir.glob('*.h')):
    src = re.sub(r'/\*.*?\*/', '', h.read_text(), flags=re.S)
    for m in re.finditer(r'^[A-Za-z_][\w\s\*]*?\b(ns_\w+)\s*\(', src, flags=re.M):
        if not src[m.start():].startswith('typedef'):
            declared.add(m.group(1))

problems = []
for name in sorted(exported):
    if not name.startswith('ns_'):
        problems.append(f'exported but not ns_*: {name}')
for a, an, b, bn in ((set(exported), 'exported', script, 'version script'),
                     (script, 'version script', declared, 'headers'),
                     (declared, 'headers', set(exported), 'exported')):
    for name in sorted(a - b):
        problems.append(f'{name}: in {an} but not in {bn}')
for name, ver in sorted(exported.items()):
    if name.startswith('ns_') and ver != 'LIBNS_0.1':
        problems.append(f'{name}: version node {ver!r}, expected LIBNS_0.1')

dynamic = subprocess.run(['readelf', '-d', lib], check=True, capture_output=True, text=True).stdout
if 'libns.so.0' not in ''.join(l for l in dynamic.splitlines() if 'SONAME' in l):
    problems.append('SONAME is not libns.so.0')

for p in problems:
    print(p)
print(f'{len(exported)} exported, {len(script)} in the version script, {len(declared)} declared')
sys.exit(1 if problems else 0)

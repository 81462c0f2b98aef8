#!/usr/bin/env python3
"""The ABI check: the library's dynamic symbols, the version script and the functions declared in
the public headers must be the same set, each symbol exported with the version of the node that lists it
(one node per release, each inheriting the one before: LIBNS_0.1, then LIBNS_0.2 { ... } LIBNS_0.1;),
and the SONAME must be set."""
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
node_of = {}
nodes = re.findall(r'(LIBNS_[\d.]+)\s*\{(.*?)\}\s*(LIBNS_[\d.]+)?\s*;', text, flags=re.S)

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
for i, (node, body, parent) in enumerate(nodes):
    expected_parent = nodes[i - 1][0] if i else ''
    if parent != expected_parent:
        problems.append(f'node {node} inherits {parent or "nothing"!r}, expected {expected_parent or "nothing"!r}')
    for name in re.findall(r'^\s*(ns_\w+)\s*;', body, flags=re.M):
        if name in node_of:
            problems.append(f'{name}: listed in {node_of[name]} and {node}')
        node_of[name] = node
if not nodes or nodes[0][0] != 'LIBNS_0.1':
    problems.append('the first version node is not LIBNS_0.1')
for name, ver in sorted(exported.items()):
    if name.startswith('ns_') and ver != node_of.get(name):
        problems.append(f'{name}: version node {ver!r}, expected {node_of.get(name)!r}')

dynamic = subprocess.run(['readelf', '-d', lib], check=True, capture_output=True, text=True).stdout
if 'libns.so.0' not in ''.join(l for l in dynamic.splitlines() if 'SONAME' in l):
    problems.append('SONAME is not libns.so.0')

for p in problems:
    print(p)
print(f'{len(exported)} exported, {len(script)} in the version script, {len(declared)} declared')
sys.exit(1 if problems else 0)

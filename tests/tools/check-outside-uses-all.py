#!/usr/bin/env python3
"""The outside program calls every public function the headers declare.

usage: check-outside-uses-all.py INCDIR SOURCE.c   assert SOURCE calls every ns_* function of INCDIR/*.h
       check-outside-uses-all.py --list INCDIR     print those functions, one a line

Functions are found as tests/tools/check-symbols.py finds them (declarations at the start of a line, typedefs
excluded); a call is the name followed by "(" outside comments and string literals."""
import pathlib
import re
import sys


def public_functions(incdir):
    declared = set()
    for h in sorted(pathlib.Path(incdir).glob('*.h')):
        src = re.sub(r'/\*.*?\*/', '', h.read_text(), flags=re.S)
        for m in re.finditer(r'^[A-Za-z_][\w\s\*]*?\b(ns_\w+)\s*\(', src, flags=re.M):
            if not src[m.start():].startswith('typedef'):
                declared.add(m.group(1))
    return declared


def main(argv):
    if len(argv) == 3 and argv[1] == '--list':
        for name in sorted(public_functions(argv[2])):
            print(name)
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    declared = public_functions(argv[1])
    if not declared:
        print(f'check-outside-uses-all: no public functions found under {argv[1]}', file=sys.stderr)
        return 1
    src = pathlib.Path(argv[2]).read_text()
    src = re.sub(r'/\*.*?\*/|//[^\n]*', '', src, flags=re.S)
    src = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', src)
    called = set(re.findall(r'\b(ns_\w+)\s*\(', src))
    missing = sorted(declared - called)
    for name in missing:
        print(f'check-outside-uses-all: {argv[2]} never calls {name}()', file=sys.stderr)
    print(f'{len(declared) - len(missing)} of {len(declared)} public functions called by {argv[2]}')
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Every code excerpt in a guide still matches the example it was taken from.

An excerpt is a ```c block right after a line `<!-- from examples/NAME.c -->`. Its lines must appear
in that file in order, consecutively, compared without leading whitespace; a line `...` in the
excerpt stands for any number of left-out lines. NAME must be a program examples/meson.build builds.
Usage: check-excerpts.py GUIDE.md SOURCE_ROOT
"""
import pathlib
import re
import sys

guide, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
built = set(re.findall(r"'([a-z0-9-]+)'", re.search(r'example_programs = \[(.*?)\]',
                                                  (root / 'examples/meson.build').read_text(), re.S).group(1)))
text = guide.read_text()
excerpts = re.findall(r'<!-- from (examples/[a-z0-9-]+\.c) -->\n```c\n(.*?)```', text, re.S)
markers = len(re.findall(r'<!-- from ', text))


def matches(source, segments):
    """Each segment found as consecutive lines, each after the previous one."""
    at = 0
    for seg in segments:
        for i in range(at, len(source) - len(seg) + 1):
            if source[i:i + len(seg)] == seg:
                at = i + len(seg)
                break
        else:
            return seg
    return None


failed = 0
if markers != len(excerpts):
    print(f'FAIL: {markers} "<!-- from" markers but {len(excerpts)} excerpts follow one')
    failed += 1
for path, body in excerpts:
    name = pathlib.Path(path).stem
    if name not in built:
        print(f'FAIL: {path} is not a program examples/meson.build builds')
        failed += 1
        continue
    source = [l.strip() for l in (root / path).read_text().splitlines()]
    segments, seg = [], []
    for line in body.splitlines():
        if line.strip() == '...':
            segments.append(seg)
            seg = []
        else:
            seg.append(line.strip())
    segments.append(seg)
    missing = matches(source, [s for s in segments if s])
    if missing:
        print(f'FAIL: an excerpt of {path} no longer matches it; not found in order:\n  ' + '\n  '.join(missing))
        failed += 1
    else:
        print(f'ok   {path}: {sum(len(s) for s in segments)} lines')
if not excerpts:
    print(f'FAIL: no excerpts in {guide}')
    failed += 1
sys.exit(1 if failed else 0)

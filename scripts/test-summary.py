#!/usr/bin/env python3
"""Print one closing line, "N passed, N failed, N skipped", over one or more meson testlog.json files."""
import json
import sys

ok = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            result = json.loads(line)['result']
            if result in ('OK', 'EXPECTEDFAIL'):
                ok += 1
            elif result == 'SKIP':
                skipped += 1
            else:
                failed += 1
prefix = 'total: ' if len(sys.argv) > 2 else ''
print(f'{prefix}{ok} passed, {failed} failed, {skipped} skipped')

#!/bin/sh
# Test of examples/ns-run.c: $1 is the built program.
echo "no test written yet for ns-run"
exit 77

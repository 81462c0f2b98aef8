#!/bin/sh
# Test of examples/ns-ls.c: $1 is the built program.
echo "no test written yet for ns-ls"
exit 77

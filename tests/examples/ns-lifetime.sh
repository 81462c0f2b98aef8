#!/bin/sh
# Test of examples/ns-lifetime.c: $1 is the built program.
echo "no test written yet for ns-lifetime"
exit 77

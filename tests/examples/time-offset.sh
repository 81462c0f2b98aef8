#!/bin/sh
# Test of examples/time-offset.c: $1 is the built program.
echo "no test written yet for time-offset"
exit 77

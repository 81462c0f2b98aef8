#!/bin/sh
# Test of examples/uts-hostname.c: $1 is the built program.
echo "no test written yet for uts-hostname"
exit 77

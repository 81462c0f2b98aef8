#!/bin/sh
# Test of examples/net-veth.c: $1 is the built program.
echo "no test written yet for net-veth"
exit 77

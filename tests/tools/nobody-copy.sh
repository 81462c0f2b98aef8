#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copies a built program and the libns.so.0 it loads into a fresh world-readable directory under /tmp
# and prints that directory, so that a test can run the program as uid 65534 wherever the build tree
# is (a checkout under /root, mode 0700, is out of that user's reach). Run it as
#   LD_LIBRARY_PATH=DIR DIR/PROGRAM_NAME
# The caller removes DIR.   usage: nobody-copy.sh PROGRAM
set -eu
prog=$1
dir=$(mktemp -d /tmp/libns-nobody.XXXXXX)
chmod 755 "$dir"
cp "$prog" "$dir/"
lib=$(ldd "$prog" | sed -n 's/^[[:space:]]*libns\.so\.0 => \([^ ]*\) .*/\1/p')
[ -n "$lib" ] && cp "$lib" "$dir/libns.so.0"
chmod -R a+rX "$dir"
echo "$dir"

#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run the Go binding's tests against the libns in the build tree.
# usage: run-tests.sh SOURCE_DIR PKG_CONFIG_DIR STATE_DIR
set -eu
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
src=$(abs "$1") pcdir=$(abs "$2") state=$(abs "$3")

GO=${GO:-}
if [ -z "$GO" ]; then
	for g in /usr/bin/go /usr/lib/go/bin/go "$(command -v go 2>/dev/null || true)"; do
		if [ -n "$g" ] && [ -x "$g" ]; then GO=$g; break; fi
	done
fi
if [ -z "$GO" ]; then
	echo "SKIP: no Go toolchain (install golang-go) to test the Go binding"
	exit 77
fi
if ! command -v pkg-config >/dev/null 2>&1; then
	echo "SKIP: pkg-config is missing; cgo needs it to find libns"
	exit 77
fi

mkdir -p "$state/gocache" "$state/gopath" "$state/tmp"
# pkg-config prefers libns-uninstalled.pc, found first here: the tree's headers and library.
export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export GOCACHE="$state/gocache" GOPATH="$state/gopath" GOTMPDIR="$state/tmp"
export GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GO111MODULE=on GOWORK=off GOTOOLCHAIN=local
export CGO_ENABLED=1
unset GOROOT 2>/dev/null || true

if ! pkg-config --exists libns; then
	echo "libns-uninstalled.pc not usable from $pcdir:" >&2
	pkg-config --print-errors --exists libns
	exit 1
fi
cd "$src"
echo "$("$GO" version); libns: $(pkg-config --variable=libdir libns)"
exec "$GO" test -count=1 -v ./...

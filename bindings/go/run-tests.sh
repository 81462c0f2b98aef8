#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run the Go binding's tests against the libns in the build tree (mode test), or build and run a
# program in a module of its own that uses the binding as the docs say (mode outside: require
# libns.dev/libns, replace it with SOURCE_DIR, libns found through pkg-config).
# usage: run-tests.sh SOURCE_DIR PKG_CONFIG_DIR STATE_DIR [test | outside]
set -eu
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
src=$(abs "$1") pcdir=$(abs "$2") state=$(abs "$3") mode=${4:-test}

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
echo "$("$GO" version); libns: $(pkg-config --variable=libdir libns)"
if [ "$mode" = test ]; then
	# t.TempDir and os.MkdirTemp go into a directory of this run's, removed whatever the tests did
	# (a failed or killed test skips its own cleanup); 01777 as /tmp, for the parts run as uid 65534.
	# Likewise the /run/netns/lngoPID-* entries (net_test.go) of a test binary that is gone: killed
	# by a timeout, it never ran its t.Cleanup. Entries of a live PID are a concurrent run's (or of
	# ours still dying from the same signal: the next run removes those).
	sweep_netns() {
		for f in /run/netns/lngo*-*; do
			[ -e "$f" ] || continue
			pid=${f#/run/netns/lngo} pid=${pid%%-*}
			case $pid in '' | *[!0-9]*) continue ;; esac
			[ -d "/proc/$pid" ] && continue
			while umount "$f" 2>/dev/null; do :; done
			rm -f "$f"
		done
	}
	sweep_netns
	TMPDIR=$(mktemp -d /tmp/libns-go-test.XXXXXX)
	export TMPDIR
	trap 'rm -rf "$TMPDIR"; sweep_netns' EXIT
	trap 'exit 143' TERM INT
	chmod 1777 "$TMPDIR"
	cd "$src"
	"$GO" test -count=1 -v ./...
	exit
fi

# An outside module, in a directory of its own, exactly as docs/bindings.md shows it.
out=$(mktemp -d "$state/tmp/outside.XXXXXX")
trap 'rm -rf "$out"' EXIT
cp "$src/testdata/outside/main.go" "$out/"
cat >"$out/go.mod" <<MOD
module example.com/outside

go 1.19

require libns.dev/libns v0.0.0

replace libns.dev/libns => $src
MOD
cd "$out"
"$GO" build -o outside .
got=$(./outside)
echo "$got"
want="libns $(pkg-config --modversion libns): net:[$(stat -L -c %i /proc/self/ns/net)] $(stat -L -c %i /proc/self/ns/net)"
[ "$got" = "$want" ] || { echo "expected: $want"; exit 1; }
echo "outside module: ok"

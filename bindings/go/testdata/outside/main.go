// SPDX-License-Identifier: LGPL-2.1-or-later

// A program in a module of its own that uses the binding as README and docs/bindings.md say:
// require libns.dev/libns, replace it with the checkout's bindings/go, find libns by pkg-config.
// Built and run by bindings/go/run-tests.sh outside (meson test go-outside).
package main

import (
	"fmt"
	"os"

	"libns.dev/libns"
)

func main() {
	ns, err := libns.Open(0, libns.TypeNet)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ns.Close()
	id, err := ns.ID()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("libns %s: %s %d\n", libns.Version(), ns, id.Ino)
}

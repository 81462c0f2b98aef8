#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The layering of lib/, checked so that the dependency knot cannot grow back.

Every lib/*.c and *.h (arch/*/ too) is mapped to a layer below. A file may include only headers of its own
layer or lower ones, and call only functions defined in its own layer or lower ones; a feature file (L4)
never calls another feature's private ns__ helpers (files of one feature, listed in FEATURES, share theirs);
the async-signal-safe child calls no function of another file but those of ASYNC_SIGNAL_SAFE.
Across all files, "A calls or includes B" must have no circle at all, not even within one layer (a .c
file including its own header is not counted: error-internal.h's inline helpers call error.c).
Usage: check-layers.py LIBDIR [--graph]. Exit 0 when the layering holds, 1 with every violation listed.
"""
import os
import re
import sys

LAYER_NAMES = {0: "L0 pure", 1: "L1 error", 2: "L2 kernel objects", 3: "L3 explanations", 4: "L4 features"}

# file -> layer. A new file must be added here: an unmapped file fails the check.
LAYERS = {
    # L0: pure code, no messages, no /proc (the fuzzers' targets live here)
    "util.h": 0, "compat.h": 0, "syscall.h": 0, "kcall.h": 0,
    "arch/x86_64/kcall.h": 0, "arch/aarch64/kcall.h": 0, "arch/generic/kcall.h": 0,
    "types.c": 0, "types-internal.h": 0, "parse.c": 0, "parse.h": 0, "util.c": 0,
    "parse-net.c": 0, "parse-net.h": 0,
    # L1: the thread-local message and errno
    "error.c": 1, "error-internal.h": 1,
    # L2: kernel objects: /proc, nsfs, pidfds, capabilities, feature probes
    "procfs.c": 2, "procfs.h": 2, "nsfs.c": 2, "nsfs.h": 2, "pidfd.c": 2, "pidfd.h": 2,
    "capability.c": 2, "capability.h": 2, "features.c": 2, "features-internal.h": 2,
    # the /proc writers spawn shares with their own features (writers.h), and the id map text they write
    "writers.h": 2, "idmap.c": 2, "idmap-internal.h": 2, "idmap-write.c": 2, "timens.c": 2,
    # L3: the explanations of EPERM/EINVAL
    "explain.c": 3, "explain.h": 3,
    # L4: features (public API); internal.h is their umbrella header
    "internal.h": 4,
    "handle.c": 4, "handle-byid.c": 4, "hierarchy.c": 4, "enter.c": 4, "run.c": 4, "unshare.c": 4,
    "subid.c": 4, "pin.c": 4, "netns.c": 4, "pin-internal.h": 4, "list.c": 4, "list-scan.c": 4, "list-internal.h": 4, "caps.c": 4,
    # list's optional BPF path: the loader and the programs (compiled for the bpf target, not linked in)
    "list-bpf.c": 4, "list-bpf.h": 4, "bpf/list.bpf.c": 4, "bpf/list-bpf-records.h": 4,
    "spawn.c": 4, "spawn-prepare.c": 4, "spawn-child.c": 4, "spawn-errors.c": 4, "spawn-internal.h": 4,
    "run-thread.c": 4, "run-internal.h": 4, "netns-list.c": 4,
    "net.c": 4, "net-link.c": 4, "net-addr.c": 4, "net-internal.h": 4,
}

# Files of one feature: they may call each other's ns__ helpers (other features may not).
FEATURES = {
    "spawn": {"spawn.c", "spawn-prepare.c", "spawn-child.c", "spawn-errors.c", "spawn-internal.h"},
    "handle": {"handle.c", "handle-byid.c"},
    "pin": {"pin.c", "netns.c", "netns-list.c", "pin-internal.h"},
    "list": {"list.c", "list-scan.c", "list-internal.h", "list-bpf.c", "list-bpf.h", "bpf/list.bpf.c",
             "bpf/list-bpf-records.h"},
    "enter": {"enter.c", "run.c", "run-thread.c", "run-internal.h"},
    "net": {"net.c", "net-link.c", "net-addr.c", "net-internal.h"},
}

# Code that runs in a cloned child before exec: it may call no function of another lib/ file (they
# format messages, allocate, or use libc that may hold a lock), only its own, raw system calls, and
# the functions of the other files listed here, every one of which is async-signal-safe.
ASYNC_SIGNAL_SAFE = {"spawn-child.c", "util.c"}


def feature_of(name):
    for feat, files in FEATURES.items():
        if name in files:
            return feat
    return name


def strip_code(text):
    """Comments, string and character literals blanked (newlines kept, so line numbers stay right)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


DEF_RE = re.compile(r"^(?!static\b|typedef\b|#|extern\b)[A-Za-z_][^;{=]*?\b(ns_\w+)\s*\(", re.M)
INLINE_RE = re.compile(r"^static\s+inline\b[^;{=]*?\b(ns_\w+)\s*\(", re.M)
MACRO_RE = re.compile(r"^\s*#\s*define\s+(ns_\w+)\s*\(", re.M)
CALL_RE = re.compile(r"\b(ns_\w+)\s*\(")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def self_test():
    """The check must fail on each kind of violation, or its passing proves nothing."""
    import subprocess
    import tempfile
    cases = {
        "upward include": {"error.c": '#include "internal.h"\n', "internal.h": ""},
        "upward call": {"types.c": "int ns_x(void)\n{\n\treturn ns__fail(1, \"x\");\n}\n",
                        "error.c": "int ns__fail(int e, const char *f)\n{\n\treturn -e;\n}\n"},
        "another feature's helper": {"list.c": "int ns__a(void)\n{\n\treturn 0;\n}\n",
                                     "enter.c": "int ns_b(void)\n{\n\treturn ns__a();\n}\n"},
        "circle": {"procfs.c": "int ns__p(void)\n{\n\treturn ns__n();\n}\n",
                   "nsfs.c": "int ns__n(void)\n{\n\treturn ns__p();\n}\n"},
        "unmapped file": {"newfile.c": ""},
        "helper in the child": {"spawn-child.c": "void ns__c(void)\n{\n\tns__fail(1, \"\");\n}\n",
                                "error.c": "int ns__fail(int e, const char *f)\n{\n\treturn -e;\n}\n"},
    }
    bad = 0
    for what, tree in cases.items():
        with tempfile.TemporaryDirectory() as d:
            for name, text in tree.items():
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.write(text)
            r = subprocess.run([sys.executable, __file__, d], capture_output=True, text=True)
            if r.returncode != 1:
                print(f"self-test: a lib/ with an {what} passed the check:\n{r.stdout}")
                bad = 1
            else:
                print(f"self-test: {what} refused")
    return bad


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    libdir = sys.argv[1]
    graph_only = "--graph" in sys.argv[2:]
    files = {}
    for root, _, names in os.walk(libdir):
        for name in names:
            if name.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(root, name), libdir)
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    files[rel] = f.read()
    errors = []
    for rel in sorted(files):
        if rel not in LAYERS:
            errors.append(f"{rel}: not mapped to a layer (add it to LAYERS in {os.path.basename(__file__)})")
    if errors and not graph_only:
        print("\n".join(errors))
        return 1
    layer = lambda f: LAYERS.get(f, 4)

    code = {rel: strip_code(text) for rel, text in files.items()}
    defined = {}  # function or macro name -> file defining it
    for rel, text in code.items():
        regexes = (DEF_RE,) if rel.endswith(".c") else (DEF_RE, INLINE_RE, MACRO_RE)
        for rx in regexes:
            for m in rx.finditer(text):
                rest = text[m.end():]
                end = re.search(r"[;{]", rest)
                if rx is DEF_RE and rel.endswith(".h") and not (end and end.group() == "{"):
                    continue  # a prototype: the definition is in a .c
                if rx is DEF_RE and rel.endswith(".c") and not (end and end.group() == "{"):
                    continue
                defined.setdefault(m.group(1), rel)

    edges = {}  # (a, b) -> first reason
    for rel, text in code.items():
        base = os.path.dirname(rel)
        for m in INCLUDE_RE.finditer(files[rel]):
            inc = m.group(1)
            target = os.path.normpath(os.path.join(base, inc)) if os.path.normpath(os.path.join(base, inc)) in files else inc
            if target.startswith("libns/") or target not in files:
                continue
            line = files[rel].count("\n", 0, m.start()) + 1
            edges.setdefault((rel, target), f"{rel}:{line} includes \"{inc}\"")
        for m in CALL_RE.finditer(text):
            name = m.group(1)
            target = defined.get(name)
            if not target or target == rel:
                continue
            before = text[max(0, text.rfind("\n", 0, m.start()) + 1):m.start()]
            if re.match(r"^(?!static\b)[A-Za-z_]", before) and DEF_RE.match(before + text[m.start():]):
                continue  # its own prototype or definition line
            line = text.count("\n", 0, m.start()) + 1
            edges.setdefault((rel, target), f"{rel}:{line} calls {name}() of {target}")
            if rel in ASYNC_SIGNAL_SAFE and target.endswith(".c") and target not in ASYNC_SIGNAL_SAFE:
                errors.append(f"{rel}:{line}: calls {name}() of {target} from async-signal-safe code")
            if (layer(rel) == 4 and layer(target) == 4 and name.startswith("ns__")
                    and feature_of(rel) != feature_of(target)):
                errors.append(f"{rel}:{line}: calls {name}(), a private helper of another feature ({target})")

    for (a, b), why in sorted(edges.items()):
        if layer(b) > layer(a):
            errors.append(f"{why}: upward, {LAYER_NAMES[layer(a)]} -> {LAYER_NAMES[layer(b)]}")

    # circles: strongly connected components of the file graph (Tarjan). A .c file including its own
    # header (error.c, error-internal.h) is no dependency: the header's inline helpers call the .c.
    def own_header(a, b):
        return a.endswith(".c") and re.sub(r"(-internal)?\.h$", ".c", b) == a

    adj = {}
    for a, b in edges:
        if not own_header(a, b):
            adj.setdefault(a, set()).add(b)
    index, low, stack, onstack, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        onstack.add(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in onstack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(files):
        if v not in index:
            visit(v)
    for comp in sccs:
        if len(comp) > 1:
            inside = [why for (a, b), why in sorted(edges.items())
                      if a in comp and b in comp and not own_header(a, b)]
            errors.append("dependency circle between " + ", ".join(comp) + ":\n    " + "\n    ".join(inside))

    if graph_only:
        for (a, b), why in sorted(edges.items()):
            print(why)
    for lv in sorted(LAYER_NAMES):
        members = sorted(f for f in files if layer(f) == lv)
        print(f"{LAYER_NAMES[lv]}: {' '.join(members)}")
    ncalls = sum(1 for (a, b) in edges if a.endswith(".c") and b.endswith(".c"))
    print(f"{len(files)} files, {len(edges)} dependencies ({ncalls} between .c files), "
          f"largest circle {max(len(c) for c in sccs) if sccs else 0} file(s)")
    if errors:
        print("\n".join(["LAYERING VIOLATIONS:"] + errors))
        return 1
    print("layering OK: nothing includes or calls upward or into another feature's helpers; no circles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

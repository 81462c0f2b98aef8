#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Binding parity: every public function, flag and struct field of the C API has a counterpart in a
binding, or is on that binding's short list of deliberate omissions, each with its reason.

    check-bindings.py python|go SOURCE_ROOT

The C side is read from SOURCE_ROOT/lib/libns.sym (functions) and SOURCE_ROOT/include/libns/*.h
(#define NS_* and enum constants; struct ns_* fields). A function, flag or field added to the C API
fails this test until the binding has it (or an omission says why not); an omission or rename for a
name the C API no longer has fails too.

python (imports the package: PYTHONPATH and LIBNS_LIBRARY as for its tests):
  functions  called by the package (`_ffi.NAME(...)` outside its prototype line);
  flags      the member of the enum class for the flag's family (NS_SPAWN_* -> SpawnFlag, ...) or the
             attribute PY_FLAGS names, with the C value;
  fields     the ctypes struct in libns._ffi.STRUCTS with the same fields in the same order (their
             offsets: tests/test_layout.py), and the public counterpart PY_STRUCTS names: a field of
             a dataclass, or a keyword of a function.
go (reads bindings/go/*.go, tests left out):
  functions  called as C.NAME(...); flags used as C.NAME; fields accessed as .NAME (._NAME for Go
             keywords).
"""

import inspect
import os
import re
import sys

# ---- the C API ----


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def c_api(root):
    sym = open(os.path.join(root, "lib", "libns.sym")).read()
    funcs = sorted(set(re.findall(r"^\s*(ns_\w+);", strip_comments(sym), re.M)))
    flags, structs = {}, {}
    inc = os.path.join(root, "include", "libns")
    for name in sorted(os.listdir(inc)):
        if not name.endswith(".h"):
            continue
        text = strip_comments(open(os.path.join(inc, name)).read()).replace("\\\n", " ")
        for m in re.finditer(r"^\s*#\s*define\s+(NS_\w+)\s+(.*)$", text, re.M):
            flags[m.group(1)] = m.group(2).strip()
        for body in re.findall(r"\benum\b[^{;]*\{(.*?)\}", text, re.S):
            for item in body.split(","):
                m = re.match(r"\s*(NS_\w+)\s*(?:=\s*(.*))?$", item.strip(), re.S)
                if m:
                    flags[m.group(1)] = (m.group(2) or "").strip()
        for m in re.finditer(r"\bstruct\s+(ns_\w+)\s*\{(.*?)\}\s*;", text, re.S):
            fields = []
            for decl in m.group(2).split(";"):
                decl = decl.strip()
                if not decl:
                    continue
                parts = decl.split(",")
                # "const struct ns_idmap *uid_map, *gid_map" / "char command[64]" / "uint64_t a, b"
                for i, part in enumerate(parts):
                    part = re.sub(r"\[.*?\]", "", part).strip()
                    fields.append(re.findall(r"\w+", part)[-1])
            structs[m.group(1)] = fields
    return funcs, flags, structs


def c_value(expr, flags, depth=0):
    """The integer value of a flag's expression, or None for what is not a number (initialisers)."""
    if depth > 8 or not expr:
        return None
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr)
    for name in set(re.findall(r"\bNS_\w+\b", expr)):
        v = c_value(flags.get(name, ""), flags, depth + 1)
        if v is None:
            return None
        expr = re.sub(r"\b%s\b" % name, str(v), expr)
    if not re.fullmatch(r"[\s0-9a-fA-FxX()|&<>+\-~]*", expr):
        return None
    try:
        return int(eval(expr, {"__builtins__": {}}))
    except Exception:
        return None


# ---- Python ----

# Flag families: prefix -> the public enum class holding NAME without the prefix.
PY_FAMILIES = {
    "NS_TYPE_": "NSType", "NS_FEATURE_": "Feature", "NS_HELD_BY_": "HeldBy", "NS_SPAWN_": "SpawnFlag",
    "NS_PID_": "PidTranslate", "NS_LIST_": "ListFlag",
}
# Flags outside a family: the attribute (from the package) that carries the same value, and where a
# keyword argument stands for the flag, that keyword as "function(keyword)".
PY_FLAGS = {
    "NS_TYPES_ALL": ("NSType.ALL", None),
    "NS_FEATURES_ALL": ("Feature.ALL", None),
    "NS_IDMAP_MAX": ("IDMAP_MAX", None),
    "NS_IDMAP_UID": ("IdMapKind.UID", None),
    "NS_IDMAP_GID": ("IdMapKind.GID", None),
    "NS_OPEN_FOR_CHILDREN": ("namespace._OPEN_FOR_CHILDREN", "Namespace.open(for_children)"),
    "NS_UNSHARE_MAP_ROOT": ("enter._UNSHARE_MAP_ROOT", "unshare(map_root)"),
    "NS_UNSHARE_MAP_CURRENT": ("enter._UNSHARE_MAP_CURRENT", "unshare(map_current)"),
    "NS_IDMAP_USE_HELPER": ("idmap._IDMAP_USE_HELPER", "write_idmap(use_helper)"),
    "NS_IDMAP_SUBID_ONLY": ("idmap._IDMAP_SUBID_ONLY", "IdMap.from_subid(subid_only)"),
    "NS_RUN_THREAD": ("enter._RUN_THREAD", "run_in(thread)"),
}
PY_FLAG_OMISSIONS = {
    "NS_SPAWN_OPTS_INIT": "a C initialiser; spawn() fills the struct, size included",
}
PY_FUNC_OMISSIONS = {
    "ns_spawn": "the function form would run Python in a child cloned before the interpreter knows of "
                "it; spawn() binds ns_spawn_exec, run_in() runs Python in existing namespaces",
}
# struct -> (public counterpart, {C field: its name there}, {C field: why it has none})
PY_STRUCTS = {
    "ns_id": ("NamespaceId", {}, {}),
    "ns_entry": ("NamespaceEntry", {}, {}),
    "ns_idmap_range": ("IdMapRange", {}, {}),
    "ns_idmap": ("IdMap", {"range": "ranges"}, {"n": "the length of IdMap.ranges, a list"}),
    "ns_spawn_opts": ("spawn", {"join_pidfd": "join", "cgroup_fd": "cgroup"},
                      {"size": "set by spawn() to the size of the struct it passes"}),
}


def attr(path):
    """'Namespace.open' from the package, 'namespace._OPEN_FOR_CHILDREN' from its module."""
    import importlib
    import libns

    mod, _, rest = path.partition(".")
    if rest and mod in ("namespace", "enter", "idmap", "spawn", "pin", "listing", "core", "_ffi"):
        return getattr(importlib.import_module(f"libns.{mod}"), rest)
    obj = libns
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def has_member(owner, name):
    """A dataclass field, a keyword parameter, or an attribute `name` of the counterpart `owner`."""
    obj = attr(owner)
    fields = getattr(obj, "__dataclass_fields__", None)
    if fields is not None:
        return name in fields
    try:
        if name in inspect.signature(obj).parameters:
            return True
    except (TypeError, ValueError):
        pass
    return hasattr(obj, name)


def python_code(path):
    """The code of a Python file without its comments, strings and prototype lines: what it calls."""
    import io
    import tokenize

    out = []
    with open(path, "rb") as f:
        for tok in tokenize.tokenize(f.readline):
            if tok.type not in (tokenize.COMMENT, tokenize.STRING, tokenize.ENCODING):
                out.append(tok.string)
    return re.sub(r"\b(ns_\w+)\s*=\s*_proto\(", "", " ".join(out))


def check_python(root, funcs, flags, structs):
    import libns
    from libns import _ffi

    errors = []
    pkgdir = os.path.dirname(libns.__file__)
    source = ""
    for name in sorted(os.listdir(pkgdir)):
        if name.endswith(".py"):
            source += python_code(os.path.join(pkgdir, name))
    for f in funcs:
        called = re.search(r"\b%s\s*\(" % f, source)
        if f in PY_FUNC_OMISSIONS:
            if called:
                errors.append(f"{f} is bound but listed as omitted: drop it from PY_FUNC_OMISSIONS")
        elif not hasattr(_ffi, f) or not called:
            errors.append(f"function {f} has no counterpart (no prototype in _ffi.py, or nothing calls it)")
    for stale in set(PY_FUNC_OMISSIONS) - set(funcs):
        errors.append(f"PY_FUNC_OMISSIONS names {stale}, which the C API does not have")

    for name, expr in sorted(flags.items()):
        value = c_value(expr, flags)
        if name in PY_FLAG_OMISSIONS:
            continue
        target, keyword = PY_FLAGS.get(name, (None, None))
        if target is None:
            family = next((p for p in PY_FAMILIES if name.startswith(p)), None)
            if family is None:
                errors.append(f"flag {name} has no counterpart: add its family to PY_FAMILIES, an entry to "
                              f"PY_FLAGS, or a reason to PY_FLAG_OMISSIONS")
                continue
            target = f"{PY_FAMILIES[family]}.{name[len(family):]}"
        try:
            have = attr(target)
        except (AttributeError, ModuleNotFoundError):
            errors.append(f"flag {name} has no counterpart {target}")
            continue
        if value is not None and int(have) != value:
            errors.append(f"flag {name} is {value:#x} in C but {target} is {int(have):#x}")
        if keyword:
            func, kw = re.fullmatch(r"([\w.]+)\((\w+)\)", keyword).groups()
            if kw not in inspect.signature(attr(func)).parameters:
                errors.append(f"flag {name}: {func}() has no keyword {kw}")
    for stale in (set(PY_FLAGS) | set(PY_FLAG_OMISSIONS)) - set(flags):
        errors.append(f"PY_FLAGS/PY_FLAG_OMISSIONS name {stale}, which the C API does not have")

    for struct, fields in sorted(structs.items()):
        cls = _ffi.STRUCTS.get(struct)
        if cls is None:
            errors.append(f"struct {struct} has no ctypes counterpart in _ffi.STRUCTS")
            continue
        ours = [f[0] for f in cls._fields_]
        if ours != fields:
            errors.append(f"struct {struct}: C fields {fields}, ctypes fields {ours}")
        if struct not in PY_STRUCTS:
            errors.append(f"struct {struct} has no public counterpart in PY_STRUCTS")
            continue
        owner, renames, omitted = PY_STRUCTS[struct]
        for field in fields:
            if field in omitted:
                continue
            name = renames.get(field, field)
            if not has_member(owner, name):
                errors.append(f"field {struct}.{field} has no counterpart {owner}.{name}")
        for stale in (set(renames) | set(omitted)) - set(fields):
            errors.append(f"PY_STRUCTS names {struct}.{stale}, which the C API does not have")
    return errors, len(funcs), len(flags), sum(len(f) for f in structs.values())


# ---- Go ----

GO_FUNC_OMISSIONS = {
    "ns_run_in": "Go code cannot run in a child forked behind the Go runtime's back; WithNamespaces "
                 "runs a function in another process's namespaces on a locked thread",
    "ns_spawn": "the same for the function form; Spawn binds ns_spawn_exec",
    "ns_run_in_fds": "Go code cannot run in a child forked behind the Go runtime's back, nor is a C thread "
                     "calling back into Go the idiom; Do runs a function in namespaces held as Namespace "
                     "values on a locked goroutine thread that ends with it",
}
GO_FLAG_OMISSIONS = {
    "NS_SPAWN_OPTS_INIT": "a C initialiser; Spawn fills the struct, size included",
    "NS_RUN_THREAD": "Do is the Go form of it: a fresh locked thread that enters, runs fn and ends",
}
GO_FIELD_OMISSIONS = {}


def check_go(root, funcs, flags, structs):
    errors = []
    godir = os.path.join(root, "bindings", "go")
    source = "".join(open(os.path.join(godir, n)).read() for n in sorted(os.listdir(godir))
                     if n.endswith(".go") and not n.endswith("_test.go"))
    # the code only: what comments (and the cgo preamble, in one) mention does not count
    source = re.sub(r"/\*.*?\*/|//[^\n]*", " ", source, flags=re.S)
    for f in funcs:
        called = re.search(r"\bC\.%s\(" % f, source)
        if f in GO_FUNC_OMISSIONS:
            if called:
                errors.append(f"{f} is bound but listed as omitted: drop it from GO_FUNC_OMISSIONS")
        elif not called:
            errors.append(f"function {f} has no counterpart (nothing calls C.{f})")
    for name in sorted(flags):
        if name not in GO_FLAG_OMISSIONS and not re.search(r"\bC\.%s\b" % name, source):
            errors.append(f"flag {name} has no counterpart (nothing uses C.{name})")
    for struct, fields in sorted(structs.items()):
        for field in fields:
            key = f"{struct}.{field}"
            if key not in GO_FIELD_OMISSIONS and not re.search(r"\._?%s\b" % field, source):
                errors.append(f"field {key} has no counterpart (nothing accesses .{field})")
    for stale in set(GO_FUNC_OMISSIONS) - set(funcs):
        errors.append(f"GO_FUNC_OMISSIONS names {stale}, which the C API does not have")
    for stale in set(GO_FLAG_OMISSIONS) - set(flags):
        errors.append(f"GO_FLAG_OMISSIONS names {stale}, which the C API does not have")
    return errors, len(funcs), len(flags), sum(len(f) for f in structs.values())


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("python", "go"):
        sys.exit(__doc__)
    binding, root = sys.argv[1], sys.argv[2]
    funcs, flags, structs = c_api(root)
    if not funcs or not flags or not structs:
        sys.exit(f"check-bindings: read nothing from {root}: {len(funcs)} functions, {len(flags)} flags")
    check = check_python if binding == "python" else check_go
    errors, nf, nfl, nfi = check(root, funcs, flags, structs)
    for e in errors:
        print(f"FAIL {binding}: {e}")
    omitted = {"python": (PY_FUNC_OMISSIONS, PY_FLAG_OMISSIONS), "go": (GO_FUNC_OMISSIONS, GO_FLAG_OMISSIONS)}[binding]
    print(f"{binding}: {nf} functions, {nfl} flags, {nfi} struct fields checked; "
          f"deliberately omitted: {', '.join(sorted(set(omitted[0]) | set(omitted[1])))}")
    print(f"{len(errors)} failed")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()

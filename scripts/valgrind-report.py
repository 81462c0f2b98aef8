#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Judge valgrind memcheck output for scripts/ci-valgrind.sh.

Input: one log that every valgrind'ed process appended to (--log-fd on an O_APPEND file: valgrind
writes whole lines, each prefixed with ==PID==), or a directory of *.log files. One file for all:
--log-file=%p would make the children that libns starts in new pid namespaces (pid 1, 2, ... there)
overwrite each other's logs. Each process's lines end with its ERROR SUMMARY, which closes its record,
so processes that reuse a pid one after the other (tests run one at a time) stay apart.

A finding, used instead of --error-exitcode (which would change the exit status of every forked
test child):
  - a memory error or a definite leak printed for any process (tests/valgrind.supp applied), or an
    ERROR SUMMARY that is not 0 (counts carry over a fork, so a child repeats its parent's);
  - a file descriptor open at exit that library code opened (a frame in lib/ of the source tree, seen
    through --fullpath-after=) and kept: fds that a public function hands to its caller, fds the
    tests or Check opened, and fds inherited at exec are not libns's to close.
Prints each distinct finding once with the processes it appeared in, then a summary line.
Exit status: 0 clean, 1 findings, 2 no valgrind output at all.
"""
import collections
import os
import re
import sys

LINE = re.compile(r"^(==|--)(\d+)(==|--) ?(.*)$")
FRAME = re.compile(r"^\s+(?:at|by) 0x[0-9A-Fa-f]+: (.*)$")
LIB_FRAME = re.compile(r"\((?:\S*/)?lib/\w+\.c:\d+\)$")
# Public functions that return an fd: one they opened and the caller kept is the caller's.
RETURNS_FD = re.compile(r"^(ns_open\w*|ns_pidfd_open|ns_get_\w+|ns_spawn\w*|ns_netns_open)\b")
SYSCALL_NAMES = {428: "open_tree", 429: "move_mount", 434: "pidfd_open", 435: "clone3", 437: "openat2",
                 438: "pidfd_getfd", 470: "listns"}
NOT_ERRORS = ("Memcheck", "Copyright", "Using", "Command", "Parent PID", "Warning", "WARNING", "HEAP SUMMARY",
              "LEAK SUMMARY", "FILE DESCRIPTORS", "For lists", "For counts", "Reachable", "To see them",
              "ERROR SUMMARY", "in use at exit", "total heap usage", "Use --track-origins", "All heap blocks")


def records(paths):
    """Yield (name, [lines]) per process: the ==PID== lines from its first to its ERROR SUMMARY."""
    open_records = {}
    for path in paths:
        with open(path, errors="replace") as f:
            for raw in f:
                m = LINE.match(raw.rstrip("\n"))
                if not m:
                    continue
                pid, text = m.group(2), m.group(4)
                rec = open_records.setdefault(pid, [])
                if m.group(1) == "==":
                    rec.append(text)
                elif "unhandled" in text:
                    rec.append("--" + text)
                if text.startswith("ERROR SUMMARY"):
                    yield "pid %s" % pid, open_records.pop(pid)
    for pid, rec in open_records.items():
        yield "pid %s (unfinished)" % pid, rec


def blocks(lines):
    """Blank-line-separated blocks of one record; each "Open file descriptor" starts its own."""
    cur = []
    for text in lines:
        if text.strip() == "" or text.startswith(("Open file descriptor", "Open AF_")):
            if cur:
                yield cur
            cur = [] if text.strip() == "" else [text]
        else:
            cur.append(text)
    if cur:
        yield cur


def frames(block):
    return [m.group(1) for m in (FRAME.match(line) for line in block) if m]


def in_lib(frame):
    """A frame in the project's lib/ (".../build-vg/../lib/handle.c:12" with --fullpath-after=)."""
    return bool(LIB_FRAME.search(frame)) and "/usr/" not in frame


def fd_finding(block):
    if any("<inherited from parent>" in line for line in block):
        return False
    lib = [f for f in frames(block) if in_lib(f)]
    return bool(lib) and not RETURNS_FD.match(lib[-1])


def short(block, n=12):
    out = [block[0]]
    for f in frames(block)[:n]:
        out.append("    " + re.sub(r"/\S*/(lib|tests|bench)/", r"\1/", f))
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        print("usage: valgrind-report.py LOGFILE|LOGDIR", file=sys.stderr)
        return 2
    src = sys.argv[1]
    if os.path.isdir(src):
        paths = sorted(os.path.join(src, n) for n in os.listdir(src) if n.endswith(".log"))
    else:
        paths = [src] if os.path.exists(src) else []
    findings = collections.OrderedDict()   # text -> set of processes
    unhandled = collections.Counter()
    processes = errors = leaks = fds = suppressed = 0
    for name, lines in records(paths):
        summary = None
        for text in lines:
            m = re.search(r"ERROR SUMMARY: (\d+) errors from \d+ contexts \(suppressed: (\d+)", text)
            if m:
                summary = int(m.group(1))
                suppressed += int(m.group(2))
            m = re.search(r"unhandled amd64-linux syscall: (\d+)", text)
            if m:
                unhandled[int(m.group(1))] += 1
            m = re.search(r"definitely lost: ([\d,]+) bytes", text)
            if m and m.group(1) != "0":
                leaks += 1
        if summary is None:
            continue
        processes += 1
        errors += summary > 0
        for block in blocks(lines):
            head = block[0]
            if head.startswith(("Open file descriptor", "Open AF_")):
                if fd_finding(block):
                    fds += 1
                    findings.setdefault("fd open at exit: " + short(block), set()).add(name)
            elif "are definitely lost in loss record" in head:
                text = re.sub(r"^[\d,]+ (\([\d, a-z]+\) )?bytes in [\d,]+ blocks", "N bytes", short(block))
                findings.setdefault("leak: " + re.sub(r" in loss record \d+ of \d+", "", text), set()).add(name)
            elif frames(block) and not head.startswith(NOT_ERRORS) and "loss record" not in head:
                findings.setdefault("error: " + short(block), set()).add(name)
    if not processes:
        print("valgrind-report: no valgrind output in %s" % src)
        return 2
    for text, where in findings.items():
        w = sorted(where)
        print("%s\n    in %d process(es): %s%s\n" % (text, len(w), ", ".join(w[:5]), " ..." if len(w) > 5 else ""))
    if unhandled:
        print("valgrind-report: syscalls valgrind does not know (libns fell back): %s" %
              ", ".join("%s (x%d)" % (SYSCALL_NAMES.get(n, str(n)), c) for n, c in sorted(unhandled.items())))
    print("valgrind-report: %d processes checked, %d with errors, %d with definite leaks, %d library fds open "
          "at exit, %d suppressed errors" % (processes, errors, leaks, fds, suppressed))
    return 1 if (errors or leaks or fds or findings) else 0


if __name__ == "__main__":
    sys.exit(main())

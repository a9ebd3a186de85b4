#!/usr/bin/env python3
"""Precision report of `threadcheck check` over the real-code corpus (testdata/corpus): findings per
KLOC, findings by check, and per pattern folder how many findings were expected, unexpected, known
false positives or missed.

Every folder of the corpus that holds sources (or a unit.json) is one project with its own compile
database, exactly like a folder of testdata/checkers: `// expect: <check-id>` beside the code where
a real bug is, every other line must stay quiet. Findings that today's checker gives on good code
are listed in testdata/corpus/KNOWN_FALSE_POSITIVES, one `path:line:check pattern note...` a line.

    bench/check/precision.py --threadcheck build/bin/threadcheck              # the report
    bench/check/precision.py --threadcheck build/bin/threadcheck --check      # CI: exit 1 on any
        # unexpected finding, missed expectation or listed false positive that no longer occurs

A unit.json in a folder compiles third-party code as user code: `sources` (absolute paths of
third-party sources to add to the database), `include` (-I directories), `user_headers`
({"name": "/usr/include/name"}: symlinked into the work directory and added with -I, because clang
drops -I of a directory that is already a system directory, and code in system headers is not
analysed), `defines`, `std`, `flags`, `packages` (named when a path is missing). See docs/precision.md.

Exit status: 0 report printed (with --check: and everything matched); 1 with --check on a
mismatch; 2 on bad input (corpus data, missing package, bad list line) or a tool failure.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e_check"))
import check_expectations as expectations  # noqa: E402  (the one `// expect:` parser)

SOURCES = (".c", ".cc", ".cpp", ".cxx")
LIST_NAME = "KNOWN_FALSE_POSITIVES"
LIST_RE = re.compile(r"^(?P<missed>missed\s+)?(?P<path>[^\s:]+):(?P<line>\d+):(?P<check>[a-z-]+)\s+(?P<pattern>\S+)(?:\s+(?P<note>.*))?$")
PATTERN_RE = re.compile(r"^(p\d+|new-[a-z0-9-]+)$")


class DataError(Exception):
    """Bad corpus data, a missing package or a bad command line: exit 2."""


@dataclass
class Project:
    name: str  # corpus-relative folder
    folder: str  # realpath
    unit: dict
    data: expectations.Expectations | None = None
    units: int = 0
    lines: int = 0
    seconds: float = 0.0
    status: int = 0
    findings: list = field(default_factory=list)  # (key, message); key = (path, line, check)
    errors: list = field(default_factory=list)


@dataclass
class ListEntry:
    key: tuple
    pattern: str
    note: str
    where: int  # line in the list file
    missed: bool = False  # an expectation today's checker does not find (a `missed` line)


def find_projects(corpus: str) -> list[Project]:
    projects = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        if root == corpus:
            continue
        if "unit.json" in files or any(f.endswith(SOURCES) for f in files):
            dirs[:] = []  # subfolders belong to this project
            unit = {}
            if "unit.json" in files:
                path = os.path.join(root, "unit.json")
                try:
                    with open(path, encoding="utf-8") as f:
                        unit = json.load(f)
                except (OSError, ValueError) as e:
                    raise DataError(f"{path}: not a unit description: {e}") from e
            projects.append(Project(os.path.relpath(root, corpus), os.path.realpath(root), unit))
    return projects


def read_list(path: str) -> list[ListEntry]:
    entries, seen = [], set()
    if not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            text = text.strip()
            if not text or text.startswith("#"):
                continue
            m = LIST_RE.match(text)
            if not m or not PATTERN_RE.match(m.group("pattern")):
                raise DataError(f"{path}:{number}: not 'path:line:check pNN|new-<class> note': {text}")
            if m.group("check") not in expectations.KNOWN_CHECKS | {"thread-create-unchecked"}:
                raise DataError(f"{path}:{number}: unknown check id '{m.group('check')}'")
            key = (m.group("path"), int(m.group("line")), m.group("check"))
            if key in seen:
                raise DataError(f"{path}:{number}: listed twice: {':'.join(map(str, key))}")
            seen.add(key)
            entries.append(ListEntry(key, m.group("pattern"), m.group("note") or "", number,
                                     bool(m.group("missed"))))
    return entries


def code_lines(path: str) -> int:
    """Non-blank lines that are not only a comment: what "per KLOC" divides by."""
    n = 0
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                s = line.strip()
                if s and not s.startswith(("//", "/*", "*")):
                    n += 1
    except OSError:
        pass
    return n


def prepare(project: Project, corpus: str, work: str, cc: str, cxx: str) -> list[dict]:
    """Writes the project's compile database; returns its entries."""
    unit = project.unit
    packages = ", ".join(unit.get("packages", [])) or "?"
    pwork = os.path.join(work, project.name)
    include_root = os.path.join(pwork, "include")
    os.makedirs(include_root, exist_ok=True)
    flags = []
    for name, target in sorted(unit.get("user_headers", {}).items()):
        if not os.path.exists(target):
            raise DataError(f"{project.name}: {target} is missing: install {packages} "
                            f"(scripts/install-deps.sh)")
        link = os.path.join(include_root, name)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if os.path.islink(link) and os.readlink(link) != target:
            os.unlink(link)
        if not os.path.lexists(link):
            os.symlink(target, link)
    if unit.get("user_headers"):
        flags.append("-I" + include_root)
    for d in unit.get("include", []):
        if not os.path.isdir(d):
            raise DataError(f"{project.name}: {d} is missing: install {packages} "
                            f"(scripts/install-deps.sh)")
        flags.append("-I" + d)
    flags += ["-D" + d for d in unit.get("defines", [])]
    flags += unit.get("flags", [])
    sources = list(project.data.sources)
    for s in unit.get("sources", []):
        if not os.path.isfile(s):
            raise DataError(f"{project.name}: {s} is missing: install {packages} "
                            f"(scripts/install-deps.sh)")
        sources.append(s)
    if not sources:
        raise DataError(f"{project.name}: no source to check")
    entries = []
    for path in sources:
        if path.endswith(".c"):
            args = [cc, "-std=" + unit.get("c_std", "c11")]
        else:
            args = [cxx, "-std=" + unit.get("std", "c++20")]
        args += ["-pthread"] + flags + ["-c", path, "-o", "/dev/null"]
        entries.append({"directory": project.folder, "file": path, "arguments": args})
    with open(os.path.join(pwork, "compile_commands.json"), "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    return entries


def user_files(entry: dict) -> list[str]:
    """The files of one unit that are user code: -MM lists the main file and every non-system header
    it reads, which is exactly what the checker analyses."""
    args = [a for a in entry["arguments"] if a not in ("-c",)]
    out = args.index("-o")
    args = args[:out] + args[out + 2:]
    done = subprocess.run(args + ["-MM", "-MF", "-", "-w"], cwd=entry["directory"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise DataError(f"{entry['file']}: does not preprocess:\n{done.stderr.strip()}")
    text = done.stdout.replace("\\\n", " ")
    files = shlex.split(text.split(":", 1)[1]) if ":" in text else []
    return [os.path.normpath(os.path.join(entry["directory"], f)) for f in files]


def display_key(path: str, corpus: str, include_root: str) -> str:
    """Corpus-relative for corpus files, include/<...> for symlinked package headers, else the
    absolute path (third-party sources such as /usr/src/googletest/...)."""
    if path.startswith(include_root + os.sep):
        return "include/" + os.path.relpath(path, include_root)
    real = os.path.realpath(path)
    if real.startswith(corpus + os.sep):
        return os.path.relpath(real, corpus)
    return real


def run_project(project: Project, binary: str, corpus: str, work: str, timeout: float) -> None:
    pwork = os.path.join(work, project.name)
    include_root = os.path.join(pwork, "include")
    command = [binary, "check", "-p", pwork, "--format=json", "-j1"]
    start = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=project.folder)
    except subprocess.TimeoutExpired:
        project.status = -1
        project.errors.append(f"timed out after {timeout:g} s")
        return
    finally:
        project.seconds = time.monotonic() - start
    project.status = done.returncode
    try:
        report = json.loads(done.stdout)
        findings = report["findings"]
        project.errors += [str(e) for e in report.get("errors", [])]
    except (ValueError, KeyError, TypeError) as e:
        project.errors.append(f"not the JSON report ({e}); exit {done.returncode}: "
                              f"{done.stderr.strip()[-2000:]}")
        return
    if done.returncode == 2:
        project.errors.append(f"threadcheck exited 2: {done.stderr.strip()[-2000:]}")
    elif done.returncode != (1 if findings else 0):
        project.errors.append(f"threadcheck exited {done.returncode} with {len(findings)} findings")
    for item in findings:
        path = os.path.normpath(os.path.join(project.folder, item["file"]))
        key = (display_key(path, corpus, include_root), int(item["line"]), item["check"])
        project.findings.append((key, str(item.get("message", ""))))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threadcheck", required=True, help="the threadcheck executable")
    parser.add_argument("--corpus", default=os.path.join(ROOT, "testdata", "corpus"))
    parser.add_argument("--work", default=None, help="scratch directory (default: /tmp/...)")
    parser.add_argument("--list", default=None, help=f"default: <corpus>/{LIST_NAME}")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2,
                        help="projects checked at once (each with threadcheck -j1)")
    parser.add_argument("--only", default=None, help="regex: check only matching folders")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 on an unexpected finding, a missed expectation or a stale "
                             "list entry (what the CTest test runs)")
    parser.add_argument("--list-template", action="store_true",
                        help=f"print unexpected findings on stderr as {LIST_NAME} lines")
    parser.add_argument("--json", default=None, help="also write the figures as JSON here")
    parser.add_argument("--cc", default="clang-19")
    parser.add_argument("--cxx", default="clang++-19")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds per project (a hang is a failure, not a wait)")
    args = parser.parse_args(argv)
    try:
        return report(args)
    except DataError as e:
        print(f"precision: {e}", file=sys.stderr)
        return 2


def report(args) -> int:
    corpus = os.path.realpath(args.corpus)
    if not os.path.isdir(corpus):
        raise DataError(f"{args.corpus}: not a directory")
    binary = os.path.abspath(args.threadcheck)
    if not os.access(binary, os.X_OK):
        raise DataError(f"{args.threadcheck}: not an executable")
    work = os.path.realpath(args.work or f"/tmp/threadcheck-precision-{os.getuid()}")
    listed = read_list(args.list or os.path.join(corpus, LIST_NAME))
    projects = find_projects(corpus)
    if args.only:
        projects = [p for p in projects if re.search(args.only, p.name)]
    if not projects:
        raise DataError(f"{corpus}: no project folder")
    started = time.monotonic()
    entries = {}
    for p in projects:
        try:
            p.data = expectations.parse_folder(p.folder)
        except expectations.DataError as e:
            raise DataError(str(e)) from e
        entries[p.name] = prepare(p, corpus, work, args.cc, args.cxx)
        p.units = len(entries[p.name])
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        # Bigger projects first so that the small ones fill the gaps.
        order = sorted(projects, key=lambda p: -len(p.unit))
        futures = [pool.submit(run_project, p, binary, corpus, work, args.timeout) for p in order]
        deps = {p.name: [pool.submit(user_files, e) for e in entries[p.name]] for p in projects}
        for f in futures:
            f.result()
        for p in projects:
            files = set()
            for f in deps[p.name]:
                files.update(f.result())
            p.lines = sum(code_lines(f) for f in files)
    elapsed = time.monotonic() - started

    listed_by_key = {e.key: e for e in listed if not e.missed}
    missed_listed = {e.key: e for e in listed if e.missed}
    missed_known, missed_seen = [], set()
    by_check = collections.defaultdict(collections.Counter)
    unexpected, missed, known_seen, failures = [], [], set(), []
    rows = []
    for p in projects:
        include_root = os.path.join(work, p.name, "include")
        expected = collections.Counter()
        for (path, line, check), n in p.data.expected.items():
            expected[(display_key(path, corpus, include_root), line, check)] += n
        reported = collections.Counter(k for k, _ in p.findings)
        messages = collections.defaultdict(list)
        for k, m in p.findings:
            messages[k].append(m)
        row = collections.Counter()
        for key in sorted(set(expected) | set(reported)):
            hit = min(expected[key], reported[key])
            extra = reported[key] - hit
            row["findings"] += reported[key]
            row["expected"] += hit
            by_check[key[2]]["findings"] += reported[key]
            by_check[key[2]]["expected"] += hit
            if expected[key] > reported[key]:
                row["missed"] += expected[key] - reported[key]
                by_check[key[2]]["missed"] += expected[key] - reported[key]
                if key in missed_listed:
                    missed_seen.add(key)
                    missed_known.append(key)
                else:
                    missed.append((key, expected[key] - reported[key]))
            if extra > 0:
                if key in listed_by_key:
                    known_seen.add(key)
                    row["known"] += extra
                    by_check[key[2]]["known"] += extra
                else:
                    row["unexpected"] += extra
                    by_check[key[2]]["unexpected"] += extra
                    unexpected += [(key, m) for m in messages[key][-extra:]]
        for e in p.errors:
            failures.append(f"{p.name}: {e}")
        rows.append((p, row))

    # A listed entry is stale when its project ran and it no longer occurs (or is now expected).
    ran = {p.name for p in projects}
    def owner(key_path: str) -> str | None:
        for name in ran:
            if key_path.startswith(name + "/"):
                return name
        return None
    stale = [e for e in listed if e.key not in (missed_seen if e.missed else known_seen) and
             (owner(e.key[0]) is not None or (not args.only and not owner(e.key[0])))]

    total = collections.Counter()
    print(f"{'folder':<34} {'units':>5} {'KLOC':>6} {'found':>6} {'expect':>6} {'unexp':>6} "
          f"{'known':>6} {'missed':>6} {'/KLOC':>6} {'false/KLOC':>10} {'sec':>5}")
    for p, row in rows:
        kloc = p.lines / 1000.0
        false = row["unexpected"] + row["known"]
        total.update(row)
        total["units"] += p.units
        total["lines"] += p.lines
        print(f"{p.name:<34} {p.units:>5} {kloc:>6.2f} {row['findings']:>6} {row['expected']:>6} "
              f"{row['unexpected']:>6} {row['known']:>6} {row['missed']:>6} "
              f"{row['findings'] / kloc if kloc else 0:>6.2f} {false / kloc if kloc else 0:>10.2f} "
              f"{p.seconds:>5.1f}")
    kloc = total["lines"] / 1000.0
    false = total["unexpected"] + total["known"]
    print(f"{'total':<34} {total['units']:>5} {kloc:>6.2f} {total['findings']:>6} "
          f"{total['expected']:>6} {total['unexpected']:>6} {total['known']:>6} "
          f"{total['missed']:>6} {total['findings'] / kloc if kloc else 0:>6.2f} "
          f"{false / kloc if kloc else 0:>10.2f} {elapsed:>5.1f}")
    print()
    print(f"{'check':<26} {'found':>6} {'expect':>6} {'unexp':>6} {'known':>6} {'missed':>6}")
    for check in sorted(by_check):
        c = by_check[check]
        print(f"{check:<26} {c['findings']:>6} {c['expected']:>6} {c['unexpected']:>6} "
              f"{c['known']:>6} {c['missed']:>6}")
    patterns = collections.Counter(listed_by_key[k].pattern for k in known_seen)
    if patterns:
        print()
        print("known false positives by #11 pattern: " +
              ", ".join(f"{k} {v}" for k, v in sorted(patterns.items())))
    for key, message in unexpected:
        print(f"UNEXPECTED {key[0]}:{key[1]}: {key[2]}: {message}")
    for key, n in missed:
        print(f"MISSED {key[0]}:{key[1]}: {key[2]}" + (f" (x{n})" if n > 1 else ""))
    for key in missed_known:
        print(f"known missed {key[0]}:{key[1]}: {key[2]} ({missed_listed[key].pattern})")
    for e in stale:
        what = "NOW FOUND" if e.missed else "NO LONGER REPORTED"
        print(f"{what} (remove from {LIST_NAME}, line {e.where}): "
              f"{':'.join(map(str, e.key))} {e.pattern}")
    if args.list_template:
        # The unexpected findings as list lines, to triage into the list by hand.
        for key, message in unexpected:
            print(f"{key[0]}:{key[1]}:{key[2]} p? {message[:100]}", file=sys.stderr)
    for f in failures:
        print(f"TOOL FAILURE {f}")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"kloc": kloc, "findings": total["findings"], "expected": total["expected"],
                       "unexpected": total["unexpected"], "known": total["known"],
                       "missed": total["missed"], "stale": len(stale), "seconds": elapsed,
                       "by_check": {k: dict(v) for k, v in by_check.items()},
                       "folders": {p.name: dict(r, kloc=p.lines / 1000.0) for p, r in rows}},
                      f, indent=2)
    if failures:
        return 2
    if args.check:
        bad = len(unexpected) + len(missed) + len(stale)
        print(f"precision: {'FAILED' if bad else 'passed'}: {len(unexpected)} unexpected, "
              f"{len(missed)} missed, {len(stale)} no longer reported")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Runs `threadcheck check` over one test-data folder and compares its findings with the
`// expect: <check-id>` comments written beside the code.

A folder is one project: every .c/.cpp file in it (recursively) goes into one compile database, so
a wrapper defined in one file and misused in another is seen across translation units. A folder
with its own CMakeLists.txt (the bundled example project) is configured with CMake instead and its
own compile_commands.json is used.

Exit status: 0 when the findings match the expectations exactly and threadcheck's exit code agrees
(1 with findings expected, 0 without); 1 on any mismatch or tool failure; 2 when the harness itself
is misused or the test data is inconsistent (unknown check id, a case marked bad without any
expectation, ...). See README.md beside this file for the expectation and case-marker syntax.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

# Check ids are a contract (DESIGN.md section 3). An expectation naming anything else is a typo that
# would otherwise make a test silently expect a finding no check can ever produce.
KNOWN_CHECKS = frozenset(
    """lock-not-released double-lock unlock-not-held lock-order-inversion mutex-destroyed-locked
    unnamed-lock-guard blocking-under-lock cv-wait-no-predicate cv-mixed-mutexes thread-not-joined
    join-not-joinable detached-captures-local detached-holds-resource thread-exception-escape
    semaphore-over-release thread-local-escape latch-barrier-misuse thread-create-unchecked
    sleep-under-lock""".split()
)

C_SOURCES = (".c",)
CXX_SOURCES = (".cpp", ".cc", ".cxx")
HEADERS = (".h", ".hpp", ".hh", ".hxx")
# A folder may hold this file: its whitespace-separated words are added to the threadcheck command
# line, e.g. `--checks=*` for a folder testing a check that is off by default.
ARGS_FILE = "check-args"

EXPECT_RE = re.compile(r"//\s*expect:\s*(?P<ids>[^/]*?)\s*(?://.*)?$")
CASE_RE = re.compile(r"//\s*case:\s*(?P<kind>\w+)\b")
CASE_KINDS = ("bad", "good", "support")


class DataError(Exception):
    """The test data or the command line is wrong; the harness exits 2."""


@dataclass
class Case:
    kind: str  # bad | good | support
    file: str
    first_line: int
    last_line: int = 0  # inclusive; filled in when the next marker or EOF is seen
    expectations: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class Expectations:
    # (realpath, line, check) -> how many findings are expected there
    expected: collections.Counter = field(default_factory=collections.Counter)
    cases: list[Case] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # compilable files, sorted

    def case_at(self, path: str, line: int) -> Case | None:
        for case in self.cases:
            if case.file == path and case.first_line <= line <= case.last_line:
                return case
        return None


def list_files(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(C_SOURCES + CXX_SOURCES + HEADERS):
                found.append(os.path.realpath(os.path.join(root, name)))
    return found


def parse_folder(folder: str) -> Expectations:
    result = Expectations()
    for path in list_files(folder):
        if path.endswith(C_SOURCES + CXX_SOURCES):
            result.sources.append(path)
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise DataError(f"{path}: cannot read: {e}") from e
        current: Case | None = None
        for number, text in enumerate(lines, start=1):
            marker = CASE_RE.search(text)
            if marker:
                kind = marker.group("kind")
                if kind not in CASE_KINDS:
                    raise DataError(f"{path}:{number}: unknown case kind '{kind}' "
                                    f"(use one of {', '.join(CASE_KINDS)})")
                if current:
                    current.last_line = number - 1
                current = Case(kind, path, number)
                result.cases.append(current)
            match = EXPECT_RE.search(text)
            if not match:
                continue
            ids = [i.strip() for i in match.group("ids").split(",")]
            if not ids or any(not i for i in ids):
                raise DataError(f"{path}:{number}: empty check id in '{text.strip()}'")
            for check in ids:
                if check not in KNOWN_CHECKS:
                    raise DataError(f"{path}:{number}: unknown check id '{check}' in expectation")
                result.expected[(path, number, check)] += 1
            if current:
                current.expectations += len(ids)
        if current:
            current.last_line = len(lines)
    for case in result.cases:
        where = f"{case.file}:{case.first_line}"
        if case.kind == "bad" and case.expectations == 0:
            raise DataError(f"{where}: case marked bad has no '// expect:' comment")
        if case.kind != "bad" and case.expectations != 0:
            raise DataError(f"{where}: case marked {case.kind} carries an '// expect:' comment")
    return result


def write_compile_database(folder: str, sources: list[str], work: str, cc: str, cxx: str) -> None:
    entries = []
    for path in sources:
        if path.endswith(C_SOURCES):
            args = [cc, "-std=c11", "-pthread", "-c", path, "-o", "/dev/null"]
        else:
            args = [cxx, "-std=c++20", "-pthread", "-c", path, "-o", "/dev/null"]
        entries.append({"directory": folder, "file": path, "arguments": args})
    with open(os.path.join(work, "compile_commands.json"), "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")


def configure_cmake_project(folder: str, work: str, cc: str, cxx: str) -> str:
    build = os.path.join(work, "cmake-build")
    command = ["cmake", "-S", folder, "-B", build, f"-DCMAKE_C_COMPILER={cc}",
               f"-DCMAKE_CXX_COMPILER={cxx}", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"]
    if shutil.which("ninja"):
        command += ["-G", "Ninja"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise DataError(f"{folder}: cmake configure failed:\n{done.stdout}{done.stderr}")
    if not os.path.isfile(os.path.join(build, "compile_commands.json")):
        raise DataError(f"{folder}: cmake wrote no compile_commands.json into {build}")
    return build


def resolve(path: str, bases: list[str]) -> str:
    if os.path.isabs(path):
        return os.path.realpath(path)
    for base in bases:
        candidate = os.path.join(base, path)
        if os.path.exists(candidate):
            return os.path.realpath(candidate)
    return os.path.realpath(path)


def display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def folder_args(folder: str) -> list[str]:
    path = os.path.join(folder, ARGS_FILE)
    if not os.path.isfile(path):
        return []
    try:
        with open(path, encoding="utf-8") as f:
            words = f.read().split()
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read: {e}") from e
    for word in words:
        if word in ("-p", "-o") or word.startswith(("--format", "-o")):
            raise DataError(f"{path}: '{word}' is set by the harness")
    return words


def run_threadcheck(binary: str, database_dir: str, folder: str,
                    timeout: float) -> tuple[int, str, str]:
    command = [binary, "check", "-p", database_dir, "--format=json"] + folder_args(folder)
    try:
        # Run from the folder: the JSON report gives paths relative to the tool's working directory
        # when the file lies under it, so they resolve against the folder below.
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=folder)
    except FileNotFoundError as e:
        raise DataError(f"{binary}: cannot run: {e}") from e
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {timeout:g} s: {' '.join(command)}"
    return done.returncode, done.stdout, done.stderr


def compare(name: str, folder: str, data: Expectations, status: int, stdout: str,
            stderr: str) -> int:
    problems: list[str] = []  # failures not inside any case

    def fail(path: str | None, line: int, text: str) -> None:
        case = data.case_at(path, line) if path else None
        if case:
            case.failures.append(text)
        else:
            problems.append(text)
        print(text)

    findings = None
    if status == -1:
        problems.append(f"TOOL FAILURE: {stderr}")
        print(problems[-1])
    else:
        try:
            report = json.loads(stdout)
            findings = report["findings"]
            for err in report.get("errors", []):
                problems.append(f"TOOL ERROR: {err}")
                print(problems[-1])
        except (ValueError, KeyError, TypeError) as e:
            problems.append(f"TOOL OUTPUT: not the JSON report ({e}); exit code {status}")
            print(problems[-1])
        want = 1 if sum(data.expected.values()) > 0 else 0
        if status != want:
            problems.append(f"EXIT CODE: threadcheck exited {status}, expected {want}")
            print(problems[-1])
        if (status == 2 or findings is None) and stderr.strip():
            print(stderr.rstrip())

    reported: collections.Counter = collections.Counter()
    messages: dict[tuple, list[str]] = collections.defaultdict(list)
    for item in findings or []:
        try:
            key = (resolve(item["file"], [folder, os.getcwd()]), int(item["line"]), item["check"])
        except (KeyError, TypeError, ValueError) as e:
            problems.append(f"TOOL OUTPUT: malformed finding {item!r} ({e})")
            print(problems[-1])
            continue
        reported[key] += 1
        messages[key].append(str(item.get("message", "")))
    matched = 0
    if findings is not None:
        matched = sum(min(n, reported[key]) for key, n in data.expected.items())
        for key in sorted(set(data.expected) | set(reported)):
            path, line, check = key
            for _ in range(data.expected[key] - reported[key]):
                fail(path, line, f"MISSING {display(path)}:{line}: {check}")
            extra = reported[key] - data.expected[key]
            for message in messages[key][-extra:] if extra > 0 else []:
                fail(path, line, f"UNEXPECTED {display(path)}:{line}: {check}: {message}")

    counted = [c for c in data.cases if c.kind != "support"]
    if findings is None:
        # Without a report nothing was verified: no case may count as passed.
        for case in counted:
            case.failures.append("no report")
    failed_cases = sum(1 for c in counted if c.failures)
    passed = len(counted) - failed_cases
    # Mismatches outside any marked case (an unmarked folder, a helper file) and tool-level failures
    # count as failures of their own so that the summary can never read "0 failed" on a red run.
    failed = failed_cases + len(problems) + sum(1 for c in data.cases
                                                if c.kind == "support" and c.failures)
    if not counted:
        # A folder without case markers (the example project) is counted per expected finding.
        passed = matched
    bad = sum(1 for c in counted if c.kind == "bad")
    good = len(counted) - bad
    print(f"cases: {bad} bad, {good} good; expected findings: {sum(data.expected.values())}")
    print(f"{name}: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def list_counts(folders: list[str]) -> int:
    targets = []
    for folder in folders:
        if not os.path.isdir(folder):
            raise DataError(f"{folder}: not a directory")
        subdirs = sorted(os.path.join(folder, d) for d in os.listdir(folder)
                         if os.path.isdir(os.path.join(folder, d)))
        has_sources = any(f.endswith(C_SOURCES + CXX_SOURCES) for f in os.listdir(folder))
        targets += [folder] if has_sources or not subdirs else subdirs
    print(f"{'folder':<28} {'bad':>5} {'good':>5} {'expect':>7}")
    for folder in targets:
        data = parse_folder(os.path.realpath(folder))
        bad = sum(1 for c in data.cases if c.kind == "bad")
        good = sum(1 for c in data.cases if c.kind == "good")
        print(f"{os.path.basename(os.path.realpath(folder)):<28} {bad:>5} {good:>5} "
              f"{sum(data.expected.values()):>7}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threadcheck", help="the threadcheck executable")
    parser.add_argument("--dir", action="append", default=[],
                        help="test-data folder (one project); repeat with --list-counts")
    parser.add_argument("--work", help="scratch directory for the compile database")
    parser.add_argument("--cc", default="clang-19")
    parser.add_argument("--cxx", default="clang++-19")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--list-counts", action="store_true",
                        help="print the bad/good case counts per folder and exit")
    parser.add_argument("folders", nargs="*", help="folders for --list-counts")
    args = parser.parse_args(argv)
    try:
        if args.list_counts:
            folders = args.dir + args.folders
            if not folders:
                parser.error("--list-counts needs at least one folder")
            return list_counts(folders)
        if not args.threadcheck or len(args.dir) != 1 or not args.work or args.folders:
            parser.error("need --threadcheck, exactly one --dir and --work")
        folder = os.path.realpath(args.dir[0])
        if not os.path.isdir(folder):
            raise DataError(f"{args.dir[0]}: not a directory")
        data = parse_folder(folder)
        os.makedirs(args.work, exist_ok=True)
        work = os.path.realpath(args.work)
        if os.path.isfile(os.path.join(folder, "CMakeLists.txt")):
            database_dir = configure_cmake_project(folder, work, args.cc, args.cxx)
        else:
            if not data.sources:
                raise DataError(f"{folder}: no .c or .cpp file to check")
            write_compile_database(folder, data.sources, work, args.cc, args.cxx)
            database_dir = work
        # The tool runs from the folder, so a relative path to it must be made absolute first.
        binary = os.path.abspath(args.threadcheck) if os.sep in args.threadcheck else args.threadcheck
        status, stdout, stderr = run_threadcheck(binary, database_dir, folder, args.timeout)
        return compare(os.path.basename(folder), folder, data, status, stdout, stderr)
    except DataError as e:
        print(f"check_expectations: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

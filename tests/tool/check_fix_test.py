#!/usr/bin/env python3
"""Command-line tests of `threadcheck check --fix` and `--export-fixes`, on the cases in
testdata/fixes/. Each case is a C++ (.cpp) or C (.c) source whose first line is
`// flags: <compiler flags>`; a line marked `// fixed: <check>` has a finding with a fix, a line
marked `// kept: <check>` a finding without one. `<case>.fixed` is the source as the fixes must
leave it (reviewed by hand).

For every case: the findings before the fix are exactly the marked ones, with fixes exactly on the
`fixed` lines; --fix on a copy produces the expected file, which compiles with clang++-19 (clang-19
for C) -fsyntax-only; a second run reports exactly the `kept` findings, and nothing is left to fix; the
exported YAML applied by clang-apply-replacements-19 (when installed) gives the same file; the
SARIF report carries the fixes as fixes[]. Then options, bad input and edge cases of --fix."""

import argparse
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

THREADCHECK = None
TESTDATA = None
CLANGXX = shutil.which("clang++-19")
CLANG = shutil.which("clang-19")
APPLY_REPLACEMENTS = shutil.which("clang-apply-replacements-19")

MARKER = re.compile(r"//\s*(fixed|kept):\s*([\w-]+)")


def run(args, cwd):
    proc = subprocess.run([THREADCHECK, "check", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def case_flags(text):
    first = text.splitlines()[0]
    assert first.startswith("// flags:"), "a fix case starts with '// flags: ...'"
    return first[len("// flags:"):].split()


def markers(text):
    """{(line, check): 'fixed' | 'kept'} for the marked lines of `text`."""
    out = {}
    for number, line in enumerate(text.splitlines(), 1):
        for kind, check in MARKER.findall(line):
            out[(number, check)] = kind
    return out


def cases():
    """The case files, with their extension."""
    return sorted(f for f in os.listdir(TESTDATA) if f.endswith((".cpp", ".c")))


class FixCaseTest(unittest.TestCase):
    """The testdata/fixes cases, each in a fresh temporary directory."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="threadcheck-fix-")
        self.dir = os.path.realpath(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def copy_case(self, name, where=None):
        where = where or self.dir
        os.makedirs(where, exist_ok=True)
        path = os.path.join(where, name)
        shutil.copyfile(os.path.join(TESTDATA, name), path)
        return path

    def json_findings(self, source, flags, extra=()):
        rc, out, err = run(["--format=json", *extra, os.path.basename(source), "--", *flags],
                           os.path.dirname(source))
        self.assertIn(rc, (0, 1), err)
        return rc, json.loads(out)["findings"], err

    def located(self, findings, checks):
        """{(line, check): finding} for the findings of the checks the case is about."""
        return {(f["line"], f["check"]): f for f in findings if f["check"] in checks}

    def assert_compiles(self, path, flags):
        compiler = CLANG if path.endswith(".c") else CLANGXX
        if not compiler:
            self.skipTest("clang-19 / clang++-19 is not installed")
        proc = subprocess.run([compiler, *flags, "-fsyntax-only", "-Wno-vexing-parse", path],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, f"{path} does not compile:\n{proc.stderr}")

    def check_case(self, name):
        original = read(os.path.join(TESTDATA, name))
        expected = read(os.path.join(TESTDATA, name + ".fixed"))
        flags = case_flags(original)
        before = markers(original)
        checks = {check for _, check in before}
        source = self.copy_case(name)
        self.assert_compiles(source, flags)

        # Before: the marked findings, with a fix exactly where marked 'fixed'.
        rc, findings, err = self.json_findings(source, flags)
        found = self.located(findings, checks)
        self.assertEqual(set(found), set(before), err)
        for key, kind in before.items():
            self.assertEqual("fix" in found[key], kind == "fixed", f"{name} line {key[0]}")
            if kind == "fixed":
                fix = found[key]["fix"]
                self.assertTrue(fix["description"])
                self.assertTrue(fix["replacements"])

        # --fix: the expected file, which compiles; fixed findings are marked, kept ones not.
        rc, out, err = run(["--format=json", "--fix", os.path.basename(source), "--", *flags],
                           self.dir)
        self.assertIn(rc, (0, 1), err)
        self.assertEqual(read(source), expected, f"{name}: --fix result differs")
        fixed_report = self.located(json.loads(out)["findings"], checks)
        for key, kind in before.items():
            self.assertEqual(fixed_report[key].get("fixed", False), kind == "fixed", key)
        open_left = [k for k, kind in before.items() if kind == "kept"]
        self.assertEqual(rc, 1 if open_left else 0, "fixed findings do not count as open")
        self.assert_compiles(source, flags)

        # Second run: exactly the kept findings remain, none of them with a fix.
        rc, findings, err = self.json_findings(source, flags)
        after = {k for k, kind in markers(expected).items() if kind == "kept"}
        self.assertEqual(set(self.located(findings, checks)), after, err)
        self.assertFalse(any("fix" in f for f in findings), "nothing is left to fix")

        # The exported YAML through clang-apply-replacements gives the same file.
        if APPLY_REPLACEMENTS:
            other = self.copy_case(name, os.path.join(self.dir, "car"))
            fixes = os.path.join(self.dir, "car", "fixes.yaml")
            rc, _, err = run([f"--export-fixes={fixes}", os.path.basename(other), "--", *flags],
                             os.path.dirname(other))
            self.assertIn(rc, (0, 1), err)
            proc = subprocess.run([APPLY_REPLACEMENTS, os.path.dirname(other)],
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(read(other), expected, f"{name}: clang-apply-replacements differs")

        # SARIF: every fixed result carries the same replacements as fixes[].
        sarif_source = self.copy_case(name, os.path.join(self.dir, "sarif"))
        rc, out, err = run(["--format=sarif", os.path.basename(sarif_source), "--", *flags],
                           os.path.dirname(sarif_source))
        self.assertIn(rc, (0, 1), err)
        results = json.loads(out)["runs"][0]["results"]
        with_fixes = {(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
                      for r in results if r.get("fixes")}
        self.assertEqual(with_fixes, {k for k, kind in before.items() if kind == "fixed"})
        for r in results:
            for fix in r.get("fixes", []):
                self.assertTrue(fix["description"]["text"])
                for change in fix["artifactChanges"]:
                    self.assertEqual(change["artifactLocation"]["uri"], name)
                    self.assertEqual(change["artifactLocation"]["uriBaseId"], "SRCROOT")
                    for rep in change["replacements"]:
                        self.assertGreaterEqual(rep["deletedRegion"]["byteOffset"], 0)
                        self.assertIn("byteLength", rep["deletedRegion"])
                        self.assertIn("text", rep["insertedContent"])

    def test_cases(self):
        names = cases()
        self.assertGreaterEqual(len(names), 3)
        for name in names:
            with self.subTest(case=name):
                self.check_case(name)


UNNAMED = """\
#include <mutex>
std::mutex m;
int counter = 0;
void inc() {
  std::lock_guard<std::mutex>{m};
  ++counter;
}
"""


class FixOptionTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="threadcheck-fixopt-")
        self.dir = os.path.realpath(self._tmp.name)
        self.source = os.path.join(self.dir, "a.cpp")
        write(self.source, UNNAMED)

    def tearDown(self):
        self._tmp.cleanup()

    def test_export_fixes_format(self):
        rc, _, err = run(["--export-fixes=f.yaml", "a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 1, err)
        text = read(os.path.join(self.dir, "f.yaml"))
        offset = UNNAMED.index("std::lock_guard")
        insert = UNNAMED.index("{m}")
        self.assertEqual(text, f"""\
---
MainSourceFile:  '{self.source}'
Diagnostics:
  - DiagnosticName:  unnamed-lock-guard
    DiagnosticMessage:
      Message:         'this std::lock_guard is a temporary: it unlocks ''m'' at the end of this statement, so the code after it is not protected; give the guard a name'
      FilePath:        '{self.source}'
      FileOffset:      {offset}
      Replacements:
        - FilePath:        '{self.source}'
          Offset:          {insert}
          Length:          3
          ReplacementText: ' lock(m)'
    Level:           Warning
    BuildDirectory:  '{self.dir}'
...
""")
        self.assertEqual(read(self.source), UNNAMED, "--export-fixes alone changes nothing")

    def test_fix_text_report_and_exit_code(self):
        rc, out, err = run(["--fix", "a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, "the only finding was fixed")
        self.assertIn("note: fix applied: name the guard 'lock'", out)
        self.assertIn("--fix: applied 1 fix (1 replacement in 1 file)", err)
        self.assertIn("0 findings left open, 1 fixed", err)
        self.assertIn("std::lock_guard<std::mutex> lock(m);", read(self.source))
        rc, out, err = run(["a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, out)

    def test_fix_available_note_without_fix(self):
        rc, out, _ = run(["a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 1)
        self.assertIn("note: fix available (--fix): name the guard 'lock'", out)

    def test_fix_keeps_permissions_and_follows_symlinks(self):
        real = os.path.join(self.dir, "real")
        os.mkdir(real)
        target = os.path.join(real, "b.cpp")
        write(target, UNNAMED)
        os.chmod(target, 0o640)
        os.symlink(target, os.path.join(self.dir, "b.cpp"))
        rc, _, err = run(["--fix", "b.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.islink(os.path.join(self.dir, "b.cpp")), "the link stays a link")
        self.assertIn(" lock(m);", read(target))
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o640)
        self.assertEqual(sorted(os.listdir(real)), ["b.cpp"], "no temporary file left")

    def test_nolint_and_baseline_findings_are_not_fixed(self):
        write(self.source, UNNAMED.replace("{m};", "{m}; // NOLINT(unnamed-lock-guard)"))
        rc, _, err = run(["--fix", "a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, err)
        self.assertIn("{m}; // NOLINT", read(self.source))
        write(self.source, UNNAMED)
        rc, _, err = run(["--write-baseline=base.json", "a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, err)
        rc, _, err = run(["--baseline=base.json", "--fix", "a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, err)
        self.assertEqual(read(self.source), UNNAMED)

    def test_parse_failure_blocks_fixes(self):
        write(os.path.join(self.dir, "broken.cpp"), "void broken() { int x = ; }\n")
        rc, out, err = run(["--format=json", "--fix", "a.cpp", "broken.cpp", "--", "-std=c++17"],
                           self.dir)
        self.assertEqual(rc, 2, err)
        self.assertIn("no fix applied", err)
        self.assertEqual(read(self.source), UNNAMED)
        finding = json.loads(out)["findings"][0]
        self.assertFalse(finding["fixed"])
        self.assertIn("failed to parse", finding["fix_refused"])

    def test_bad_export_destination(self):
        rc, out, err = run(["--export-fixes=/nonexistent/dir/f.yaml", "a.cpp", "--",
                            "-std=c++17"], self.dir)
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertRegex(err, r"^threadcheck check: error: --export-fixes /nonexistent/dir/f.yaml: "
                              r"cannot write: directory '/nonexistent/dir' does not exist\n$")

    def test_fix_with_write_baseline_is_refused(self):
        rc, _, err = run(["--fix", "--write-baseline=b.json", "a.cpp", "--", "-std=c++17"],
                         self.dir)
        self.assertEqual(rc, 2)
        self.assertIn("--fix and --export-fixes cannot be combined with --write-baseline", err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "b.json")))
        self.assertEqual(read(self.source), UNNAMED)

    def test_sarif_marks_fixed_results(self):
        rc, out, err = run(["--format=sarif", "--fix", "a.cpp", "--", "-std=c++17"], self.dir)
        self.assertEqual(rc, 0, err)
        result = json.loads(out)["runs"][0]["results"][0]
        self.assertEqual(result["kind"], "pass")
        self.assertEqual(result["level"], "none")
        self.assertTrue(result["properties"]["fixApplied"])
        replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
        self.assertEqual(replacement["deletedRegion"],
                         {"byteOffset": UNNAMED.index("{m}"), "byteLength": 3})
        self.assertEqual(replacement["insertedContent"], {"text": " lock(m)"})


def main():
    global THREADCHECK, TESTDATA
    parser = argparse.ArgumentParser()
    parser.add_argument("--threadcheck", required=True)
    parser.add_argument("--testdata", required=True)
    args, rest = parser.parse_known_args()
    THREADCHECK = os.path.abspath(args.threadcheck)
    TESTDATA = os.path.abspath(args.testdata)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()

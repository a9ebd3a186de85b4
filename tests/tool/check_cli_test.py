#!/usr/bin/env python3
"""Command-line tests of `threadcheck check`: the built executable run on small projects written
to temporary directories. Covers database discovery, compile-command adjustment, bad input
(exit 2, one-line error naming the input, no output file left behind), parse failures, output
formats, -o, -j and baselines."""

import argparse
import glob
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

THREADCHECK = None

GOOD_SOURCE = textwrap.dedent("""\
    #include <mutex>
    #include <thread>
    #include <vector>

    std::mutex mu;
    int counter = 0;

    void work() {
      std::lock_guard<std::mutex> guard(mu);
      ++counter;
    }

    int main() {
      std::vector<std::thread> threads;
      for (int i = 0; i < 4; ++i)
        threads.emplace_back(work);
      for (auto& t : threads)
        t.join();
      return counter == 4 ? 0 : 1;
    }
    """)

BROKEN_SOURCE = textwrap.dedent("""\
    #include <mutex>
    void broken() { int x = ; }
    """)


def run(args, cwd):
    proc = subprocess.run([THREADCHECK, "check", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


# A creation whose result is ignored, then a detach: thread-create-unchecked, off by default.
UNCHECKED_CREATE = """\
#include <pthread.h>
static void* work(void* arg) { return arg; }
void start(void) {
  pthread_t t;
  pthread_create(&t, 0, work, 0);
  pthread_detach(t);
}
"""


class Project:
    """A directory with sources and, optionally, a compile_commands.json."""

    def __init__(self, root):
        self.root = os.path.realpath(root)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p

    def database(self, entries, where="compile_commands.json"):
        """entries: (file, command) pairs, commands run in the project root."""
        db = [{"directory": self.root, "command": cmd, "file": f} for f, cmd in entries]
        self.write(where, json.dumps(db, indent=1))

    def files(self, rel="."):
        return sorted(os.listdir(self.path(rel)))


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="threadcheck-cli-")
        self.p = Project(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def assertOneLineError(self, stderr, *fragments):
        lines = [l for l in stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one error line, got:\n{stderr}")
        for fragment in fragments:
            self.assertIn(fragment, lines[0])


class BasicsTest(CliTestCase):
    def test_help_lists_every_option(self):
        rc, out, _ = run(["--help"], self.p.root)
        self.assertEqual(rc, 0)
        for opt in ["-p <build-dir>", "--checks=", "--list-checks", "--format=", "-o <file>",
                    "-j <n>", "--baseline=", "--write-baseline=", "--source-root="]:
            self.assertIn(opt, out)

    def test_list_checks_honours_the_filter(self):
        rc, out, _ = run(["--list-checks"], self.p.root)
        self.assertEqual(rc, 0)
        ids = [line.split()[0] for line in out.splitlines()]
        for check in ["double-lock", "lock-not-released", "unlock-not-held",
                      "blocking-under-lock", "unnamed-lock-guard", "mutex-destroyed-locked"]:
            self.assertIn(check, ids)
        self.assertEqual(ids, sorted(ids))
        rc, out, _ = run(["--list-checks", "--checks=*,-double-lock"], self.p.root)
        self.assertEqual(rc, 0)
        ids2 = [line.split()[0] for line in out.splitlines()]
        self.assertNotIn("double-lock", ids2)
        self.assertEqual(len(ids2), len(ids) - 1)

    def test_clean_project_exits_0_with_summary_on_stderr(self):
        self.p.write("src/main.cpp", GOOD_SOURCE)
        self.p.database([("src/main.cpp", "c++ -std=c++17 -c src/main.cpp -o main.o")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        self.assertIn("0 findings (1 translation unit analysed)", err)


class DatabaseTest(CliTestCase):
    def test_gcc_only_flags_are_dropped(self):
        self.p.write("a.cpp", GOOD_SOURCE)
        self.p.database([("a.cpp", "/usr/bin/g++ -std=gnu++17 -O2 -fno-tree-vrp -fconserve-stack "
                                   "-Wno-maybe-uninitialized -fno-allow-store-data-races "
                                   "-Wall -Werror -MD -MF a.d -c a.cpp -o a.o")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("error", err)
        self.assertNotIn("unknown argument", err)
        self.assertEqual(sorted(os.listdir(self.p.root)), ["a.cpp", "compile_commands.json"],
                         "syntax only: no object or dependency files")

    def test_entries_that_are_not_c_or_cpp_are_skipped_with_one_note(self):
        self.p.write("a.cpp", GOOD_SOURCE)
        self.p.write("start.S", ".globl _start\n_start:\n  ret\n")
        self.p.write("crc.s", "  ret\n")
        self.p.database([("a.cpp", "c++ -std=c++17 -c a.cpp"),
                         ("start.S", "cc -c start.S"),
                         ("crc.s", "as crc.s -o crc.o")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 0, err)
        notes = [l for l in err.splitlines() if "note:" in l]
        self.assertEqual(notes, ["threadcheck check: note: skipped 2 compile commands that are "
                                 "not C or C++ (start.S, crc.s)"])
        self.assertIn("(1 translation unit analysed)", err)
        # Nothing but assembly: nothing to analyse is an error.
        self.p.database([("start.S", "cc -c start.S")])
        rc, out, err = run(["-o", "r.txt"], self.p.root)
        self.assertEqual(rc, 2, err)
        self.assertIn("no C or C++ translation units to analyse", err)
        self.assertFalse(os.path.exists(self.p.path("r.txt")))

    def test_upward_search_and_build_subdirectory(self):
        self.p.write("src/deep/a.cpp", GOOD_SOURCE)
        self.p.database([("src/deep/a.cpp", "c++ -c src/deep/a.cpp")],
                        where="build/compile_commands.json")
        rc, _, err = run([], self.p.path("src/deep"))
        self.assertEqual(rc, 0, err)
        self.assertIn("(1 translation unit analysed)", err)
        # A relative source is resolved against the cwd, not the database.
        rc, _, err = run(["a.cpp"], self.p.path("src/deep"))
        self.assertEqual(rc, 0, err)

    def test_p_takes_a_directory_or_the_file(self):
        self.p.write("a.cpp", GOOD_SOURCE)
        self.p.write("b.cpp", GOOD_SOURCE)
        self.p.database([("a.cpp", "c++ -c a.cpp"), ("b.cpp", "c++ -c b.cpp"),
                         ("a.cpp", "c++ -DAGAIN -c a.cpp")], where="out/compile_commands.json")
        for p in ["out", self.p.path("out/compile_commands.json")]:
            rc, _, err = run(["-p", p], self.p.root)
            self.assertEqual(rc, 0, err)
            self.assertIn("(2 translation units analysed)", err, "entries are deduplicated")

    def test_compiler_args_after_dash_dash_without_a_database(self):
        self.p.write("needs_define.cpp", "#ifndef NEEDED\n#error NEEDED is not defined\n#endif\n" +
                     GOOD_SOURCE)
        rc, _, err = run(["needs_define.cpp", "--", "-std=c++17", "-DNEEDED"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertIn("(1 translation unit analysed)", err)
        rc, _, err = run(["needs_define.cpp", "--", "-std=c++17"], self.p.root)
        self.assertEqual(rc, 2)
        self.assertIn("NEEDED is not defined", err)

    def test_dash_dash_without_sources_is_an_error(self):
        rc, _, err = run(["--", "-std=c++17"], self.p.root)
        self.assertEqual(rc, 2)
        self.assertOneLineError(err, "no source files given")

    def test_each_command_runs_in_its_own_directory(self):
        # Relative include paths resolve against each command's directory, also when units of
        # different directories are parsed at the same time.
        entries = []
        for d in ["one", "two", "three"]:
            self.p.write(f"{d}/inc/config.h", f"#define WHICH_{d.upper()} 1\n")
            for i in range(3):
                src = f"{d}/u{i}.cpp"
                # config.h comes after the standard headers, so that other units start (and
                # would chdir) while this one is still parsing.
                self.p.write(src, GOOD_SOURCE + f'#include "config.h"\n#ifndef WHICH_{d.upper()}'
                                  f'\n#error wrong config.h\n#endif\n')
                entries.append({"directory": self.p.path(d), "file": f"u{i}.cpp",
                                "command": "c++ -std=c++17 -Iinc -c u%d.cpp" % i})
        self.p.write("compile_commands.json", json.dumps(entries))
        for jobs in ["1", "4"]:
            rc, _, err = run(["-j", jobs], self.p.root)
            self.assertEqual(rc, 0, err)
            self.assertIn("(9 translation units analysed)", err)

    def test_extra_args_with_a_database(self):
        self.p.write("a.cpp", "#ifndef NEEDED\n#error NEEDED is not defined\n#endif\n")
        self.p.database([("a.cpp", "c++ -c a.cpp")])
        rc, _, err = run(["-p", ".", "--", "-DNEEDED"], self.p.root)
        self.assertEqual(rc, 0, err)


class BadInputTest(CliTestCase):
    """Each case: exit 2, one line naming the input, and no report file (or temporary) left."""

    def check_bad(self, args, *fragments, cwd=None):
        rc, out, err = run([*args, "-o", "report.txt"], cwd or self.p.root)
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        self.assertOneLineError(err, *fragments)
        leftovers = [f for f in os.listdir(cwd or self.p.root) if f.startswith("report.txt")]
        self.assertEqual(leftovers, [])

    def setUp(self):
        super().setUp()
        self.p.write("a.cpp", GOOD_SOURCE)
        self.p.write("orphan.cpp", GOOD_SOURCE)
        self.p.database([("a.cpp", "c++ -c a.cpp")])

    def test_missing_database(self):
        empty = self.p.path("empty")
        os.makedirs(empty)
        self.check_bad(["-p", "empty"], "empty: no compile_commands.json")
        parents = [os.path.dirname(empty)]
        while parents[-1] != os.path.dirname(parents[-1]):
            parents.append(os.path.dirname(parents[-1]))
        if any(os.path.exists(os.path.join(d, c))
               for d in parents[1:] for c in ["compile_commands.json", "build/compile_commands.json"]):
            self.skipTest("a parent of the temporary directory has a compilation database")
        os.remove(self.p.path("compile_commands.json"))
        self.check_bad([], "no compile_commands.json in", cwd=empty)

    def test_malformed_database(self):
        self.p.write("compile_commands.json", '[{"directory": "/", "file": ')
        self.check_bad([], "compile_commands.json: malformed compilation database")

    def test_source_not_in_database(self):
        self.check_bad(["orphan.cpp"], "orphan.cpp: not in the compilation database",
                       "compile_commands.json")

    def test_source_does_not_exist(self):
        self.check_bad(["missing.cpp"], "missing.cpp: no such file")

    def test_unknown_check(self):
        self.check_bad(["--checks=*,-no-such-check"], "no-such-check")

    def test_unreadable_and_malformed_baseline(self):
        self.check_bad(["--baseline=nothere.json"], "nothere.json: cannot read baseline")
        self.p.write("bad.json", "{not json")
        self.check_bad(["--baseline", "bad.json"], "bad.json: malformed baseline")
        self.p.write("other.json", '{"version": 1, "tool": "other", "fingerprints": []}')
        self.check_bad(["--baseline=other.json"], "other.json: not a threadcheck baseline")

    def test_unwritable_output(self):
        for target, fragment in [("nodir/out.txt", "nodir/out.txt: cannot write"),
                                 (".", "is a directory"),
                                 ("a.cpp/out.txt", "'" + self.p.path("a.cpp") + "' is not a directory")]:
            rc, out, err = run(["-o", target], self.p.root)
            self.assertEqual(rc, 2)
            self.assertOneLineError(err, fragment)
        self.assertEqual(self.p.files(), ["a.cpp", "compile_commands.json", "orphan.cpp"])

    def test_unwritable_output_fails_before_analysis(self):
        # The broken file would print compiler errors if it were parsed first.
        self.p.write("a.cpp", BROKEN_SOURCE)
        rc, _, err = run(["-o", "nodir/out.txt"], self.p.root)
        self.assertEqual(rc, 2)
        self.assertOneLineError(err, "nodir/out.txt")

    def test_unknown_option(self):
        self.check_bad(["--frobnicate"], "unknown option '--frobnicate'")
        self.check_bad(["--fix-errors"], "unknown option '--fix-errors'")

    def test_bad_jobs(self):
        self.check_bad(["-j", "0"], "invalid -j value '0'")
        self.check_bad(["-jfour"], "invalid -j value 'four'")

    def test_bad_format(self):
        self.check_bad(["--format=xml"], "--format 'xml'")

    def test_write_baseline_with_output_is_a_usage_error(self):
        rc, _, err = run(["--write-baseline=b.json", "-o", "r.txt"], self.p.root)
        self.assertEqual(rc, 2)
        self.assertOneLineError(err, "--write-baseline")
        self.assertFalse(os.path.exists(self.p.path("b.json")))


# Parsing takes about ten seconds: the constant evaluation runs three million iterations.
SLOW_SOURCE = """constexpr long spin() {
  long s = 0;
  for (long i = 0; i < 3000000; ++i)
    s += i % 7;
  return s;
}
static_assert(spin() > 0);
int main() { return 0; }
"""


class SignalTest(CliTestCase):
    """SIGKILL leaves no temporary output file; SIGTERM stops the workers and reports what the
    parsed units give (exit 2); a second SIGTERM ends the run at once, writing nothing."""

    UNITS = 4

    def setUp(self):
        super().setUp()
        self.p.write("a0.cpp", DOUBLE_LOCK)
        for i in range(1, self.UNITS):
            self.p.write(f"a{i}.cpp", GOOD_SOURCE.replace("main()", f"main{i}()"))
        self.p.database([(f"a{i}.cpp", f"c++ -std=c++17 -c a{i}.cpp")
                         for i in range(self.UNITS)])

    def start(self, extra=()):
        return subprocess.Popen([THREADCHECK, "check", "-j1", "--format=json", "-o",
                                 "report.json", *extra], cwd=self.p.root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def outputs(self):
        return [f for f in self.p.files() if f.startswith("report")]

    def wait_for_first_unit(self):
        deadline = time.monotonic() + 120
        while not glob.glob(self.p.path("cache/*.tcfacts")) and time.monotonic() < deadline:
            time.sleep(0.05)

    def test_sigkill_leaves_no_temporary_file(self):
        # Killed while slow.cpp is parsed: an earlier report stays as it was, nothing is added.
        self.p.write("report.json", "earlier\n")
        self.p.write("slow.cpp", SLOW_SOURCE)
        self.p.database([("a0.cpp", "c++ -std=c++17 -c a0.cpp"),
                         ("slow.cpp", "c++ -std=c++17 -fconstexpr-steps=2000000000 -c slow.cpp")])
        proc = self.start(["--cache-dir=cache"])
        self.wait_for_first_unit()
        proc.kill()
        proc.communicate(timeout=60)
        self.assertEqual(self.outputs(), ["report.json"])
        with open(self.p.path("report.json")) as f:
            self.assertEqual(f.read(), "earlier\n")

    def test_sigterm_reports_what_was_found(self):
        # a0 is parsed first and stored in the cache; SIGTERM comes while slow.cpp is parsed, so
        # a0's finding is reported and the units after slow.cpp are not analysed.
        self.p.write("slow.cpp", SLOW_SOURCE)
        self.p.database([("a0.cpp", "c++ -std=c++17 -c a0.cpp"),
                         ("slow.cpp", "c++ -std=c++17 -fconstexpr-steps=2000000000 -c slow.cpp")]
                        + [(f"a{i}.cpp", f"c++ -std=c++17 -c a{i}.cpp") for i in range(1, 4)])
        proc = self.start(["--cache-dir=cache"])
        self.wait_for_first_unit()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 2, err)
        self.assertIn("interrupted: 3 of 5 translation units not analysed", err)
        self.assertEqual(self.outputs(), ["report.json"])
        with open(self.p.path("report.json")) as f:
            report = json.load(f)
        self.assertEqual([f["check"] for f in report["findings"]], ["double-lock"])
        self.assertEqual([e["file"] for e in report["errors"]], ["a1.cpp", "a2.cpp", "a3.cpp"])
        self.assertTrue(all(e["message"] == "not analysed: interrupted"
                            for e in report["errors"]))

    def test_second_sigterm_ends_at_once(self):
        # Both signals come while slow.cpp, whose constant evaluation takes about ten seconds, is
        # parsed: the second one must not wait for it.
        self.p.write("slow.cpp", SLOW_SOURCE)
        self.p.database([("a0.cpp", "c++ -std=c++17 -c a0.cpp"),
                         ("slow.cpp", "c++ -std=c++17 -fconstexpr-steps=2000000000 -c slow.cpp"),
                         ("a1.cpp", "c++ -std=c++17 -c a1.cpp")])
        proc = self.start(["--cache-dir=cache"])
        self.wait_for_first_unit()
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, -signal.SIGTERM)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.outputs(), [])


class ParseFailureTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.p.write("bad.cpp", BROKEN_SOURCE)
        self.p.write("good.cpp", GOOD_SOURCE)
        self.p.database([("bad.cpp", "c++ -std=c++17 -c bad.cpp"),
                         ("good.cpp", "c++ -std=c++17 -c good.cpp")])

    def test_compiler_errors_printed_others_analysed_exit_2(self):
        rc, out, err = run(["-j", "2"], self.p.root)
        self.assertEqual(rc, 2)
        self.assertIn("bad.cpp:2:25: error: expected expression", err)
        self.assertIn("1 error generated.", err)
        self.assertIn("threadcheck check: error: bad.cpp: failed to parse", err)
        self.assertIn("(2 translation units analysed, 1 failed)", err)

    def test_failed_units_are_in_json_and_sarif(self):
        rc, _, _ = run(["--format=json", "-o", "r.json"], self.p.root)
        self.assertEqual(rc, 2)
        with open(self.p.path("r.json")) as f:
            report = json.load(f)
        self.assertEqual(report["translation_units"], 2)
        self.assertEqual([e["file"] for e in report["errors"]], ["bad.cpp"])
        self.assertIn("expected expression", report["errors"][0]["message"])

        rc, out, _ = run(["--format=sarif"], self.p.root)
        self.assertEqual(rc, 2)
        invocation = json.loads(out)["runs"][0]["invocations"][0]
        self.assertFalse(invocation["executionSuccessful"])
        notes = invocation["toolExecutionNotifications"]
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes[0]["level"], "error")
        self.assertEqual(
            notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.cpp")

    def test_baseline_is_not_written_from_an_incomplete_run(self):
        rc, _, err = run(["--write-baseline=b.json"], self.p.root)
        self.assertEqual(rc, 2)
        self.assertIn("not written", err)
        self.assertFalse(any(f.startswith("b.json") for f in self.p.files()))


def many_paths_source(branches):
    """A function whose paths (each branch may release or retake the lock) exceed the analysis
    budget, with a leak at its end, next to a small function with a leak of its own."""
    body = "\n".join(
        f"  if (flags[{i}]) {{ count += {i}; if (count > {i}) pthread_mutex_unlock(&m); "
        f"else pthread_mutex_lock(&m); }}" for i in range(branches))
    return (f"#include <pthread.h>\nstatic pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
            f"int flags[{branches}];\nint count;\n"
            f"void huge(void) {{\n  pthread_mutex_lock(&m);\n{body}\n  if (count) return;\n"
            f"  pthread_mutex_unlock(&m);\n}}\n"
            "void small(void) {\n  pthread_mutex_lock(&m);\n  if (count)\n    return;\n"
            "  pthread_mutex_unlock(&m);\n}\n")


class BudgetTest(CliTestCase):
    """Functions over the analysis budget are named in every output, not silently skipped."""

    def setUp(self):
        super().setUp()
        self.p.write("huge.c", many_paths_source(400))
        self.p.database([("huge.c", "cc -std=c11 -c huge.c")])

    def test_named_on_stderr_and_the_rest_is_reported(self):
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 1, err)
        self.assertIn("huge.c:5: 'huge' has too many paths to analyse within the budget", err)
        self.assertIn("1 function with too many paths", err)
        # small()'s leak is still found; nothing is reported inside huge().
        self.assertIn("huge.c:413:5: warning", out)
        self.assertNotIn("'huge'", out)

    def test_listed_in_json_and_sarif(self):
        rc, _, err = run(["--format=json", "-o", "r.json"], self.p.root)
        self.assertEqual(rc, 1, err)
        with open(self.p.path("r.json")) as f:
            report = json.load(f)
        self.assertEqual([(i["function"], i["file"], i["line"])
                          for i in report["incomplete_functions"]], [("huge", "huge.c", 5)])
        self.assertEqual(report["errors"], [])

        rc, out, _ = run(["--format=sarif"], self.p.root)
        self.assertEqual(rc, 1)
        invocation = json.loads(out)["runs"][0]["invocations"][0]
        self.assertTrue(invocation["executionSuccessful"])
        notes = invocation["toolExecutionNotifications"]
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes[0]["level"], "note")
        self.assertIn("'huge' has too many paths", notes[0]["message"]["text"])
        location = notes[0]["locations"][0]["physicalLocation"]
        self.assertEqual(location["artifactLocation"]["uri"], "huge.c")
        self.assertEqual(location["region"]["startLine"], 5)

    def test_small_function_is_not_given_up(self):
        self.p.write("huge.c", many_paths_source(3))
        rc, _, err = run(["--format=json", "-o", "r.json"], self.p.root)
        self.assertEqual(rc, 1, err)
        with open(self.p.path("r.json")) as f:
            report = json.load(f)
        self.assertEqual(report["incomplete_functions"], [])
        self.assertNotIn("too many paths", err)


class OutputTest(CliTestCase):
    def setUp(self):
        super().setUp()
        for name in ["a.cpp", "b.cpp", "c.cpp"]:
            self.p.write(name, GOOD_SOURCE)
        self.p.database([(n, f"c++ -std=c++17 -c {n}") for n in ["a.cpp", "b.cpp", "c.cpp"]])

    def test_o_writes_the_report_and_nothing_else(self):
        rc, out, err = run(["--format=json", "-o", "report.json", "-j2"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        with open(self.p.path("report.json")) as f:
            report = json.load(f)
        self.assertEqual(report["version"], 1)
        self.assertEqual(report["tool"], "threadcheck")
        self.assertEqual(report["findings"], [])
        self.assertEqual(report["errors"], [])
        self.assertEqual(report["translation_units"], 3)
        self.assertEqual([f for f in self.p.files() if f.startswith("report")], ["report.json"])

    def test_sarif_on_stdout(self):
        rc, out, err = run(["--format", "sarif", "--source-root", self.p.root], self.p.path("."))
        self.assertEqual(rc, 0, err)
        sarif = json.loads(out)
        self.assertEqual(sarif["version"], "2.1.0")
        run0 = sarif["runs"][0]
        self.assertEqual(run0["tool"]["driver"]["name"], "threadcheck")
        rule_ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
        self.assertIn("double-lock", rule_ids)
        self.assertEqual(run0["originalUriBaseIds"]["SRCROOT"]["uri"], "file://" + self.p.root + "/")
        self.assertTrue(run0["invocations"][0]["executionSuccessful"])
        self.assertEqual(run0["results"], [])

    def test_write_baseline_then_use_it(self):
        rc, out, err = run(["--write-baseline=base.json"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertIn("wrote 0 findings to the baseline base.json", err)
        with open(self.p.path("base.json")) as f:
            baseline = json.load(f)
        self.assertEqual(baseline, {"version": 1, "tool": "threadcheck", "fingerprints": []})
        rc, _, err = run(["--baseline=base.json"], self.p.root)
        self.assertEqual(rc, 0, err)

    def test_jobs_do_not_change_the_output(self):
        outputs = set()
        for jobs in ["1", "3"]:
            rc, out, err = run(["-j", jobs, "--format=json"], self.p.root)
            self.assertEqual(rc, 0, err)
            outputs.add(out)
        self.assertEqual(len(outputs), 1)


# Each function locks `mu` twice; the comments decide which of the double locks are reported.
NOLINT_SOURCE = textwrap.dedent("""\
    #include <mutex>
    std::mutex mu;
    void reported() {
      mu.lock();
      mu.lock();
      mu.unlock();
    }
    void same_line() {
      mu.lock();
      mu.lock(); // NOLINT(double-lock)
      mu.unlock();
    }
    void other_check_named() {
      mu.lock();
      mu.lock(); // NOLINT(lock-not-released)
      mu.unlock();
    }
    void next_line() {
      mu.lock();
      // NOLINTNEXTLINE(threadcheck-double-lock)
      mu.lock();
      mu.unlock();
    }
    void bare() {
      mu.lock();
      mu.lock(); /* NOLINT */
      mu.unlock();
    }
    // NOLINTBEGIN(double-*)
    void in_block() {
      mu.lock();
      mu.lock();
      mu.unlock();
    }
    // NOLINTEND(double-*)
    void after_block() {
      mu.lock();
      mu.lock();
      mu.unlock();
    }
    """)

DOUBLE_LOCK = textwrap.dedent("""\
    #include <mutex>
    std::mutex mu;
    void twice() {
      mu.lock();
      mu.lock();
      mu.unlock();
    }
    """)


def line_of(text, needle, occurrence=1):
    """1-based line of the occurrence-th line containing needle."""
    hits = [i + 1 for i, l in enumerate(text.splitlines()) if needle in l]
    return hits[occurrence - 1]


class FindingsTest(CliTestCase):
    """End to end with the engine's real findings."""

    def json_report(self, args=(), cwd=None):
        rc, out, err = run(["--format=json", *args], cwd or self.p.root)
        self.assertIn(rc, (0, 1), err)
        return rc, json.loads(out)

    def test_text_format_and_exit_1(self):
        self.p.write("src/a.cpp", DOUBLE_LOCK)
        self.p.database([("src/a.cpp", "c++ -std=c++17 -c src/a.cpp")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 1, err)
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^src/a\.cpp:5:\d+: warning: .*'mu'.* \[double-lock\]$")
        self.assertEqual(lines[1], "    5 |   mu.lock();")
        column = int(lines[0].split(":")[2])
        self.assertEqual(lines[2], "      | " + " " * (column - 1) + "^")
        self.assertRegex(lines[3], r"^src/a\.cpp:4:\d+: note: ")
        self.assertIn("1 finding in 1 file (1 translation unit analysed)", err)
        # From another directory the path is absolute.
        rc, out, _ = run(["-p", self.p.root], self.p.path("src"))
        self.assertEqual(rc, 1)
        self.assertTrue(out.startswith("a.cpp:5:"), out)

    def test_nolint_variants(self):
        self.p.write("n.cpp", NOLINT_SOURCE)
        self.p.database([("n.cpp", "c++ -std=c++17 -c n.cpp")])
        rc, report = self.json_report()
        self.assertEqual(rc, 1)
        reported = sorted((f["function"], f["line"]) for f in report["findings"]
                          if f["check"] == "double-lock")
        expected = sorted([
            ("reported", line_of(NOLINT_SOURCE, "mu.lock();", 2)),
            ("other_check_named", line_of(NOLINT_SOURCE, "NOLINT(lock-not-released)")),
            ("after_block", line_of(NOLINT_SOURCE, "mu.lock();", 14)),
        ])
        self.assertEqual(reported, expected)
        _, _, err = run([], self.p.root)
        self.assertIn("4 suppressed by NOLINT", err)

    def test_checks_filter(self):
        self.p.write("a.cpp", DOUBLE_LOCK)
        self.p.database([("a.cpp", "c++ -std=c++17 -c a.cpp")])
        rc, out, err = run(["--checks=*,-double-lock"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        rc, out, err = run(["--checks", "-*,threadcheck-double-*"], self.p.root)
        self.assertEqual(rc, 1, err)

    def test_opt_in_check_runs_only_when_named(self):
        self.p.write("a.c", UNCHECKED_CREATE)
        self.p.database([("a.c", "cc -std=c11 -pthread -c a.c")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        for globs in ["--checks=*", "--checks=thread-create-unchecked"]:
            rc, out, err = run([globs], self.p.root)
            self.assertEqual(rc, 1, err)
            self.assertIn("[thread-create-unchecked]", out)
        rc, out, _ = run(["--list-checks"], self.p.root)
        self.assertIn("[off by default]",
                      [l for l in out.splitlines() if l.startswith("thread-create-unchecked")][0])
        rc, out, _ = run(["--help"], self.p.root)
        self.assertIn("thread-create-unchecked", out)

    def test_baseline_round_trip_survives_inserted_lines(self):
        self.p.write("a.cpp", DOUBLE_LOCK)
        self.p.database([("a.cpp", "c++ -std=c++17 -c a.cpp")])
        _, before = self.json_report()
        rc, out, err = run(["--write-baseline", "base.json"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        self.assertIn("wrote 1 finding to the baseline base.json", err)
        with open(self.p.path("base.json")) as f:
            base = json.load(f)
        self.assertEqual([e["fingerprint"] for e in base["fingerprints"]],
                         [f["fingerprint"] for f in before["findings"]])
        self.assertEqual(base["fingerprints"][0]["check"], "double-lock")
        self.assertEqual(base["fingerprints"][0]["file"], "a.cpp")

        rc, out, err = run(["--baseline=base.json"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        self.assertIn("1 in the baseline", err)

        # Unrelated lines above move the finding; its fingerprint stays, so the baseline holds.
        self.p.write("a.cpp", "// a comment\n#include <vector>\n\nint unrelated = 1;\n" +
                     DOUBLE_LOCK + textwrap.dedent("""\
                         void again() {
                           mu.lock();
                           mu.lock();
                         }
                         """))
        _, after = self.json_report()
        moved = [f for f in after["findings"] if f["function"] == "twice"]
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved[0]["line"], before["findings"][0]["line"] + 4)
        self.assertEqual(moved[0]["fingerprint"], before["findings"][0]["fingerprint"])
        rc, report = self.json_report(["--baseline=base.json"])
        self.assertEqual(rc, 1)
        self.assertEqual(sorted({f["function"] for f in report["findings"]}), ["again"])

    def test_parse_error_does_not_hide_other_findings(self):
        self.p.write("bad.cpp", BROKEN_SOURCE)
        self.p.write("a.cpp", DOUBLE_LOCK)
        self.p.database([("bad.cpp", "c++ -c bad.cpp"), ("a.cpp", "c++ -std=c++17 -c a.cpp")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 2, "a parse failure wins over findings")
        self.assertIn("[double-lock]", out)
        self.assertIn("bad.cpp:2:25: error:", err)

    def test_system_headers_are_never_reported(self):
        header = "#include <mutex>\ninline std::mutex hm;\ninline void in_header() {\n" \
                 "  hm.lock();\n  hm.lock();\n  hm.unlock();\n}\n"
        self.p.write("inc/lib.h", header)
        self.p.write("a.cpp", '#include "lib.h"\nvoid use() { in_header(); }\n')
        self.p.database([("a.cpp", "c++ -std=c++17 -isystem inc -c a.cpp")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        self.p.database([("a.cpp", "c++ -std=c++17 -I inc -c a.cpp")])
        rc, out, err = run([], self.p.root)
        self.assertEqual(rc, 1, err)
        self.assertTrue(out.startswith("inc/lib.h:5:"), out)
        # Relative include paths are the command's, not the cwd's.
        os.makedirs(self.p.path("elsewhere"))
        rc, out, err = run(["-p", self.p.root], self.p.path("elsewhere"))
        self.assertEqual(rc, 1, err)
        self.assertTrue(out.startswith(self.p.path("inc/lib.h") + ":5:"), out)

    def test_sarif_result(self):
        self.p.write("src/a.cpp", DOUBLE_LOCK)
        self.p.database([("src/a.cpp", "c++ -std=c++17 -c src/a.cpp")])
        rc, out, err = run(["--format=sarif"], self.p.root)
        self.assertEqual(rc, 1, err)
        run0 = json.loads(out)["runs"][0]
        rules = run0["tool"]["driver"]["rules"]
        (result,) = run0["results"]
        self.assertEqual(result["ruleId"], "double-lock")
        self.assertEqual(rules[result["ruleIndex"]]["id"], "double-lock")
        self.assertEqual(result["level"], "warning")
        loc = result["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"], {"uri": "src/a.cpp", "uriBaseId": "SRCROOT"})
        self.assertEqual(loc["region"]["startLine"], 5)
        self.assertIn("startColumn", loc["region"])
        self.assertTrue(result["relatedLocations"])
        self.assertTrue(result["codeFlows"][0]["threadFlows"][0]["locations"])
        self.assertRegex(result["partialFingerprints"]["threadcheckFingerprint/v1"],
                         r"^[0-9a-f]{16}$")
        # The same report through -o, with the exit code still saying "findings".
        rc, out, err = run(["--format=sarif", "-o", "report.sarif"], self.p.root)
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, "")
        with open(self.p.path("report.sarif")) as f:
            self.assertEqual(json.load(f)["runs"][0]["results"], run0["results"])

    def test_jobs_give_identical_reports(self):
        names = [f"f{i}.cpp" for i in range(4)]
        for i, n in enumerate(names):
            self.p.write(n, DOUBLE_LOCK.replace("twice", f"twice{i}").replace("mu;", f"m{i};")
                         .replace("mu.", f"m{i}."))
        self.p.database([(n, f"c++ -std=c++17 -c {n}") for n in names])
        outputs = set()
        for jobs in ["1", "2", "4"]:
            rc, out, err = run([f"-j{jobs}"], self.p.root)
            self.assertEqual(rc, 1, err)
            outputs.add(out)
        self.assertEqual(len(outputs), 1)
        self.assertEqual(next(iter(outputs)).count("[double-lock]"), 4)


def main():
    global THREADCHECK
    parser = argparse.ArgumentParser()
    parser.add_argument("--threadcheck", required=True)
    args, rest = parser.parse_known_args()
    THREADCHECK = os.path.abspath(args.threadcheck)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()

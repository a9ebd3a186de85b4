#!/usr/bin/env python3
"""Command-line tests of incremental and sharded runs of `threadcheck check`: --cache-dir (a warm
run after a one-file edit parses only that unit and reports what a cold run reports, cross-unit
findings included; damaged or foreign entries are rebuilt; concurrent runs share a directory),
--shard=K/N and --merge (the merged report equals the unsharded one in every format, with NOLINT
and baselines; missing, duplicate, foreign and other-version shard files are refused)."""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

THREADCHECK = None

# A lock wrapper in one file and its callers in others: whether `twice()` in d.cpp double-locks
# depends on the summary of `lockA()` in c.cpp, and a.cpp/b.cpp's lock order is only inverted
# when both files are seen together.
LOCKS_H = textwrap.dedent("""\
    #pragma once
    #include <mutex>
    extern std::mutex ma;
    extern std::mutex mb;
    void lockA();
    void unlockA();
    """)

A_CPP = textwrap.dedent("""\
    #include "locks.h"
    std::mutex ma;
    std::mutex mb;
    int shared = 0;
    void first() {
      std::lock_guard<std::mutex> g1(ma);
      std::lock_guard<std::mutex> g2(mb);
      ++shared;
    }
    """)

B_CPP_SAME_ORDER = textwrap.dedent("""\
    #include "locks.h"
    extern int shared;
    void second() {
      std::lock_guard<std::mutex> g1(ma);
      std::lock_guard<std::mutex> g2(mb);
      --shared;
    }
    """)

B_CPP_INVERTED = B_CPP_SAME_ORDER.replace("g1(ma)", "g1(mb)").replace("g2(mb)", "g2(ma)")

C_CPP_BALANCED = textwrap.dedent("""\
    #include "locks.h"
    void lockA() {
      ma.lock();
      ma.unlock();
    }
    void unlockA() {}
    """)

C_CPP_WRAPPER = textwrap.dedent("""\
    #include "locks.h"
    void lockA() {
      ma.lock();
    }
    void unlockA() {
      ma.unlock();
    }
    """)

D_CPP = textwrap.dedent("""\
    #include "locks.h"
    void twice() {
      lockA();
      lockA();
      unlockA();
      unlockA();
    }
    """)

FILLER_CPP = textwrap.dedent("""\
    #include <mutex>
    static std::mutex m{n};
    static int value{n};
    int get{n}() {{
      std::lock_guard<std::mutex> g(m{n});
      return value{n};
    }}
    """)

NOLINT_CPP = textwrap.dedent("""\
    #include <mutex>
    std::mutex mn;
    void suppressed() {
      mn.lock();
      mn.lock(); // NOLINT(double-lock)
      mn.unlock();
    }
    void reported() {
      mn.lock();
      mn.lock();
      mn.unlock();
    }
    """)

BROKEN_CPP = "#include <mutex>\nvoid broken() { int x = ; }\n"

PARSED = re.compile(r"(\d+) of (\d+) translation units parsed, (\d+) from cache")


def run(args, cwd, env=None):
    proc = subprocess.run([THREADCHECK, "check", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def read_json(path):
    with open(path) as f:
        return json.load(f)


def parsed_count(stderr):
    m = PARSED.search(stderr)
    if not m:
        raise AssertionError(f"no cache statistics on stderr:\n{stderr}")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def summary(stderr):
    """The closing summary line (the same for every way of getting the facts)."""
    lines = [l for l in stderr.splitlines() if "translation unit" in l and "analysed" in l]
    return lines[-1] if lines else None


class Project:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        os.makedirs(self.root, exist_ok=True)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)

    def database(self, files):
        db = [{"directory": self.root, "command": f"c++ -std=c++17 -Iinclude -c {f}", "file": f}
              for f in files]
        self.write("compile_commands.json", json.dumps(db, indent=1))


def make_project(root, extra_units=2, with_nolint=False):
    p = Project(root)
    p.write("include/locks.h", LOCKS_H)
    p.write("src/a.cpp", A_CPP)
    p.write("src/b.cpp", B_CPP_SAME_ORDER)
    p.write("src/c.cpp", C_CPP_BALANCED)
    p.write("src/d.cpp", D_CPP)
    files = ["src/a.cpp", "src/b.cpp", "src/c.cpp", "src/d.cpp"]
    for n in range(extra_units):
        p.write(f"src/filler{n}.cpp", FILLER_CPP.format(n=n))
        files.append(f"src/filler{n}.cpp")
    if with_nolint:
        p.write("src/nolint.cpp", NOLINT_CPP)
        files.append("src/nolint.cpp")
    p.database(files)
    return p


class TempDirTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="threadcheck-incremental-")
        self.tmp = os.path.realpath(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def assertOneLineError(self, stderr, *fragments):
        lines = [l for l in stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one error line, got:\n{stderr}")
        self.assertTrue(lines[0].startswith("threadcheck check: error: "), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])


class CacheTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.p = make_project(os.path.join(self.tmp, "proj"))
        self.cache = os.path.join(self.tmp, "cache")
        self.units = 6

    def cached_run(self, *extra):
        return run(["--cache-dir", self.cache, "--format=json", *extra], self.p.root)

    def cold_run(self, *extra):
        """The reference: no cache at all."""
        return run(["--format=json", *extra], self.p.root)

    def entries(self):
        return sorted(f for f in os.listdir(self.cache) if f.endswith(".tcfacts"))

    def test_warm_run_after_one_file_edit_parses_only_that_unit(self):
        rc, out, err = self.cached_run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(parsed_count(err), (self.units, self.units, 0))
        self.assertEqual(len(self.entries()), self.units)

        rc2, out2, err2 = self.cached_run()
        self.assertEqual(parsed_count(err2), (0, self.units, self.units))
        self.assertEqual((rc2, out2), (rc, out))

        # c.cpp becomes a lock wrapper: d.cpp's twice() now double-locks, a finding in a unit
        # that is not re-parsed and that exists only through the edited unit's summary.
        self.p.write("src/c.cpp", C_CPP_WRAPPER)
        rc, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (1, self.units, self.units - 1))
        self.assertEqual(rc, 1, err)
        findings = json.loads(out)["findings"]
        self.assertTrue(any(f["check"] == "double-lock" and f["file"] == "src/d.cpp"
                            for f in findings), out)
        cold = self.cold_run()
        self.assertEqual((rc, out, summary(err)), (cold[0], cold[1], summary(cold[2])))

        # The other way round: the order inversion needs a.cpp (cached) and the edited b.cpp.
        self.p.write("src/b.cpp", B_CPP_INVERTED)
        rc, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (1, self.units, self.units - 1))
        inversions = [f for f in json.loads(out)["findings"] if f["check"] == "lock-order-inversion"]
        self.assertEqual(len(inversions), 1, out)
        chain_files = {n["file"] for n in inversions[0]["notes"]} | {inversions[0]["file"]}
        self.assertEqual(chain_files, {"src/a.cpp", "src/b.cpp"}, out)
        cold = self.cold_run()
        self.assertEqual((rc, out, summary(err)), (cold[0], cold[1], summary(cold[2])))

    def test_header_edit_reparses_exactly_its_includers(self):
        self.cached_run()
        with open(self.p.path("include/locks.h"), "a") as f:
            f.write("// a comment changes the contents, so the key\n")
        rc, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (4, self.units, 2), "a, b, c and d include locks.h")
        # Each unit keeps one entry, for the contents it was last parsed with.
        self.p.write("include/locks.h", LOCKS_H)
        rc, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (4, self.units, 2))

    def test_touch_without_change_uses_the_cache(self):
        self.cached_run()
        os.utime(self.p.path("src/a.cpp"), (1, 1))  # contents decide, not mtimes
        self.p.write("src/b.cpp", B_CPP_SAME_ORDER)
        _, _, err = self.cached_run()
        self.assertEqual(parsed_count(err), (0, self.units, self.units))

    def test_changed_command_or_checks(self):
        self.cached_run()
        # --checks does not change the facts: every check's facts are cached.
        rc, out, err = self.cached_run("--checks=-*,double-lock")
        self.assertEqual(parsed_count(err), (0, self.units, self.units))
        self.p.write("src/c.cpp", C_CPP_WRAPPER)
        rc, out, err = self.cached_run("--checks=-*,lock-order-inversion")
        self.assertEqual(rc, 0, "double-lock is off")
        # Extra compiler arguments change every command.
        rc, out, err = self.cached_run("-p", ".", "--", "-DEXTRA=1")
        self.assertEqual(parsed_count(err), (self.units, self.units, 0))

    def test_damaged_and_foreign_entries_are_rebuilt(self):
        rc, cold_out, _ = self.cached_run()
        entries = [os.path.join(self.cache, e) for e in self.entries()]
        with open(entries[0], "r+b") as f:  # truncated
            f.truncate(os.path.getsize(entries[0]) // 2)
        with open(entries[1], "r+b") as f:  # one byte flipped in the middle
            f.seek(os.path.getsize(entries[1]) // 2)
            b = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([b[0] ^ 0x40]))
        with open(entries[2], "w") as f:  # not a fact file at all
            f.write("garbage\n")
        shutil.copyfile(entries[4], entries[3])  # a whole entry, but for another unit
        rc, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (4, self.units, 2), err)
        self.assertIn("4 unusable cache entries rebuilt", err)
        self.assertEqual(out, cold_out)
        _, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (0, self.units, self.units), "rebuilt entries are good")
        self.assertNotIn("unusable", err)
        self.assertEqual(out, cold_out)
        self.assertEqual([f for f in os.listdir(self.cache) if "tmp" in f], [],
                         "no temporary files left behind")

    def test_units_that_fail_to_parse_are_not_cached(self):
        self.p.write("src/broken.cpp", BROKEN_CPP)
        db = read_json(self.p.path("compile_commands.json"))
        db.append({"directory": self.p.root, "command": "c++ -c src/broken.cpp",
                   "file": "src/broken.cpp"})
        self.p.write("compile_commands.json", json.dumps(db))
        for _ in range(2):
            rc, _, err = self.cached_run()
            self.assertEqual(rc, 2)
            self.assertIn("broken.cpp: failed to parse", err)
        self.assertEqual(parsed_count(err), (1, self.units + 1, self.units))

    def test_concurrent_runs_share_a_cache_dir(self):
        rc, reference, _ = self.cold_run()
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            results = list(pool.map(lambda _: self.cached_run("-j1"), range(3)))
        for rc2, out, err in results:
            self.assertEqual((rc2, out), (rc, reference), err)
        _, out, err = self.cached_run()
        self.assertEqual(parsed_count(err), (0, self.units, self.units))
        self.assertEqual(out, reference)

    def test_bad_cache_dir(self):
        self.p.write("not_a_dir", "x")
        rc, out, err = run(["--cache-dir", self.p.path("not_a_dir")], self.p.root)
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertOneLineError(err, "--cache-dir", "not_a_dir", "not a directory")


class ShardTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.p = make_project(os.path.join(self.tmp, "proj"), extra_units=3, with_nolint=True)
        self.p.write("src/c.cpp", C_CPP_WRAPPER)
        self.p.write("src/b.cpp", B_CPP_INVERTED)
        self.shards = os.path.join(self.tmp, "shards")
        os.makedirs(self.shards)

    def shard(self, k, n, *extra):
        out = os.path.join(self.shards, f"s{k}.tcshard")
        rc, stdout, err = run([f"--shard={k}/{n}", "-o", out, *extra], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertEqual(stdout, "")
        self.assertIn(f"shard {k}/{n}:", err)
        return out

    def test_merge_reports_exactly_what_an_unsharded_run_reports(self):
        files = [self.shard(k, 3) for k in (1, 2, 3)]
        rc, _, err = run(["--write-baseline", os.path.join(self.tmp, "base.json")], self.p.root)
        self.assertEqual(rc, 0, err)
        for args in (["--format=text"], ["--format=json"], ["--format=sarif"],
                     ["--format=json", "--checks=-*,double-lock"]):
            whole = run(args, self.p.root)
            merged = run(["--merge", self.shards, *args], self.p.root)
            self.assertEqual(merged[0], whole[0], merged[2])
            self.assertEqual(merged[1], whole[1], args)
            self.assertEqual(summary(merged[2]), summary(whole[2]))
        self.assertEqual(run([], self.p.root)[0], 1)
        self.assertIn("1 suppressed by NOLINT", summary(run(["--merge", *files], self.p.root)[2]))
        base = ["--baseline", os.path.join(self.tmp, "base.json")]
        self.assertEqual(run(["--merge", *files, *base], self.p.root)[:2],
                         run(base, self.p.root)[:2])
        self.assertEqual(run(["--merge", *files, *base], self.p.root)[0], 0)

    def test_shard_slices_are_disjoint_and_complete(self):
        seen = []
        for k in (1, 2, 3):
            _, _, err = run([f"--shard={k}/3", "-o", os.path.join(self.shards, f"{k}.tcshard")],
                            self.p.root)
            m = re.search(r"shard \d/3: (\d+) of (\d+) translation units", err)
            seen.append(int(m.group(1)))
            self.assertEqual(int(m.group(2)), 8)
        self.assertEqual(sum(seen), 8)
        self.assertLessEqual(max(seen) - min(seen), 1, "round robin keeps shards even")

    def test_default_shard_file_name(self):
        rc, _, err = run(["--shard=2/2"], self.p.root)
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.isfile(self.p.path("threadcheck-shard-2-of-2.tcshard")))

    def test_missing_shards_are_named(self):
        self.shard(1, 4)
        self.shard(3, 4)
        rc, out, err = run(["--merge", self.shards], self.p.root)
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertOneLineError(err, "incomplete shard set", "missing shards 2/4, 4/4")

    def test_other_version_is_rejected(self):
        path = self.shard(1, 1)
        with open(path, "rb") as f:
            data = f.read()
        version = re.search(rb"\d+\.\d+\.\d+", data[:40]).group(0)
        forged = version.replace(version[:1], b"9", 1)
        with open(path, "wb") as f:
            f.write(data.replace(version, forged, 1))
        rc, out, err = run(["--merge", path, "-o", os.path.join(self.tmp, "report.txt")],
                           self.p.root)
        self.assertEqual(rc, 2)
        self.assertOneLineError(err, "s1.tcshard", "written by threadcheck " + forged.decode(),
                                "this is threadcheck " + version.decode())
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "report.txt")), "no partial output")

    def test_bad_shard_sets(self):
        one = self.shard(1, 2)
        two = self.shard(2, 2)
        dup = os.path.join(self.tmp, "copy.tcshard")
        shutil.copyfile(one, dup)
        rc, _, err = run(["--merge", one, two, dup], self.p.root)
        self.assertEqual(rc, 2)
        self.assertOneLineError(err, "are both shard 1/2")

        other = os.path.join(self.tmp, "other.tcshard")
        run(["--shard=2/3", "-o", other], self.p.root)
        rc, _, err = run(["--merge", one, other], self.p.root)
        self.assertOneLineError(err, "other.tcshard", "does not belong with")

        # Another database: one file more.
        self.p.write("src/extra.cpp", "int extra;\n")
        db = read_json(self.p.path("compile_commands.json"))
        db.append({"directory": self.p.root, "command": "c++ -c src/extra.cpp",
                   "file": "src/extra.cpp"})
        self.p.write("compile_commands.json", json.dumps(db))
        rc, _, err = run(["--shard=2/2", "-o", other], self.p.root)
        rc, _, err = run(["--merge", one, other], self.p.root)
        self.assertEqual(rc, 2)
        self.assertOneLineError(err, "different list of translation units")

        self.p.write("junk.tcshard", "{}")
        rc, _, err = run(["--merge", self.p.path("junk.tcshard")], self.p.root)
        self.assertOneLineError(err, "junk.tcshard", "not a threadcheck fact file")
        with open(one, "r+b") as f:
            f.truncate(os.path.getsize(one) - 10)
        rc, _, err = run(["--merge", one, two], self.p.root)
        self.assertOneLineError(err, "s1.tcshard", "truncated")
        rc, _, err = run(["--merge", self.p.path("src")], self.p.root)
        self.assertOneLineError(err, "no .tcshard files")

    def test_option_conflicts(self):
        for args, fragment in [(["--merge", "--shard=1/2", "x"], "cannot be combined"),
                               (["--merge", "-p", ".", "x"], "drop -p"),
                               (["--merge", "--cache-dir=c", "x"], "--cache-dir does not apply"),
                               (["--shard=1/2", "--baseline=b.json"], "give --baseline"),
                               (["--shard=0/2"], "invalid --shard '0/2'"),
                               (["--shard=3/2"], "invalid --shard '3/2'"),
                               (["--shard=x"], "invalid --shard 'x'"),
                               (["--merge"], "no shard files given")]:
            rc, out, err = run(args, self.p.root)
            self.assertEqual(rc, 2, args)
            self.assertOneLineError(err, fragment)

    def test_failed_unit_travels_through_the_shard(self):
        self.p.write("src/broken.cpp", BROKEN_CPP)
        db = read_json(self.p.path("compile_commands.json"))
        db.append({"directory": self.p.root, "command": "c++ -c src/broken.cpp",
                   "file": "src/broken.cpp"})
        self.p.write("compile_commands.json", json.dumps(db))
        codes = [run([f"--shard={k}/2", "-o", os.path.join(self.shards, f"{k}.tcshard")],
                     self.p.root)[0] for k in (1, 2)]
        self.assertEqual(sorted(codes), [0, 2], "the shard with the broken unit exits 2")
        whole = run(["--format=json"], self.p.root)
        merged = run(["--merge", self.shards, "--format=json"], self.p.root)
        self.assertEqual(merged[0], 2)
        self.assertEqual(merged[:2], whole[:2])

    def test_merge_in_a_checkout_elsewhere(self):
        files = [self.shard(k, 2) for k in (1, 2)]
        # The same sources checked out at another place (its own database, its own paths).
        moved = make_project(os.path.join(self.tmp, "elsewhere"), extra_units=3,
                             with_nolint=True).root
        shutil.copyfile(self.p.path("src/c.cpp"), os.path.join(moved, "src/c.cpp"))
        shutil.copyfile(self.p.path("src/b.cpp"), os.path.join(moved, "src/b.cpp"))
        whole = run(["--format=json"], moved)
        merged = run(["--merge", *files, "--format=json"], moved)
        self.assertEqual(merged[:2], whole[:2])
        self.assertEqual(merged[0], 1)
        self.assertNotIn(self.p.root, merged[1], "paths point into this checkout")


def main():
    global THREADCHECK
    parser = argparse.ArgumentParser()
    parser.add_argument("--threadcheck", required=True)
    args, rest = parser.parse_known_args()
    THREADCHECK = os.path.abspath(args.threadcheck)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Runs one libFuzzer target as a ctest test: first every input of its regression corpus (inputs
that once crashed a reader), then a bounded, seeded fuzzing run from its seed corpus.

With --facts-seeds, the seeds are fact files the built threadcheck writes from the sources in
tests/fuzz/facts_seeds: cache entries and shard files of this very build, so that the decoder gets
valid payloads however the fact layout changes (FactsEnvelope.h covers the envelope).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def make_fact_seeds(kind, threadcheck, sources, out):
    os.makedirs(out)
    sources = os.path.abspath(sources)
    files = sorted(glob.glob(os.path.join(sources, "*.cpp")))
    tmp = out + ".tmp"
    os.makedirs(tmp)
    if kind == "cache":
        args = ["check", "--cache-dir", tmp] + files + ["--", "-std=c++17"]
    else:
        # One shard of every unit, broken.cpp failing to parse: both kinds of unit record.
        args = ["check", "--shard=1/1", "-o", os.path.join(out, "all.tcshard")] + files + [
            "--", "-std=c++17"]
    proc = subprocess.run([os.path.abspath(threadcheck)] + args, cwd=sources, capture_output=True,
                          text=True)
    for entry in glob.glob(os.path.join(tmp, "*.tcfacts")):
        shutil.copy(entry, out)
    shutil.rmtree(tmp)
    if not os.listdir(out):
        sys.exit(f"run_fuzzer: threadcheck wrote no {kind} seeds (exit {proc.returncode}):\n"
                 f"{proc.stdout}{proc.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fuzzer", required=True)
    ap.add_argument("--corpus", help="seed corpus in the source tree")
    ap.add_argument("--regressions", required=True, help="inputs that once crashed")
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--facts-seeds", choices=["cache", "shard"])
    ap.add_argument("--threadcheck")
    ap.add_argument("--facts-sources")
    args = ap.parse_args()

    # A fresh work directory each time: with the same corpus and -seed, the run is the same.
    shutil.rmtree(args.work, ignore_errors=True)
    corpus = os.path.join(args.work, "corpus")  # where libFuzzer adds what it finds
    artifacts = os.path.join(args.work, "artifacts") + "/"
    os.makedirs(corpus)
    os.makedirs(artifacts)
    seed_dirs = [args.corpus] if args.corpus else []
    if args.facts_seeds:
        generated = os.path.join(args.work, "seeds")
        make_fact_seeds(args.facts_seeds, args.threadcheck, args.facts_sources, generated)
        seed_dirs.append(generated)

    common = [f"-artifact_prefix={artifacts}", "-timeout=30", "-rss_limit_mb=2048"]
    regressions = sorted(glob.glob(os.path.join(args.regressions, "*")))
    if regressions:
        proc = subprocess.run([args.fuzzer] + common + regressions)
        if proc.returncode != 0:
            sys.exit(f"run_fuzzer: a regression input of {args.regressions} fails again")
        print(f"run_fuzzer: {len(regressions)} regression inputs pass")

    if regressions:
        seed_dirs.append(args.regressions)
    proc = subprocess.run([args.fuzzer, "-seed=1", f"-runs={args.runs}", "-print_final_stats=1"] +
                          common + [corpus] + seed_dirs)
    if proc.returncode != 0:
        found = sorted(glob.glob(artifacts + "*"))
        sys.exit("run_fuzzer: the fuzzer failed; the input is " + ", ".join(found) +
                 f"\nFix the reader, then add the input to {args.regressions}/ (docs/testing.md)")


if __name__ == "__main__":
    main()

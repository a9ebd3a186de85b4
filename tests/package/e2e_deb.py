#!/usr/bin/env python3
"""The Debian package: CPack builds it from the build tree (into a temporary directory), and it
holds the installed layout under /usr with the dependencies, maintainer and description set."""
import argparse
import os
import shutil
import subprocess
import sys

failures = []


def expect(name, cond, detail=""):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond:
        failures.append(f"{name}\n{detail}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    w = a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    p = subprocess.run(["cpack", "-G", "DEB", "-B", w, "--config",
                        os.path.join(a.build, "CPackConfig.cmake")],
                       capture_output=True, text=True, timeout=600)
    debs = [f for f in os.listdir(w) if f.endswith(".deb")]
    if p.returncode != 0 or len(debs) != 1:
        sys.exit(f"FAIL: cpack -G DEB: exit {p.returncode}\n{p.stdout}{p.stderr}")
    deb = os.path.join(w, debs[0])
    print("ok   cpack -G DEB built", debs[0])
    expect("cpack reads its configuration without warnings",
           "Warning" not in p.stdout + p.stderr, p.stdout + p.stderr)
    info = subprocess.run(["dpkg-deb", "-I", deb], capture_output=True, text=True).stdout
    fields = {}
    for line in info.splitlines():
        if line.startswith(" ") and ":" in line and not line.startswith("  "):
            key, _, value = line.strip().partition(":")
            fields[key] = value.strip()
    expect("package name and architecture",
           fields.get("Package") == "threadcheck" and fields.get("Architecture") == "amd64", info)
    depends = fields.get("Depends", "")
    for dep in ("libclang-cpp19", "libllvm19", "libstdc++6", "libc6", "libclang-common-19-dev",
                "llvm-19"):
        expect(f"depends on {dep}", any(d.strip().split(" ")[0] == dep for d in depends.split(",")),
               info)
    expect("maintainer and description", "@" in fields.get("Maintainer", "")
           and "threadcheck" in info.split("Description:", 1)[-1], info)
    contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
    paths = {line.split()[-1].lstrip(".") for line in contents.splitlines() if line.strip()}
    for f in ("/usr/bin/threadcheck", "/usr/lib/libthreadcheck_rt.so",
              "/usr/lib/libthreadcheck_rt_static.a", "/usr/lib/libthreadcheck_rt_instrumented.a",
              "/usr/lib/libthreadcheck_rt_instrumented.exports",
              "/usr/include/threadcheck/Protocol.h",
              "/usr/lib/cmake/threadcheck/threadcheckConfig.cmake",
              "/usr/lib/cmake/threadcheck/threadcheckTargets.cmake",
              "/usr/lib/cmake/threadcheck/threadcheckTesting.cmake",
              "/usr/share/doc/threadcheck/install.md"):
        expect(f"contains {f}", f in paths, contents)
    expect("nothing outside /usr", all(p.startswith("/usr") or p == "/" for p in paths), contents)
    if failures:
        sys.exit("FAILED:\n" + "\n".join(failures))
    print("all passed")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Stands in for `threadcheck check` in the harness self-test.

It answers with whatever the scenario file named by $FAKE_SCENARIO says ({"findings": [...],
"errors": [...], "exit": N} or {"raw": "...", "exit": N}) and records the command line and the
compile database it was pointed at into $FAKE_RECORD, so the self-test can check both directions of
the harness: what it feeds the tool and how it judges the answer.
"""

import json
import os
import sys


def main() -> int:
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "check" or "-p" not in args or "--format=json" not in args:
        print(f"fake_threadcheck: unexpected command line {args}", file=sys.stderr)
        return 2
    database_dir = args[args.index("-p") + 1]
    with open(os.path.join(database_dir, "compile_commands.json"), encoding="utf-8") as f:
        database = json.load(f)
    with open(os.environ["FAKE_RECORD"], "w", encoding="utf-8") as f:
        json.dump({"argv": args, "database_dir": database_dir, "database": database}, f)
    with open(os.environ["FAKE_SCENARIO"], encoding="utf-8") as f:
        scenario = json.load(f)
    if "raw" in scenario:
        sys.stdout.write(scenario["raw"])
    else:
        json.dump({"version": 1, "findings": scenario.get("findings", []),
                   "errors": scenario.get("errors", [])}, sys.stdout)
    return scenario["exit"]


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The Python configuration files of one generated output, checked by
Python itself: every *.py compiles (sentry.conf.py, Snuba's settings.py),
and Snuba's settings, run against a stand-in of the module they extend,
give every topic RUNBOOK.md creates the same partition count.

Usage: check-python.py OUTPUT-DIR   (prints one line; exit 1 on a problem)
"""
import glob
import os
import re
import sys
import types

import yaml


def config_files(out):
    """(name, text) of every .py file: Swarm configs, or ConfigMap data."""
    for path in sorted(glob.glob(os.path.join(out, "swarm/configs/*.py"))):
        with open(path, encoding="utf-8") as f:
            yield os.path.basename(path), f.read()
    path = os.path.join(out, "kubernetes/config.yaml")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                for key, text in ((doc or {}).get("data") or {}).items():
                    if key.endswith(".py"):
                        yield doc["metadata"]["name"] + "/" + key, text


def runbook_partitions(out):
    with open(os.path.join(out, "RUNBOOK.md"), encoding="utf-8") as f:
        return {m.group(1): int(m.group(2)) for m in re.finditer(
            r"--create --if-not-exists --topic (\S+) --partitions (\d+)", f.read())}


def snuba_settings(name, text):
    """Runs Snuba's settings.py with its base module stubbed out."""
    base = re.search(r"^from (\S+) import \*", text, re.M)
    if base is None:
        raise ValueError(f"{name}: no `from MODULE import *`")
    parts = base.group(1).split(".")
    for i in range(1, len(parts) + 1):
        sys.modules[".".join(parts[:i])] = types.ModuleType(".".join(parts[:i]))
    scope = {}
    exec(compile(text, name, "exec"), scope)
    return scope


def main():
    out = sys.argv[1]
    problems, checked = [], 0
    for name, text in config_files(out):
        checked += 1
        try:
            compile(text, name, "exec")
        except SyntaxError as e:
            problems.append(f"{name}:{e.lineno}: {e.msg}")
            continue
        if "TOPIC_PARTITION_COUNTS" not in text:
            continue
        counts = snuba_settings(name, text)["TOPIC_PARTITION_COUNTS"]
        created = runbook_partitions(out)
        if counts != created:
            diff = sorted(set(counts.items()) ^ set(created.items()))
            problems.append(f"{name}: TOPIC_PARTITION_COUNTS differs from "
                            f"RUNBOOK.md's topics: {diff[:5]}")
        elif not counts:
            problems.append(f"{name}: TOPIC_PARTITION_COUNTS is empty")
    for p in problems:
        print(p)
    print(f"{checked} Python files compiled, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes TAG-sentry-conf.json: the feature flags and the literal options of
getsentry/self-hosted's sentry/sentry.conf.example.py at a tag, in the order
the file sets them. Only facts are kept (names and values), read with
Python's own parser:

  SENTRY_FEATURES["name"] = True/False
  SENTRY_FEATURES.update({feature: True for feature in (...) + (...)})
  SENTRY_OPTIONS["name"] = <a literal>        (computed values are left out)

Usage: ./sentry-conf.py TAG SELF_HOSTED_GIT
"""
import ast
import json
import subprocess
import sys


def subscript_key(node, name):
    """The string key of NAME["key"], or None."""
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
            and node.value.id == name):
        key = node.slice.value if isinstance(node.slice, ast.Index) else node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def tuple_sum(node):
    """The names of ("a", "b") + ("c",) + ..."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return tuple_sum(node.left) + tuple_sum(node.right)
    return list(ast.literal_eval(node))


def features_update(call):
    """{feature: True for feature in TUPLES} given to SENTRY_FEATURES.update."""
    comp = call.args[0]
    if not isinstance(comp, ast.DictComp) or len(comp.generators) != 1:
        raise ValueError(f"line {call.lineno}: an update this script cannot read")
    value = ast.literal_eval(comp.value)
    return [(name, value) for name in tuple_sum(comp.generators[0].iter)]


def main():
    tag, repo = sys.argv[1], sys.argv[2]
    source = subprocess.run(
        ["git", "-C", repo, "show", f"{tag}:sentry/sentry.conf.example.py"],
        check=True, capture_output=True, text=True).stdout
    features, options = [], []
    for stmt in ast.parse(source).body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if (key := subscript_key(target, "SENTRY_FEATURES")) is not None:
                try:
                    features.append((key, ast.literal_eval(stmt.value)))
                except ValueError:
                    pass    # computed, e.g. bool(OPENAI_API_KEY)
            elif (key := subscript_key(target, "SENTRY_OPTIONS")) is not None:
                try:
                    options.append((key, ast.literal_eval(stmt.value)))
                except ValueError:
                    pass
        elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
              and isinstance(stmt.value.func, ast.Attribute)
              and stmt.value.func.attr == "update"
              and isinstance(stmt.value.func.value, ast.Name)
              and stmt.value.func.value.id == "SENTRY_FEATURES"):
            features.extend(features_update(stmt.value))
    with open(f"{tag}-sentry-conf.json", "w", encoding="utf-8") as f:
        json.dump({"features": features, "options": options}, f, indent=1)
        f.write("\n")
    print(f"{tag}: {len(features)} features, {len(options)} options")


if __name__ == "__main__":
    main()

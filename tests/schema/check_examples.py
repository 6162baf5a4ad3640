#!/usr/bin/env python3
"""Validates the documented JSON examples against docs/schema/*.schema.json.

Usage: check_examples.py <source dir>

Checks the JSON Schemas themselves (draft 2020-12), then every ```json block
in docs/*.md and docs/cookbook/*.md, and examples/data/rules.json and
accounts.json when they exist. A document with "rules" is a ruleset, one with
"accounts" an accounts file, anything else a lead. A block preceded by the
line `<!-- leadroute: no-check -->` is skipped (tests/config/docs_blocks.h
reads the same blocks for the C++ loaders).

Needs the Debian package python3-jsonschema. Exits 1 on any failure.
"""

import json
import pathlib
import re
import sys

import jsonschema

FENCE_OPEN = re.compile(r"^\s*```json\s*$")
FENCE_CLOSE = re.compile(r"^\s*```")
NO_CHECK = "<!-- leadroute: no-check -->"


def json_blocks(path, shown):
    """Yields (where, text) for each ```json block of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    inside = False
    skip = False
    start = 0
    body = []
    for number, line in enumerate(lines, start=1):
        if not inside and FENCE_OPEN.match(line):
            inside = True
            skip = number >= 2 and NO_CHECK in lines[number - 2]
            start = number
            body = []
        elif inside and FENCE_CLOSE.match(line):
            inside = False
            if not skip:
                yield f"{shown}:{start}", "\n".join(body)
        elif inside:
            body.append(line)


def documents(root):
    for folder in ("docs", "docs/cookbook"):
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.md")):
            yield from json_blocks(path, path.relative_to(root).as_posix())
    for name in ("examples/data/rules.json", "examples/data/accounts.json"):
        path = root / name
        if path.is_file():
            yield name, path.read_text(encoding="utf-8")


def kind_of(doc):
    if isinstance(doc, dict) and "rules" in doc:
        return "ruleset"
    if isinstance(doc, dict) and "accounts" in doc:
        return "accounts"
    return "lead"


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(argv[1])
    validators = {}
    failures = 0
    for kind in ("ruleset", "accounts", "lead"):
        schema_path = root / "docs" / "schema" / f"{kind}.schema.json"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            print(f"{schema_path}: not a valid draft 2020-12 schema: {e.message}")
            failures += 1
            continue
        validators[kind] = jsonschema.Draft202012Validator(schema)

    counts = {"ruleset": 0, "accounts": 0, "lead": 0}
    for where, text in documents(root):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            print(f"{where}: invalid JSON: {e}")
            failures += 1
            continue
        kind = kind_of(doc)
        counts[kind] += 1
        validator = validators.get(kind)
        if validator is None:
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for error in errors:
            pointer = "".join(f"/{p}" for p in error.path)
            print(f"{where}: {kind} {pointer or '/'}: {error.message}")
        failures += len(errors)

    print(f"checked {counts['ruleset']} rulesets, {counts['accounts']} accounts "
          f"files, {counts['lead']} leads: {failures} problem(s)")
    if counts["ruleset"] == 0:
        print("no ruleset examples found; is the source directory right?")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

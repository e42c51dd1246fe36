#!/usr/bin/env python3
"""Re-check an Idhini audit trail exported as JSON, without Idhini: only Python 3's standard
library.

    python3 verify_audit_export.py EGA-CN-2026-0007-audit.json

Checks that every event's hash is the SHA-256 of the canonical JSON of its other fields, that
each event names the previous event's hash, that the sequence numbers run 1, 2, 3 without a
gap, and that the last event is the head the document recorded. Prints what it finds; exits 0
when the chain is intact, 1 when it is not, 2 when the file cannot be read.

Canonical JSON: keys sorted, separators "," and ":", non-ASCII characters as themselves, UTF-8
(Python: json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)).
"""

from __future__ import annotations

import hashlib
import json
import sys

HASHED = ("prev", "document", "seq", "action", "actor", "from", "to", "version", "payload", "at")


def canonical(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def problems_in(trail: dict) -> list[str]:
    problems = []
    document = trail.get("document", {}).get("id")
    prev, expected = "", 1
    for event in trail.get("events", []):
        seq = event.get("seq")
        if seq != expected:
            problems.append(f"event {expected} is missing (the next one is {seq})")
        if event.get("document") != document:
            problems.append(f"event {seq} belongs to another document ({event.get('document')})")
        if event.get("prev") != prev:
            problems.append(f"event {seq} does not follow the event before it")
        body = {key: event.get(key) for key in HASHED}
        if hashlib.sha256(canonical(body)).hexdigest() != event.get("hash"):
            problems.append(f"event {seq} was changed after it was recorded")
        prev, expected = event.get("hash"), (seq or 0) + 1
    head = trail.get("head", {})
    if head.get("seq") != expected - 1 or head.get("hash") != prev:
        problems.append("the last events are missing: the trail ends before the document's head")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            trail = json.load(handle)
    except (OSError, ValueError) as exc:
        print(f"Cannot read {argv[1]}: {exc}")
        return 2
    problems = problems_in(trail)
    reference = trail.get("document", {}).get("reference") or trail.get("document", {}).get("id")
    count = len(trail.get("events", []))
    for problem in problems:
        print(f"BROKEN: {problem}")
    if problems:
        print(f"{reference}: the audit trail is NOT intact ({len(problems)} problem(s)).")
        return 1
    head = trail["head"]["hash"]
    print(f"{reference}: {count} events, the chain is intact up to its head {head}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

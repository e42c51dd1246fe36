"""Canonical JSON and the content hash that signatures bind to."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(*, type: str, title: str, data: dict[str, Any]) -> str:
    digest = hashlib.sha256(canonical_json({"type": type, "title": title, "data": data}))
    return f"sha256:{digest.hexdigest()}"

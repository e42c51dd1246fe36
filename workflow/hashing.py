"""Canonical JSON and the content hash that signatures bind to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

# What of each annex the content hash covers: its kind, its name and the SHA-256 of its bytes.
MANIFEST_KEYS = ("kind", "name", "sha256")


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def attachment_manifest(attachments: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The annexes as the content hash sees them: ``{kind, name, sha256}`` each, sorted by kind,
    then SHA-256, then name (so the order they were attached in does not matter)."""
    entries = [{key: str(item[key]) for key in MANIFEST_KEYS} for item in attachments]
    return sorted(entries, key=lambda entry: (entry["kind"], entry["sha256"], entry["name"]))


def content_hash(
    *,
    type: str,
    title: str,
    data: dict[str, Any],
    attachments: Iterable[Mapping[str, Any]] = (),
) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``{type, title, data}``, plus
    ``attachments`` (the :func:`attachment_manifest`) when the document has any annex: a
    document without annexes keeps exactly the hash it always had."""
    body: dict[str, Any] = {"type": type, "title": title, "data": data}
    manifest = attachment_manifest(attachments)
    if manifest:
        body["attachments"] = manifest
    digest = hashlib.sha256(canonical_json(body))
    return f"sha256:{digest.hexdigest()}"

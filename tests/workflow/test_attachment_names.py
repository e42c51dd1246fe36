"""The name shown for an annex: what the person called it, without folders, invisible or
forbidden characters, within the length limit, with an extension that fits what the file is;
and the content hash of a document without annexes, unchanged."""

from __future__ import annotations

import hashlib
import json

import pytest

from workflow.attachments.names import NAME_MAX, content_disposition, display_name
from workflow.attachments.types import DOCX, JPEG, PDF
from workflow.hashing import attachment_manifest, content_hash


@pytest.mark.parametrize(
    ("raw", "file_type", "shown"),
    [
        ("barua.pdf", PDF, "barua.pdf"),
        ("../../../etc/passwd.pdf", PDF, "passwd.pdf"),
        ("..\\..\\Windows\\System32\\barua.PDF", PDF, "barua.PDF"),
        ("C:\\Users\\afisa\\Desktop\\bei.docx", DOCX, "bei.docx"),
        ("barua.docx", PDF, "barua.docx.pdf"),  # a PDF sent with a Word name
        ("picha", JPEG, "picha.jpg"),
        ("picha.jpeg", JPEG, "picha.jpeg"),
        ("ripoti\u202efdp.exe", PDF, "ripotifdp.exe.pdf"),  # a right-to-left override
        ("a\x00b\r\nc\t.pdf", PDF, "ab c.pdf"),
        ('mi<>:"|?*fumo.pdf', PDF, "mi_______fumo.pdf"),
        ("", PDF, "kiambatisho.pdf"),
        ("...", PDF, "kiambatisho.pdf"),
        (".pdf", PDF, "pdf.pdf"),
        ("  Barua   ya   Wizara .pdf ", PDF, "Barua ya Wizara.pdf"),
    ],
)
def test_the_display_name_is_what_the_person_called_it_made_harmless(raw, file_type, shown):
    assert display_name(raw, file_type) == shown


def test_a_long_name_is_cut_keeping_its_extension():
    name = display_name("ndefu " * 100 + ".pdf", PDF)
    assert len(name) <= NAME_MAX and name.endswith(".pdf")


def test_the_download_name_has_an_ascii_fallback_and_the_exact_name():
    assert content_disposition("Mchoro wa mfumo.png") == (
        "attachment; filename=\"Mchoro-wa-mfumo.png\"; filename*=UTF-8''Mchoro%20wa%20mfumo.png"
    )
    # Nothing of the name can close the quotes or add a parameter.
    assert content_disposition('ß"; x=1.pdf') == (
        "attachment; filename=\"x-1.pdf\"; filename*=UTF-8''%C3%9F%22%3B%20x%3D1.pdf"
    )


def test_a_document_without_annexes_keeps_the_hash_it_always_had():
    data = {"project_owner": "HMIS", "total_budget": 1500000}
    body = json.dumps(
        {"type": "concept_note", "title": "Dhana", "data": data},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    expected = f"sha256:{hashlib.sha256(body).hexdigest()}"
    assert content_hash(type="concept_note", title="Dhana", data=data) == expected
    assert content_hash(type="concept_note", title="Dhana", data=data, attachments=[]) == expected


def test_the_hash_covers_each_annex_whatever_the_order_they_were_added_in():
    first = {"kind": "cover_letter", "name": "barua.pdf", "sha256": "a" * 64, "size": 10}
    second = {"kind": "design", "name": "mchoro.png", "sha256": "b" * 64}
    both = content_hash(type="t", title="x", data={}, attachments=[first, second])
    assert both == content_hash(type="t", title="x", data={}, attachments=[second, first])
    assert both != content_hash(type="t", title="x", data={}, attachments=[first])
    renamed = {**second, "name": "mchoro-2.png"}
    assert both != content_hash(type="t", title="x", data={}, attachments=[first, renamed])
    assert attachment_manifest([second, first]) == [
        {"kind": "cover_letter", "name": "barua.pdf", "sha256": "a" * 64},
        {"kind": "design", "name": "mchoro.png", "sha256": "b" * 64},
    ]

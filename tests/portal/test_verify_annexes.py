"""The public verify page lists the annexes issued with the document (kind in both languages,
name, size, SHA-256), so whoever holds one can check it; a document without any says so."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.approvals.pdf_support import approve
from workflow.models import Attachment, Document

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")


def page_of(document_id: str) -> str:
    code = Document.objects.get(pk=document_id).verification_code
    response = Client().get(f"/verify/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_verify_page_lists_the_annexes_with_their_sha256(
    world, django_capture_on_commit_callbacks
):
    document_id = approve(
        world, "concept_note", title="Dhana", capture=django_capture_on_commit_callbacks
    )
    row = Attachment.objects.get(document_id=document_id)
    annexes = page_of(document_id).split('id="annexes"')[1].split("</table>")[0]
    assert "Barua ya utangulizi" in annexes and "Cover letter" in annexes
    assert row.name in annexes and row.sha256 in annexes


def test_a_document_without_annexes_says_so(world, django_capture_on_commit_callbacks):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    page = page_of(document_id)
    assert "Hati hii haina viambatisho." in page.split('id="annexes"')[1].split("</p>")[0]

"""Documents filled against form version 1 (stored before issue 15's content) work as filed.

A document keeps the form version it was filled against (``Document.form_version``; migration
0007 gave every stored document 1). For each type, a document of version 1's shape (none of
form 2's answers, the retired institution and project answers still in it) is sent for
signature, signed by version 1's chain, exported to Word and imported unchanged (its retired
answers kept), printed without form 2's sections it never had, and sealed on approval. The same
answers filed against today's form are refused, naming a field form 2 added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import SealedPdf
from approvals.printing import document_print_context
from approvals.sealing import check_seal
from forms_templates.definitions import Table
from forms_templates.docx import DOCX_CONTENT_TYPE
from forms_templates.printing import build_html
from forms_templates.registry import ORDER, get_type
from tests.approvals.pdf_support import flat, pdf_text
from tests.forms_templates import docx_files as files
from tests.helpers import (
    PASSWORD,
    act,
    attach_required,
    complete_data,
    fill_checklist,
    new_document,
    ok,
    sample_value,
)
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")

# Form version 1's signatory chains, as they were (main before issue 15's content).
V1_CHAINS = {
    "concept_note": ["author", "head_of_ict", "accounting_officer"],
    "implementation_report": ["author", "head_of_ict"],
    "completion_report": ["author", "head_of_ict", "accounting_officer"],
    "terms_of_reference": ["author", "head_of_ict", "accounting_officer"],
    "email_account_request": ["author", "accounting_officer"],
}


def old_shape(type_key: str) -> dict[str, Any]:
    """A complete form-1 document: today's sample without what form 2 added, plus the answers
    form 2 retired (the institution and project, now read from the project)."""
    definition = get_type(type_key)
    data = complete_data(type_key)
    for key in definition.newer_than(1):
        data.pop(key, None)
    for item in definition.items():
        if isinstance(item, Table) and item.key in data:
            old_columns = {c.key for c in item.columns if c.since <= 1}
            data[item.key] = [
                {k: v for k, v in row.items() if k in old_columns} for row in data[item.key]
            ]
    for retired in definition.retired:
        data[retired.key] = sample_value(retired)
    return data


def old_document(world, type_key: str, *, form_version: int = 1) -> Document:
    """A draft stored before form 2 (``form_version`` 1) holding a form-1 document's answers."""
    document = new_document(world, type_key, fill=False)
    Document.objects.filter(pk=document.pk).update(form_version=form_version)
    response = world.client(world.officer).patch(
        f"/api/v1/documents/{document.pk}/", {"data": old_shape(type_key)}, format="json"
    )
    ok(response)
    return attach_required(Document.objects.get(pk=document.pk), world.officer)


def word_texts(content: bytes) -> list[str]:
    document = files.open_docx(content)
    return [t.text or "" for t in document.element.body.iter(f"{files.W}t")]


def sign_submit_approve(world, document_id, capture) -> Document:
    while (current := Document.objects.get(pk=document_id)).status == "awaiting_signatures":
        signer = get_user_model().objects.get(pk=current.next_signer_id)
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.officer, document_id, "submit"))
    ok(act(world, world.reviewer, document_id, "claim"))
    fill_checklist(document_id, by=world.reviewer)
    with capture(execute=True):
        ok(act(world, world.reviewer, document_id, "approve", {"comment": "Sawa"}))
    return Document.objects.get(pk=document_id)


@pytest.mark.parametrize("type_key", list(ORDER))
def test_the_same_old_answers_filed_against_todays_form_are_incomplete(world, type_key):
    document = old_document(world, type_key, form_version=get_type(type_key).form_version)

    response = act(world, world.officer, document.pk, "request-signatures")

    assert response.status_code == 400, response.content
    newer = get_type(type_key).newer_than(1)
    assert newer & set(response.json()["data"]), response.json()
    assert Document.objects.get(pk=document.pk).status == "draft"


@pytest.mark.parametrize("type_key", list(ORDER))
def test_an_old_document_validates_signs_exports_prints_and_seals_as_filed(
    world, type_key, django_capture_on_commit_callbacks
):
    definition = get_type(type_key)
    assert definition.form_version == 2  # every type changed in issue 15
    document = old_document(world, type_key)
    filed = document.data
    client = world.client(world.officer)

    # Word: the export imported unchanged changes nothing, retired answers included.
    exported = client.get(f"/api/v1/documents/{document.pk}/docx/")
    assert exported.status_code == 200
    events = AuditEvent.objects.filter(document_id=document.pk).count()
    imported = client.post(
        f"/api/v1/documents/{document.pk}/import-docx/",
        {"file": SimpleUploadedFile("fomu.docx", exported.content, DOCX_CONTENT_TYPE)},
        format="multipart",
    )
    assert imported.status_code == 200, imported.content
    document.refresh_from_db()
    assert document.data == filed
    assert {f.key for f in definition.retired} <= set(document.data)
    assert AuditEvent.objects.filter(document_id=document.pk).count() == events

    # Complete as filed: sent for signature, to form 1's chain.
    body = ok(act(world, world.officer, document.pk, "request-signatures"))
    assert [s["role"] for s in body["signatures"]] == V1_CHAINS[type_key]
    first = definition.signatories_in_order(1)[0][1]
    assert body["signatures"][0]["role_name"] == first.role_name.as_dict()

    document = sign_submit_approve(world, document.pk, django_capture_on_commit_callbacks)
    assert document.status == "approved" and document.data == filed

    # Sealed, and the seal holds.
    sealed = SealedPdf.objects.get(document_id=document.pk, lang="sw")
    pdf = sealed.file.read()
    seal = check_seal(pdf, trusted_fingerprints=frozenset({sealed.certificate_fingerprint}))
    assert seal.problem is None, seal
    text = flat(" ".join(pdf_text(pdf)))
    assert document.institution.name_sw in text
    if document.project_id:
        assert document.project.name in text

    # Printed as filed: form 1's chain, none of the sections form 2 added.
    context = document_print_context(document, lang="sw")
    assert [s.role for s in context.signatories] == V1_CHAINS[type_key]
    html = build_html(context)
    newer = definition.newer_than(1)
    for section in definition.sections:
        only_new = all(item.key in newer for item in section.items)
        assert (f'id="section-{section.key}"' in html) is not only_new, section.key

    # The Word export of the approved document signs with form 1's chain too.
    texts = word_texts(client.get(f"/api/v1/documents/{document.pk}/docx/").content)
    for _, signatory in definition.signatories_in_order(1):
        assert f" — {signatory.role_name.sw} / {signatory.role_name.en}" in texts
    for signatory in definition.signatories:
        if signatory.role not in V1_CHAINS[type_key]:
            assert f" — {signatory.role_name.sw} / {signatory.role_name.en}" not in texts

"""The form's saves racing each other on PostgreSQL, with real threads and row locks: of the saves
made from the same page, one is stored and the others are refused as stale; an undo taken twice
at once puts the answers back once; a typed NUL (which PostgreSQL cannot store) is no 500."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from forms_templates.docx import DOCX_CONTENT_TYPE, build_template
from forms_templates.registry import get_type
from portal.models import DraftAnswers, WordUpload
from tests.forms_templates import docx_files as files
from tests.portal.web_helpers import api_document, browser, stored
from workflow.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL"),
]


def _race(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))
    results: list[int] = []
    lock = threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=30)
            status = call()
            with lock:
                results.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def test_eight_saves_from_the_same_page_store_one_and_refuse_seven(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    url = f"/documents/{document_id}/edit/problem/"
    page = browser(world.officer).get(url).content.decode()
    revision = re.search(r'name="revision" value="([^"]*)"', page)[1]
    clients = [browser(world.officer) for _ in range(8)]

    def save(client, number):
        body = {"revision": revision, "problem_statement": f"Toleo {number}", "then": "next"}
        return lambda: client.post(url, body).status_code

    results = _race([save(client, number) for number, client in enumerate(clients)])
    assert results == [302] + [409] * 7
    edits = AuditEvent.objects.filter(document_id=document_id, action="edit")
    assert edits.count() == 1
    assert re.fullmatch(r"Toleo \d", stored(document_id).data["problem_statement"])
    assert DraftAnswers.objects.get(document_id=document_id).revision == 1


def test_an_undo_taken_twice_at_once_puts_the_answers_back_once(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    content = files.open_docx(build_template(get_type("email_account_request")))
    files.type_answer(content, "full_name", "Zuhura Ali")
    client = browser(world.officer)
    client.post(
        f"/documents/{document_id}/word/",
        {"file": SimpleUploadedFile("f.docx", files.save_docx(content), DOCX_CONTENT_TYPE)},
    )
    upload = WordUpload.objects.get(document_id=document_id)
    url = f"/documents/{document_id}/word/{upload.pk}/undo/"
    clients = [browser(world.officer) for _ in range(4)]
    _race([lambda c=c: c.post(url).status_code for c in clients])
    assert stored(document_id).data == {}
    undos = AuditEvent.objects.filter(
        document_id=document_id, action="edit", payload__source="web-undo"
    )
    assert undos.count() == 1


def test_a_typed_nul_is_saved_without_it_and_never_a_500(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    response = client.post(
        f"/documents/{document_id}/edit/problem/",
        {"problem_statement": "Tatizo\x00 la maabara", "then": "next"},
    )
    assert response.status_code == 302
    assert stored(document_id).data == {"problem_statement": "Tatizo la maabara"}
    # The same through the whole form on one page.
    response = client.post(
        f"/documents/{document_id}/edit/", {"title": "Dhana\x00", "scope": "Wigo\x00"}
    )
    assert response.status_code == 302
    assert stored(document_id).data["scope"] == "Wigo"

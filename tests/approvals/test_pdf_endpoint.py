"""GET /api/v1/documents/{id}/pdf/: an approval seals the PDF once, after commit, and every later
download serves that stored file; documents not approved get a watermarked, unsealed preview;
with a broker the work is done by a worker and the endpoint answers 202 until it is."""

from __future__ import annotations

import hashlib
import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.db import connection
from django.test import Client
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals import tasks
from approvals.models import SealedPdf
from tests.approvals.pdf_support import (
    approve,
    flat,
    pdf_text,
)
from tests.helpers import complete_data, ok
from workflow.audit import verify_chain
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")


def pdf_url(document_id: str, query: str = "") -> str:
    return f"/api/v1/documents/{document_id}/pdf/{query}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_approval_seals_the_pdf_once_after_commit_and_downloads_serve_that_file(
    world, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)

    sealed = SealedPdf.objects.get(document_id=document_id)
    stored = sealed.file.read()
    assert sealed.lang == "sw"
    assert sealed.sha256 == hashlib.sha256(stored).hexdigest()
    assert sealed.size == len(stored)
    assert sealed.content_hash == Document.objects.get(pk=document_id).content_hash

    first = world.client(world.officer).get(pdf_url(document_id))
    second = world.client(world.reviewer).get(pdf_url(document_id))
    assert first.status_code == 200 and second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["ETag"] == f'"{sealed.sha256}"'
    assert "attachment" in first["Content-Disposition"]
    assert "EGA-EM-" in first["Content-Disposition"]
    assert body(first) == stored == body(second)
    assert SealedPdf.objects.filter(document_id=document_id).count() == 1
    assert len(PdfFileReader(io.BytesIO(stored)).embedded_signatures) == 1


def test_the_issued_files_hash_joins_the_documents_audit_trail(
    world, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    sealed = SealedPdf.objects.get(document_id=document_id)
    history = world.client(world.officer).get(f"/api/v1/documents/{document_id}/history/")
    events = ok(history)
    events = events["results"] if isinstance(events, dict) else events
    assert [event["action"] for event in events][-2:] == ["approve", "seal"]
    seal = events[-1]
    assert seal["actor"] == ""
    assert seal["payload"]["sha256"] == sealed.sha256
    assert seal["payload"]["certificate_fingerprint"] == sealed.certificate_fingerprint
    assert (seal["from_status"], seal["to_status"]) == ("approved", "approved")
    document = Document.objects.get(pk=document_id)
    assert (
        verify_chain(document, AuditEvent.objects.filter(document=document).order_by("seq")) == []
    )

    browser = Client()
    browser.force_login(world.officer)
    page = browser.get(f"/documents/{document_id}/")
    assert sealed.sha256 in page.content.decode()  # the document's history shows it too

    tasks.seal_document(str(document_id))  # sealing again issues nothing new
    assert AuditEvent.objects.filter(document_id=document_id, action="seal").count() == 1


def test_a_second_seal_run_changes_nothing(world, django_capture_on_commit_callbacks):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    before = SealedPdf.objects.get(document_id=document_id)

    result = tasks.seal_document.delay(document_id).get()

    after = SealedPdf.objects.get(document_id=document_id)
    assert result == before.sha256
    assert (after.pk, after.sha256, after.file.name) == (before.pk, before.sha256, before.file.name)


def test_an_unchanged_download_answers_304(world, django_capture_on_commit_callbacks):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    etag = world.client(world.officer).get(pdf_url(document_id))["ETag"]

    response = world.client(world.officer).get(pdf_url(document_id), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_english_is_sealed_on_first_request_and_kept(world):
    # No on-commit capture: the approval's seal did not run, as when the broker was down.
    document_id = approve(world)
    assert not SealedPdf.objects.filter(document_id=document_id).exists()

    english = world.client(world.officer).get(pdf_url(document_id, "?lang=en"))

    assert english.status_code == 200
    pdf = body(english)
    text = flat(" ".join(pdf_text(pdf)))
    assert "Government e-mail account request" in text
    assert "Page 1 of" in text
    assert list(
        SealedPdf.objects.filter(document_id=document_id).values_list("lang", flat=True)
    ) == ["en"]
    again = world.client(world.officer).get(pdf_url(document_id, "?lang=en"))
    assert body(again) == pdf


def test_an_unknown_language_is_refused(world):
    document_id = approve(world)

    response = world.client(world.officer).get(pdf_url(document_id, "?lang=fr"))

    assert response.status_code == 400
    assert "lang" in response.json()
    assert not SealedPdf.objects.exists()


def test_a_draft_prints_with_the_watermark_and_no_seal(world):
    officer = world.officer
    document_id = ok(
        world.client(officer).post(
            "/api/v1/documents/",
            {"type": "email_account_request", "title": "Ombi", "project": None},
            format="json",
        ),
        201,
    )["id"]
    data = complete_data("email_account_request")
    ok(
        world.client(officer).patch(
            f"/api/v1/documents/{document_id}/", {"data": data}, format="json"
        )
    )

    response = world.client(officer).get(pdf_url(document_id))

    assert response.status_code == 200
    pdf = body(response)
    pages = pdf_text(pdf)
    assert all("RASIMU / DRAFT" in page for page in pages)
    assert "rasimu-" in response["Content-Disposition"]
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    assert not SealedPdf.objects.exists()
    # Kept by content: asking again serves the same bytes; an edit makes a new one.
    assert body(world.client(officer).get(pdf_url(document_id))) == pdf
    ok(
        world.client(officer).patch(
            f"/api/v1/documents/{document_id}/",
            {"data": {"full_name": "Juma Bakari"}},
            format="json",
        )
    )
    changed = body(world.client(officer).get(pdf_url(document_id)))
    assert "Juma Bakari" in flat(" ".join(pdf_text(changed)))


def test_another_institution_gets_404(world, django_capture_on_commit_callbacks):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)

    response = world.client(world.officer_moe).get(pdf_url(document_id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_reviewers_never_see_drafts(world):
    document_id = ok(
        world.client(world.officer).post(
            "/api/v1/documents/",
            {"type": "email_account_request", "title": "Ombi", "project": None},
            format="json",
        ),
        201,
    )["id"]

    assert world.client(world.reviewer).get(pdf_url(document_id)).status_code == 404
    assert world.client().get(pdf_url(document_id)).status_code == 401


def test_with_a_broker_the_endpoint_answers_202_until_a_worker_sealed_it(world, use_broker):
    document_id = approve(world)
    use_broker("memory://")  # a broker, and no worker

    pending = world.client(world.officer).get(pdf_url(document_id))

    assert pending.status_code == 202
    assert pending.json()["code"] == "pending"
    assert int(pending["Retry-After"]) > 0
    assert not SealedPdf.objects.exists()
    # The worker runs (here: the task, in-process); the next request serves the file.
    tasks.seal_document.apply(args=[document_id]).get()
    ready = world.client(world.officer).get(pdf_url(document_id))
    assert ready.status_code == 200
    assert body(ready) == SealedPdf.objects.get(document_id=document_id).file.read()


@pytest.fixture
def published():
    """The names and arguments of the tasks this process hands to the broker."""
    sent: list[tuple[str, tuple]] = []

    def record(sender=None, body=None, **kwargs):
        sent.append((sender, tuple(body[0])))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


def test_polls_right_after_an_approval_wait_for_its_seal_instead_of_sealing_again(
    world, use_broker, published
):
    document_id = approve(world)  # (its own seal task was enqueued at the commit)
    use_broker("memory://")
    officer = world.client(world.officer)

    assert officer.get(pdf_url(document_id)).status_code == 202
    assert officer.get(pdf_url(document_id)).status_code == 202
    assert published == []  # the approval's task is on its way
    assert officer.get(pdf_url(document_id, "?lang=en")).status_code == 202
    assert published == [("approvals.tasks.seal_document", (document_id, "en"))]

    # A minute on and still no file (that task was lost): the next poll asks again, once.
    Document.objects.filter(pk=document_id).update(
        approved_at=timezone.now() - timedelta(minutes=2)
    )
    officer.get(pdf_url(document_id))
    officer.get(pdf_url(document_id))
    assert published[1:] == [("approvals.tasks.seal_document", (document_id, "sw"))]


def test_with_a_broker_a_draft_preview_is_rendered_off_the_request_path(world, use_broker):
    document_id = ok(
        world.client(world.officer).post(
            "/api/v1/documents/",
            {"type": "email_account_request", "title": "Ombi", "project": None},
            format="json",
        ),
        201,
    )["id"]
    use_broker("memory://")

    pending = world.client(world.officer).get(pdf_url(document_id))

    assert pending.status_code == 202
    tasks.render_preview.apply(args=[document_id, "sw"]).get()
    ready = world.client(world.officer).get(pdf_url(document_id))
    assert ready.status_code == 200
    assert "RASIMU / DRAFT" in pdf_text(body(ready))[0]


def test_the_sweep_seals_approved_documents_that_missed_their_seal(world):
    document_id = approve(world)  # after-commit callbacks not run: no seal yet

    assert tasks.seal_pending.delay().get() == 1

    assert SealedPdf.objects.filter(document_id=document_id, lang="sw").exists()
    assert tasks.seal_pending.delay().get() == 0


def test_a_broker_that_is_down_does_not_undo_the_approval(
    world, use_broker, django_capture_on_commit_callbacks
):
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there

    document_id = approve(world, capture=django_capture_on_commit_callbacks)

    assert Document.objects.get(pk=document_id).status == "approved"
    assert not SealedPdf.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row races need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sealing_at_once_store_one_file(world):
    from approvals import services

    document_id = approve(world)  # real commits: the seal already ran; start again without it
    for sealed in SealedPdf.objects.filter(document_id=document_id):
        sealed.file.delete(save=False)
        sealed.delete()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def seal() -> None:
        try:
            barrier.wait()
            results.append(services.sealed_pdf_create(document_id=document_id).sha256)
        finally:
            connection.close()

    threads = [threading.Thread(target=seal) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    (row,) = SealedPdf.objects.filter(document_id=document_id)
    assert results == [row.sha256, row.sha256]
    folder = Path(row.file.path).parent
    assert sorted(path.name for path in folder.iterdir()) == [Path(row.file.name).name]

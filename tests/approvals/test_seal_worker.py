"""With a real Celery worker (prefork, late acknowledgement, beat) and a real Redis, not eager
mode: an approval gets its sealed PDF from the worker, the endpoint answers 202 until then, and
the file validates and verifies; the approval publishes one message, which the worker turns into
its e-mails and its seal; a worker killed while sealing leaves the document to the beat sweep
(``approvals.tasks.seal_pending``), which seals it after a restart, once.

Runs where another process can share the test database (PostgreSQL, as in CI) and redis-server
is installed, and skips otherwise (the in-memory SQLite test database); the stack
(tests/notifications/live_stack.py) starts its own redis-server on a free port and stops it.
Worker and test process share the development seal under the stack's IDHINI_VAR_DIR and its
MEDIA_ROOT, as web and worker share them in production.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from approvals import sealing
from approvals.models import SealedPdf
from notifications.models import Outbox, OutboxStatus
from tests.approvals.test_pdf_seal import published_certificate, pyhanko_status
from tests.helpers import act, drive, fill_checklist, new_document, ok
from tests.notifications.live_stack import LiveStack, serve, wait_until
from workflow.audit import verify_chain
from workflow.models import AuditEvent, Document

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# The sweep's shortest interval (settings.SEAL_SWEEP_SECONDS has a floor of 10 s).
SEAL_SWEEP_SECONDS = 10
SEAL_TIMEOUT = 30
_TASK_LINE = re.compile(
    r"Task approvals\.tasks\.(\w+)\[([0-9a-f-]+)\] (received|succeeded|retry|raised)"
)
_SWEEP_FOUND_ONE = re.compile(
    r"Task approvals\.tasks\.seal_pending\[[0-9a-f-]+\] succeeded in .*: 1$", re.M
)


class SealStack(LiveStack):
    """The notifications' live stack, its worker told where the seal and the files live and to
    sweep for unsealed documents every ``SEAL_SWEEP_SECONDS``."""

    @property
    def media_root(self) -> Path:
        return self.workdir / "media"

    def worker_env(self) -> dict[str, str]:
        env = super().worker_env()
        env.update(
            IDHINI_SEAL_SWEEP_SECONDS=str(SEAL_SWEEP_SECONDS),
            MEDIA_ROOT=str(self.media_root),
            # The development pair under IDHINI_VAR_DIR/seal, whatever this shell has set.
            SEAL_KEY_PATH="",
            SEAL_CERT_PATH="",
            SEAL_TSA_URL="",
        )
        return env


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from serve(SealStack(tmp_path_factory.mktemp("seal-stack")), django_db_blocker)


@pytest.fixture
def live(stack, use_broker, clean_cache, settings):
    """This process publishes to the stack's Redis and shares the worker's seal and storage
    (as web and worker share VAR_DIR and MEDIA_ROOT in production)."""
    use_broker(stack.broker_url)
    settings.VAR_DIR = stack.workdir
    settings.MEDIA_ROOT = stack.media_root
    settings.SEAL_KEY_PATH = settings.SEAL_CERT_PATH = settings.SEAL_TSA_URL = ""
    yield stack
    if stack.worker is None:
        stack.start_worker()


@pytest.fixture
def published():
    """The names of the tasks this process (the web's side) hands to the broker."""
    sent: list[str] = []

    def record(sender=None, **kwargs):
        sent.append(sender)

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


def pdf_url(document_id) -> str:
    return f"/api/v1/documents/{document_id}/pdf/"


def pdf_status(world, document_id) -> int:
    """The PDF endpoint's status for the author (the response, perhaps a file, closed)."""
    response = world.client(world.officer).get(pdf_url(document_id))
    response.close()
    return response.status_code


def reviewed_document(world) -> Document:
    """A document under review, ready for the reviewer's approval (its checklist marked)."""
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    fill_checklist(document.pk, by=world.reviewer)
    return document


def seal_tasks(log: str) -> tuple[set[str], set[str]]:
    """Ids of the seal_document tasks this worker received, and of those it finished."""
    received, finished = set(), set()
    for name, task_id, event in _TASK_LINE.findall(log):
        if name == "seal_document":
            (received if event == "received" else finished).add(task_id)
    return received, finished


def wait_for_idle_sealing(stack) -> None:
    """Until every seal the running worker took is done: a duplicate would be stored by then."""

    def idle() -> bool:
        received, finished = seal_tasks(stack.log())
        return received <= finished

    wait_until(idle, SEAL_TIMEOUT, "the worker to finish every seal it took")


def assert_issued_once_and_valid(world, document: Document, stack) -> None:
    """One SealedPdf, one file on disk and one "seal" event in the trail; served as 200
    application/pdf, its seal validates and the verification API and page vouch for it."""
    (row,) = SealedPdf.objects.filter(document=document)
    (event,) = AuditEvent.objects.filter(document=document, action="seal")
    assert event.payload["sha256"] == row.sha256
    assert (
        verify_chain(document, AuditEvent.objects.filter(document=document).order_by("seq")) == []
    )
    folder = stack.media_root / "sealed" / str(document.pk)
    assert sorted(path.name for path in folder.iterdir()) == [Path(row.file.name).name]

    response = world.client(world.officer).get(pdf_url(document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == row.sha256

    certificate = published_certificate()  # the test process's seal: the worker's pair
    assert sealing.certificate_fingerprint(certificate) == row.certificate_fingerprint
    status = pyhanko_status(pdf, certificate)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    check = sealing.check_seal(pdf, trusted_fingerprints=frozenset({row.certificate_fingerprint}))
    assert check.problem is None and check.signature_count == 1

    code = document.verification_code
    by_code = APIClient().get(f"/api/v1/verify/{code}/")
    assert by_code.status_code == 200
    assert by_code.json()["valid"] is True
    assert [f["sha256"] for f in by_code.json()["files"]] == [row.sha256]
    by_file = APIClient().post(
        "/api/v1/verify/",
        {"file": SimpleUploadedFile("hati.pdf", pdf, content_type="application/pdf")},
        format="multipart",
    )
    assert by_file.status_code == 200
    assert (by_file.json()["valid"], by_file.json()["problem"]) == (True, None)
    # The page shows the record; only an uploaded file gets the verdict "genuine" (issue 10).
    page = Client().post(f"/verify/{code}/", {"file": SimpleUploadedFile("hati.pdf", pdf)})
    assert page.status_code == 200
    assert "Faili ni halali" in page.content.decode()


def test_an_approval_is_sealed_by_the_worker_and_served_once_ready(world, live):
    document = reviewed_document(world)

    ok(act(world, world.reviewer, document.pk, "approve", {"comment": "Safi"}))
    first = world.client(world.officer).get(pdf_url(document.pk))

    assert first.status_code in (200, 202)
    if first.status_code == 202:
        assert first.json()["code"] == "pending"
        assert int(first["Retry-After"]) > 0
        wait_until(
            lambda: pdf_status(world, document.pk) == 200,
            SEAL_TIMEOUT,
            "the worker to seal the PDF",
            interval=0.2,
        )
    wait_for_idle_sealing(live)
    document.refresh_from_db()
    assert_issued_once_and_valid(world, document, live)


def test_an_approval_is_one_message_that_the_worker_makes_its_emails_and_its_seal(
    world, live, published
):
    document = reviewed_document(world)
    live.sink.clear()
    published.clear()

    ok(act(world, world.reviewer, document.pk, "approve", {"comment": "Safi"}))

    assert published == ["config.publish.start_tasks"]
    rows = Outbox.objects.filter(kind="approved", notification__document=document)
    assert rows.exists()
    wait_until(
        lambda: (
            SealedPdf.objects.filter(document=document).exists()
            and set(rows.values_list("status", flat=True)) == {OutboxStatus.SENT}
        ),
        SEAL_TIMEOUT,
        "the worker to seal the PDF and send the e-mails",
        interval=0.2,
    )
    mails = [m.message_id for m in live.sink.messages() if m.kind == "approved"]
    assert sorted(mails) == sorted(rows.values_list("message_id", flat=True))
    wait_for_idle_sealing(live)
    document.refresh_from_db()
    assert_issued_once_and_valid(world, document, live)


def test_a_worker_killed_while_sealing_leaves_it_to_the_sweep_after_restart_once(world, live):
    """The killed task's message stays unacknowledged in Redis (redelivered only after the
    broker's hour-long visibility timeout): the beat sweep is what finds the document again.
    The endpoint is not asked meanwhile, since a 202 enqueues a seal itself."""
    document = reviewed_document(world)
    seen = len(live.log())

    ok(act(world, world.reviewer, document.pk, "approve", {"comment": "Safi"}))
    wait_until(
        lambda: seal_tasks(live.log()[seen:])[0],
        SEAL_TIMEOUT,
        "the worker to take the seal",
        interval=0.01,
    )
    live.kill_worker()
    killed_log = live.log()[seen:]
    killed, _ = seal_tasks(killed_log)

    assert not SealedPdf.objects.filter(document=document).exists(), (
        "the seal finished before the kill: nothing was tested"
    )
    live.start_worker()
    wait_until(
        lambda: SealedPdf.objects.filter(document=document).exists(),
        SEAL_SWEEP_SECONDS + SEAL_TIMEOUT,
        "the sweep to have the document sealed",
        interval=0.2,
    )
    # The seal that ran is not the killed one coming back but a new one, which only the sweep
    # (in the new worker, or in the old one just before it died) can have asked for.
    log = live.log()
    received, _ = seal_tasks(log)
    assert received and not received & killed, log
    assert _SWEEP_FOUND_ONE.search(killed_log) or _SWEEP_FOUND_ONE.search(log), log
    wait_for_idle_sealing(live)
    document.refresh_from_db()
    assert_issued_once_and_valid(world, document, live)

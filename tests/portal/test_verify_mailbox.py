"""The public verification of an approved mailbox request says what became of the mailbox
(issue 15): waiting, created (and when) or refused — and nothing more: not the address created,
not the refusal's reason, not who handled it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from approvals.models import MailboxProvisioning, SealedPdf
from tests.approvals.pdf_support import approve
from tests.helpers import make_user, ok
from workflow.models import Role

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")

ADDRESS = "asha.juma@afya.go.tz"
REASON = "Mtumishi Asha Juma ana akaunti tayari."


@pytest.fixture
def request_approved(world, django_capture_on_commit_callbacks):
    world.mail_admin = make_user("mail_admin", world.ega, Role.MAIL_ADMIN)
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    return SealedPdf.objects.get(document_id=document_id, lang="sw").document


def _mailbox_action(world, document, action: str, body: dict | None = None):
    url = f"/api/v1/documents/{document.pk}/mailbox/{action}/"
    return ok(world.client(world.mail_admin).post(url, body or {}, format="json"))


def _row(html: str) -> str:
    """The mailbox row of the record, as read (tags dropped)."""
    row = html.split('<tr id="mailbox">')[1].split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def _verify(document):
    page = Client().get(f"/verify/{document.verification_code}/")
    api = Client().get(f"/api/v1/verify/{document.verification_code}/").json()
    return page.content.decode(), api


def test_a_waiting_mailbox_says_so_since_the_approval(world, request_approved):
    row = MailboxProvisioning.objects.get(document=request_approved)
    html, api = _verify(request_approved)
    assert api["mailbox"] == {
        "status": "waiting",
        "status_name": {"sw": "Inasubiri kufunguliwa", "en": "Waiting to be created"},
        "since": row.created_at.isoformat(),
    }
    assert "Inasubiri kufunguliwa tangu" in _row(html) and "Waiting to be created since" in _row(
        html
    )
    # A mail administrator's claim is the agency's inner step: still "waiting" to the public.
    _mailbox_action(world, request_approved, "claim")
    assert _verify(request_approved)[1]["mailbox"]["status"] == "waiting"


def test_a_created_mailbox_shows_the_date_but_not_the_address(world, request_approved):
    _mailbox_action(world, request_approved, "claim")
    _mailbox_action(world, request_approved, "provision", {"address": ADDRESS, "note": "Simu"})
    row = MailboxProvisioning.objects.get(document=request_approved)
    html, api = _verify(request_approved)
    assert api["mailbox"]["status"] == "provisioned"
    assert dt.datetime.fromisoformat(api["mailbox"]["since"]) == row.completed_at
    assert "Imefunguliwa tarehe" in _row(html) and "Created on" in _row(html)
    for private in (ADDRESS, "Simu", world.mail_admin.username):
        assert private not in html and private not in str(api), private


def test_a_refused_mailbox_says_refused_without_the_reason(world, request_approved):
    _mailbox_action(world, request_approved, "claim")
    _mailbox_action(world, request_approved, "refuse", {"reason": REASON})
    html, api = _verify(request_approved)
    assert api["mailbox"]["status"] == "refused"
    assert "Haikufunguliwa" in _row(html) and "Not created" in _row(html)
    assert REASON not in html and REASON not in str(api)


def test_other_types_have_no_mailbox(world, django_capture_on_commit_callbacks):
    document_id = approve(world, "concept_note", capture=django_capture_on_commit_callbacks)
    document = SealedPdf.objects.get(document_id=document_id, lang="sw").document
    html, api = _verify(document)
    assert api["mailbox"] is None and 'id="mailbox"' not in html

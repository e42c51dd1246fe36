"""A mailbox request from filing to *provisioned*: over the API as a client files it, then the
mail administrator's pages (no JavaScript: plain forms), the servant's e-mail and their page."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from approvals.models import MailboxProvisioning
from forms_templates.registry import get_type
from tests.helpers import PASSWORD, act, complete_data, make_user, ok
from tests.portal.web_helpers import api_document, api_fill, browser
from workflow.models import AuditEvent, Document, Role

ADDRESS = "asha.juma@afya.go.tz"


@pytest.fixture
def people(world):
    world.mail_admin = make_user("mail_admin", world.ega, Role.MAIL_ADMIN, first_name="Neema")
    return world


def filed_and_approved(world) -> str:
    """Filed, signed by each signatory in turn, submitted, reviewed and approved: all over HTTP."""
    document_id = api_document(world, "email_account_request")
    api_fill(world, document_id, complete_data("email_account_request"))
    ok(act(world, world.officer, document_id, "request-signatures"))
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    while True:
        document = ok(world.client(world.officer).get(f"/api/v1/documents/{document_id}/"))
        pending = [s for s in document["signatures"] if s["status"] == "pending"]
        if not pending:
            break
        signer = users.get(username=min(pending, key=lambda s: s["order"])["signer"])
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.officer, document_id, "submit"))
    ok(act(world, world.reviewer, document_id, "claim"))
    marks = {c.key: {"mark": "met"} for c in get_type("email_account_request").checklist}
    ok(
        world.client(world.reviewer).patch(
            f"/api/v1/documents/{document_id}/checklist/", {"marks": marks}, format="json"
        )
    )
    ok(act(world, world.reviewer, document_id, "approve", {"comment": "Sawa"}))
    return document_id


def servant_of(document_id: str):
    first = Document.objects.get(pk=document_id).signatures.filter(active=True).order_by("order")
    return first[0].signer


def test_from_filing_to_provisioned_through_the_pages(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document_id = filed_and_approved(people)
    admin = browser(people.mail_admin)

    # The queue lists it, with a claim button (a plain form).
    home = admin.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/mailboxes/"
    assert document_id in home.content.decode()
    claimed = admin.post(f"/mailboxes/{document_id}/claim/", follow=True)
    page = claimed.content.decode()
    assert claimed.status_code == 200 and 'id="mailbox-provision"' in page

    # Wrong domain, in Swahili (the default) and in English: 400, nothing changes.
    wrong = admin.post(f"/mailboxes/{document_id}/provision/", {"address": "asha@gmail.com"})
    assert wrong.status_code == 400
    assert "gmail.com" in wrong.content.decode() and "afya.go.tz" in wrong.content.decode()
    english = browser(people.mail_admin, language="en")
    wrong_en = english.post(f"/mailboxes/{document_id}/provision/", {"address": "a@gmail.com"})
    assert "is not one of the institution" in wrong_en.content.decode()
    empty = admin.post(f"/mailboxes/{document_id}/refuse/", {"reason": " "})
    assert empty.status_code == 400
    assert MailboxProvisioning.objects.get(document_id=document_id).status == "claimed"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = admin.post(
            f"/mailboxes/{document_id}/provision/", {"address": ADDRESS, "note": ""}, follow=True
        )
    assert done.status_code == 200
    row = MailboxProvisioning.objects.get(document_id=document_id)
    assert (row.status, row.address) == ("provisioned", ADDRESS)
    assert AuditEvent.objects.filter(document_id=document_id, action="mailbox-provision").exists()

    # The servant's e-mail: the address and the first sign-in, in Swahili, no password.
    servant = servant_of(document_id)
    to_servant = [m for m in mail.outbox if m.to == [servant.email]]
    assert len(to_servant) == 1
    assert ADDRESS in to_servant[0].subject and "nywila ya muda" in to_servant[0].body

    # The servant's own page shows it, and the notice PDF says it.
    own = browser(servant).get(f"/documents/{document_id}/").content.decode()
    assert 'id="mailbox"' in own and ADDRESS in own
    notice = browser(servant).get(f"/mailboxes/{document_id}/notice.pdf?lang=en")
    assert notice["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(notice.content)).pages[0].extract_text()
    assert ADDRESS in text and "Mailbox created" in text
    assert Document.objects.get(pk=document_id).verification_code in text
    # The agency's page of the request shows it too; only mail administrators get the queue link.
    as_admin = admin.get(f"/documents/{document_id}/").content.decode()
    assert 'id="mailbox"' in as_admin and f"/mailboxes/{document_id}/" in as_admin
    as_reviewer = browser(people.reviewer).get(f"/documents/{document_id}/").content.decode()
    assert 'id="mailbox"' in as_reviewer and f'href="/mailboxes/{document_id}/"' not in as_reviewer
    # The in-app notification, through the API.
    notes = ok(people.client(servant).get("/api/v1/notifications/"))["results"]
    assert any(n["kind"] == "mailbox_provisioned" for n in notes)


def test_the_queue_is_only_for_mail_administrators(people):
    assert browser(people.reviewer).get("/mailboxes/").status_code == 404
    assert browser(people.officer).get("/mailboxes/").status_code == 404
    assert "Mailboxes" not in browser(people.officer, language="en").get("/").content.decode()
    assert browser(people.mail_admin).get("/mailboxes/?status=nonsense").status_code == 400


def test_the_requests_next_step_is_the_mailboxs(people):
    """After the approval, "what happens next" on the request's page is the mailbox's state."""
    from tests.helpers import drive, new_document

    document = drive(people, new_document(people, "email_account_request"), "approved")
    page = browser(people.officer)

    def next_step() -> str:
        html = page.get(f"/documents/{document.pk}/").content.decode()
        return html.split("Kinachofuata:", 1)[1].split("</p>", 1)[0]

    assert "inasubiri kufunguliwa na wasimamizi wa barua pepe" in next_step()
    admin = people.client(people.mail_admin)
    ok(admin.post(f"/api/v1/documents/{document.pk}/mailbox/claim/", {}, format="json"))
    assert "inasubiri kufunguliwa" in next_step()
    body = {"address": ADDRESS}
    ok(admin.post(f"/api/v1/documents/{document.pk}/mailbox/provision/", body, format="json"))
    assert "Akaunti ya barua pepe imefunguliwa: anwani yake iko hapa chini." in next_step()


def test_the_requests_page_reads_its_mailbox_once(people):
    """The next step and the mailbox panel both show the provisioning: one statement for both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import drive, new_document

    document = drive(people, new_document(people, "email_account_request"), "approved")
    page = browser(people.officer)
    page.get(f"/documents/{document.pk}/")  # the session's first page: its own statements
    table = MailboxProvisioning._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        html = page.get(f"/documents/{document.pk}/").content.decode()
    reads = [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) == 1, reads
    assert "inasubiri kufunguliwa na wasimamizi wa barua pepe" in html  # the next step

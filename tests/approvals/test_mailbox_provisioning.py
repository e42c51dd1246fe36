"""After a mailbox request is approved: the mail administrators claim it, create the mailbox and
mark it provisioned (or refused); the servant and their supervisor are told, with no password."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from approvals.models import MailboxProvisioning, Signature
from notifications.models import Kind, Notification
from tests.helpers import clone_documents, drive, make_user, new_document, ok
from workflow.models import AuditEvent, Document, Role

ADDRESS = "asha.juma@afya.go.tz"


@pytest.fixture
def people(world):
    world.mail_admin = make_user("mail_admin", world.ega, Role.MAIL_ADMIN, first_name="Neema")
    world.mail_admin2 = make_user("mail_admin2", world.ega, Role.MAIL_ADMIN)
    # The supervisor named in the request (its supervisor_email, tests.helpers.sample_value).
    world.supervisor = make_user("msimamizi", world.moh, Role.OFFICER)
    world.supervisor.email = "mtu0@afya.go.tz"
    world.supervisor.save()
    return world


def approved_request(world, django_capture_on_commit_callbacks):
    document = new_document(world, "email_account_request")
    with django_capture_on_commit_callbacks(execute=True):
        return drive(world, document, "approved")


def mailbox(world, user, document, action, body=None):
    return world.client(user).post(
        f"/api/v1/documents/{document.pk}/mailbox/{action}/", body or {}, format="json"
    )


def told(document) -> dict[str, set[str]]:
    """{kind: usernames} of the document's notifications."""
    out: dict[str, set[str]] = {}
    for note in Notification.objects.filter(document=document).select_related("recipient"):
        out.setdefault(note.kind, set()).add(note.recipient.username)
    return out


def servant_and_supervisor(world, document) -> set[str]:
    signatures = Signature.objects.filter(document=document, active=True).order_by("order")
    supervisors = {s.signer.username for s in signatures if s.role == "supervisor"}
    return {signatures[0].signer.username, *(supervisors or {world.supervisor.username})}


def test_an_approved_request_waits_for_the_mail_administrators(
    people, django_capture_on_commit_callbacks
):
    document = approved_request(people, django_capture_on_commit_callbacks)
    row = MailboxProvisioning.objects.get(document=document)
    assert row.status == "waiting"
    assert row.requested_address == document.data["requested_address"]
    assert told(document)[Kind.MAILBOX_WAITING] == {"mail_admin", "mail_admin2"}

    queue = ok(people.client(people.mail_admin).get("/api/v1/mailbox-requests/"))
    assert [item["document"] for item in queue["results"]] == [str(document.pk)]
    assert queue["results"][0]["allowed_actions"] == ["claim"]


def test_other_types_and_unapproved_requests_have_no_provisioning(people):
    note = drive(people, new_document(people, "concept_note"), "approved")
    draft = new_document(people, "email_account_request")
    assert not MailboxProvisioning.objects.exists()
    # The concept note is visible to the agency: 409, it is not a mailbox request.
    assert mailbox(people, people.mail_admin, note, "claim").status_code == 409
    # A submitted mailbox request is not approved yet: 409 too.
    submitted = drive(people, draft, "submitted")
    response = mailbox(people, people.mail_admin, submitted, "claim")
    assert response.status_code == 409
    assert response.json()["code"] == "not_an_approved_mailbox_request"


def test_from_claim_to_provisioned_the_servant_and_supervisor_are_told_without_a_password(
    people, django_capture_on_commit_callbacks, settings
):
    settings.MAIL_LOGIN_URL = "https://mail.example.go.tz"
    document = approved_request(people, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    seq_before = Document.objects.get(pk=document.pk).audit_seq

    claimed = ok(mailbox(people, people.mail_admin, document, "claim"))
    assert (claimed["status"], claimed["assignee"]) == ("claimed", "mail_admin")
    assert claimed["allowed_actions"] == ["provision", "refuse", "release"]
    with django_capture_on_commit_callbacks(execute=True):
        done = ok(
            mailbox(
                people,
                people.mail_admin,
                document,
                "provision",
                {"address": ADDRESS, "note": "Piga simu ICT kwa nywila ya muda."},
            )
        )
    assert (done["status"], done["address"]) == ("provisioned", ADDRESS)

    row = MailboxProvisioning.objects.get(document=document)
    assert (row.status, row.address, row.assignee_id) == (
        "provisioned",
        ADDRESS,
        people.mail_admin.pk,
    )
    events = list(AuditEvent.objects.filter(document=document, seq__gt=seq_before).order_by("seq"))
    assert [e.action for e in events] == ["mailbox-claim", "mailbox-provision"]
    assert events[1].payload["address"] == ADDRESS
    assert events[1].payload["provisioning"] == {"from": "claimed", "to": "provisioned"}
    # The document itself stays approved (its sealed PDF never changes).
    assert Document.objects.get(pk=document.pk).status == "approved"

    expected = servant_and_supervisor(people, document)
    assert expected <= told(document)[Kind.MAILBOX_PROVISIONED]
    sent = [m for m in mail.outbox if ADDRESS in m.subject]
    recipients = {m.to[0] for m in sent}
    users = get_user_model().objects.filter(username__in=expected)
    assert {u.email for u in users} <= recipients
    body = sent[0].body
    assert "https://mail.example.go.tz" in body and ADDRESS in body
    assert "Piga simu ICT" in body
    assert "nywila" in body.lower()  # the first sign-in steps speak of the password...
    # ...but no password is ever sent: provisioning accepts none (see below) and sends none.
    assert "password:" not in body.lower() and "nywila:" not in body.lower()


def test_refused_with_a_reason_tells_the_servant(people, django_capture_on_commit_callbacks):
    document = approved_request(people, django_capture_on_commit_callbacks)
    ok(mailbox(people, people.mail_admin, document, "claim"))
    response = mailbox(people, people.mail_admin, document, "refuse", {"reason": "  "})
    assert response.status_code == 400 and "reason" in response.json()
    with django_capture_on_commit_callbacks(execute=True):
        done = ok(
            mailbox(people, people.mail_admin, document, "refuse", {"reason": "Anwani ipo tayari"})
        )
    assert (done["status"], done["reason"]) == ("refused", "Anwani ipo tayari")
    assert servant_and_supervisor(people, document) <= told(document)[Kind.MAILBOX_REFUSED]
    refused = [m for m in mail.outbox if "Anwani ipo tayari" in m.body]
    assert refused
    assert AuditEvent.objects.filter(document=document, action="mailbox-refuse").count() == 1


def test_bad_input_is_refused_and_changes_nothing(people, django_capture_on_commit_callbacks):
    document = approved_request(people, django_capture_on_commit_callbacks)
    # Not a mail administrator: the reviewer (agency) 403, the officer (institution) 403.
    assert mailbox(people, people.reviewer, document, "claim").status_code == 403
    assert mailbox(people, people.officer, document, "claim").status_code == 403
    # Another institution's staff cannot even see it.
    assert mailbox(people, people.officer_moe, document, "claim").status_code == 404
    # Provision before a claim: 409.
    assert (
        mailbox(people, people.mail_admin, document, "provision", {"address": ADDRESS}).status_code
        == 409
    )
    ok(mailbox(people, people.mail_admin, document, "claim"))
    # Someone else's claim: 403 for the other mail administrator.
    other = mailbox(people, people.mail_admin2, document, "provision", {"address": ADDRESS})
    assert other.status_code == 403
    seq = Document.objects.get(pk=document.pk).audit_seq
    wrong = {
        "wrong domain": {"address": "asha@gmail.com"},
        "not an address": {"address": "asha juma"},
        "empty": {"address": ""},
        "a password": {"address": ADDRESS, "password": "Siri2026!"},
    }
    for case, body in wrong.items():
        response = mailbox(people, people.mail_admin, document, "provision", body)
        assert response.status_code == 400, case
        assert {"address", "password"} & set(response.json()), case
    gmail = mailbox(people, people.mail_admin, document, "provision", {"address": "a@gmail.com"})
    assert "gmail.com" in gmail.json()["address"][0] and "afya.go.tz" in gmail.json()["address"][0]
    row = MailboxProvisioning.objects.get(document=document)
    assert (row.status, row.address) == ("claimed", "")
    assert Document.objects.get(pk=document.pk).audit_seq == seq
    ok(mailbox(people, people.mail_admin, document, "provision", {"address": ADDRESS}))
    # Already provisioned: 409, and nothing changes.
    again = mailbox(people, people.mail_admin, document, "provision", {"address": "b@afya.go.tz"})
    assert again.status_code == 409
    assert (
        mailbox(people, people.mail_admin, document, "refuse", {"reason": "x"}).status_code == 409
    )
    assert MailboxProvisioning.objects.get(document=document).address == ADDRESS


def test_release_puts_it_back_for_another_mail_administrator(
    people, django_capture_on_commit_callbacks
):
    document = approved_request(people, django_capture_on_commit_callbacks)
    ok(mailbox(people, people.mail_admin, document, "claim"))
    assert mailbox(people, people.mail_admin2, document, "claim").status_code == 409
    assert mailbox(people, people.mail_admin2, document, "release").status_code == 403
    ok(mailbox(people, people.mail_admin, document, "release"))
    taken = ok(mailbox(people, people.mail_admin2, document, "claim"))
    assert taken["assignee"] == "mail_admin2"


def test_the_requests_owners_see_its_state(people, django_capture_on_commit_callbacks):
    document = approved_request(people, django_capture_on_commit_callbacks)
    state = ok(people.client(people.officer).get(f"/api/v1/documents/{document.pk}/mailbox/"))
    assert (state["status"], state["allowed_actions"]) == ("waiting", [])
    assert (
        people.client(people.officer_moe)
        .get(f"/api/v1/documents/{document.pk}/mailbox/")
        .status_code
        == 404
    )
    assert people.client(people.officer).get("/api/v1/mailbox-requests/").status_code == 403
    bad = people.client(people.mail_admin).get("/api/v1/mailbox-requests/?status=done")
    assert bad.status_code == 400 and "status" in bad.json()


def test_the_queue_costs_the_same_for_one_request_or_twenty(
    people, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    document = approved_request(people, django_capture_on_commit_callbacks)
    client = people.client(people.mail_admin)
    client.get("/api/v1/mailbox-requests/")  # the caller's roles, read once per client
    with CaptureQueriesContext(connection) as one:
        assert len(ok(client.get("/api/v1/mailbox-requests/"))["results"]) == 1
    clone_documents(document, 19)
    MailboxProvisioning.objects.bulk_create(
        MailboxProvisioning(
            document=copy,
            requested_address=f"mtu{n}@afya.go.tz",
            created_at=document.approved_at,
            status_changed_at=document.approved_at,
        )
        for n, copy in enumerate(Document.objects.exclude(pk=document.pk))
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(ok(client.get("/api/v1/mailbox-requests/"))["results"]) == 20


def test_refusals_speak_swahili_by_default(people, django_capture_on_commit_callbacks):
    document = approved_request(people, django_capture_on_commit_callbacks)
    ok(mailbox(people, people.mail_admin, document, "claim"))
    taken = mailbox(people, people.mail_admin2, document, "claim")
    assert taken.status_code == 409
    assert taken.json()["detail"] == "Msimamizi wa barua pepe ameshalichukua ombi hili."
    gmail = mailbox(people, people.mail_admin, document, "provision", {"address": "a@gmail.com"})
    assert gmail.json()["address"] == [
        "gmail.com si mojawapo ya vikoa vya barua pepe vya taasisi (afya.go.tz)."
    ]


def test_the_sealed_pdf_is_the_same_file_after_provisioning(
    people, django_capture_on_commit_callbacks, dev_seal
):
    from approvals.models import SealedPdf
    from approvals.services import sealed_pdf_create

    document = approved_request(people, django_capture_on_commit_callbacks)
    before = sealed_pdf_create(document_id=document.pk, lang="sw")
    ok(mailbox(people, people.mail_admin, document, "claim"))
    ok(mailbox(people, people.mail_admin, document, "provision", {"address": ADDRESS}))

    response = people.client(people.officer).get(f"/api/v1/documents/{document.pk}/pdf/?lang=sw")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert hashlib.sha256(served).hexdigest() == before.sha256
    assert SealedPdf.objects.filter(document=document).count() == 1
    # The notice, not the sealed PDF, carries the address created.
    notice = people.client(people.officer).get(
        f"/api/v1/documents/{document.pk}/mailbox/notice.pdf?lang=sw"
    )
    assert notice["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(notice.content)).pages[0].extract_text()
    assert ADDRESS in text and document.reference in text

"""Mail administrators racing for one mailbox request: one winner, 409 for the others (real
threads, real PostgreSQL row locks)."""

from __future__ import annotations

import pytest
from django.db import connection

from approvals.models import MailboxProvisioning
from tests.helpers import drive, make_user, new_document
from tests.workflow.test_races import _race
from workflow.models import AuditEvent, Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL"),
]


def test_sixteen_claims_on_one_mailbox_request_have_one_winner(world):
    admins = [make_user(f"mail_admin{n}", world.ega, Role.MAIL_ADMIN) for n in range(4)]
    document = drive(world, new_document(world, "email_account_request"), "approved")
    assert MailboxProvisioning.objects.get(document=document).status == "waiting"

    results = _race(world, admins * 4, f"/api/v1/documents/{document.pk}/mailbox/claim/", {})

    assert results == [200] + [409] * 15
    row = MailboxProvisioning.objects.get(document=document)
    assert row.status == "claimed" and row.assignee in admins
    assert AuditEvent.objects.filter(document=document, action="mailbox-claim").count() == 1


def test_provision_and_refuse_at_once_finish_once(world):
    admin = make_user("mail_admin", world.ega, Role.MAIL_ADMIN)
    document = drive(world, new_document(world, "email_account_request"), "approved")
    path = f"/api/v1/documents/{document.pk}/mailbox/"
    assert world.client(admin).post(path + "claim/", {}, format="json").status_code == 200

    provisions = _race(world, [admin] * 4, path + "provision/", {"address": "a.b@afya.go.tz"})

    assert provisions == [200] + [409] * 3
    assert (
        world.client(admin).post(path + "refuse/", {"reason": "x"}, format="json").status_code
        == 409
    )
    row = MailboxProvisioning.objects.get(document=document)
    assert (row.status, row.address, row.reason) == ("provisioned", "a.b@afya.go.tz", "")
    assert AuditEvent.objects.filter(document=document, action__startswith="mailbox-").count() == 2

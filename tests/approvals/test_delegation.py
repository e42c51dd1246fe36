"""Acting signatories (kaimu): the acting officer signs in the window and not outside it, the
signature, the audit event, the API and the sealed PDF name both people, the signatory is told;
every refusal is a 400 naming the problem that creates nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Delegation, Signature
from notifications.models import Kind, Notification
from tests.approvals.pdf_support import pdf_text
from tests.helpers import PASSWORD, act, drive, fill_checklist, make_user, new_document, ok
from workflow.models import AuditEvent, Document, Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _day(offset: int) -> str:
    return (TODAY() + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def deputy(world):
    return make_user("naibu", world.moh, Role.OFFICER, first_name="Asha", last_name="Juma")


def _delegate(world, by, acting, start=0, end=5, **extra):
    body = {"acting": acting.username, "starts_on": _day(start), "ends_on": _day(end), **extra}
    return world.client(by).post("/api/v1/delegations/", body, format="json")


def _at_accounting_officer(world):
    """A progress report whose next (and last) signature is the accounting officer's (a mailbox
    request no longer goes to them: issue 15's chains)."""
    document = drive(world, new_document(world, "implementation_report"), "awaiting_signatures")
    for signer in (world.officer, world.ict_head):
        approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
    document = Document.objects.get(pk=document.pk)
    assert document.next_signer_id == world.accounting_officer.pk
    return document


def test_the_acting_officer_signs_in_the_window_and_both_are_recorded(world, deputy):
    delegation = ok(_delegate(world, world.accounting_officer, deputy), 201)
    assert delegation["status"] == "active"
    document = _at_accounting_officer(world)

    inbox = ok(world.client(deputy).get("/api/v1/signature-requests/"))["results"]
    assert [d["id"] for d in inbox] == [str(document.pk)]
    assert "sign" in inbox[0]["allowed_actions"]

    body = ok(act(world, deputy, document.pk, "sign", {"password": PASSWORD}))
    assert body["status"] == "signed"
    last = body["signatures"][-1]
    assert (last["signer"], last["signed_by"], last["acting_for"]) == (
        "accounting_officer",
        "naibu",
        "accounting_officer",
    )
    assert body["signatures"][0]["signed_by"] == "officer"
    assert body["signatures"][0]["acting_for"] is None
    row = Signature.objects.get(document=document, role="accounting_officer", active=True)
    assert (row.signer_id, row.signed_by_id, row.delegation_id) == (
        world.accounting_officer.pk,
        deputy.pk,
        delegation["id"],
    )
    event = AuditEvent.objects.filter(document=document, action="sign").last()
    assert event.actor_id == deputy.pk
    assert event.payload["acting_for"] == "accounting_officer"
    told = Notification.objects.get(kind=Kind.SIGNED_FOR_YOU)
    assert told.recipient_id == world.accounting_officer.pk
    assert told.payload["actor"] == "Asha Juma"


def test_the_acting_officer_cannot_sign_before_the_window(world, deputy):
    ok(_delegate(world, world.accounting_officer, deputy, start=1, end=3), 201)
    document = _at_accounting_officer(world)
    assert ok(world.client(deputy).get("/api/v1/signature-requests/"))["results"] == []
    response = act(world, deputy, document.pk, "sign", {"password": PASSWORD})
    assert response.status_code == 403, response.content
    assert Document.objects.get(pk=document.pk).status == "awaiting_signatures"


def test_the_acting_officer_cannot_sign_after_the_window(world, deputy):
    ok(_delegate(world, world.accounting_officer, deputy), 201)
    Delegation.objects.update(
        starts_on=TODAY() - datetime.timedelta(days=5), ends_on=TODAY() - datetime.timedelta(days=1)
    )
    document = _at_accounting_officer(world)
    response = act(world, deputy, document.pk, "sign", {"password": PASSWORD})
    assert response.status_code == 403, response.content
    assert not Signature.objects.filter(signed_by=deputy).exists()


def test_a_withdrawn_delegation_ends_early(world, deputy):
    delegation = ok(_delegate(world, world.accounting_officer, deputy), 201)
    document = _at_accounting_officer(world)
    body = ok(
        world.client(world.accounting_officer).post(
            f"/api/v1/delegations/{delegation['id']}/withdraw/"
        )
    )
    assert (body["status"], body["withdrawn_by"]) == ("withdrawn", "accounting_officer")
    row = Delegation.objects.get(pk=delegation["id"])
    assert row.withdrawn_at is not None and row.withdrawn_by_id == world.accounting_officer.pk
    response = act(world, deputy, document.pk, "sign", {"password": PASSWORD})
    assert response.status_code == 403
    again = world.client(world.accounting_officer).post(
        f"/api/v1/delegations/{delegation['id']}/withdraw/"
    )
    assert again.status_code == 409
    # Another institution's person never sees it.
    other = world.client(world.accounting_officer_moe).post(
        f"/api/v1/delegations/{delegation['id']}/withdraw/"
    )
    assert other.status_code == 404


def test_the_signatory_can_still_sign_themself_during_the_window(world, deputy):
    ok(_delegate(world, world.accounting_officer, deputy), 201)
    document = _at_accounting_officer(world)
    body = ok(act(world, world.accounting_officer, document.pk, "sign", {"password": PASSWORD}))
    assert body["signatures"][-1]["acting_for"] is None
    assert not Notification.objects.filter(kind=Kind.SIGNED_FOR_YOU).exists()


def test_the_acting_officer_gives_their_own_password(world, deputy):
    ok(_delegate(world, world.accounting_officer, deputy), 201)
    document = _at_accounting_officer(world)
    deputy.set_password("another-pass-2026")
    deputy.save()
    response = act(world, deputy, document.pk, "sign", {"password": PASSWORD})
    assert response.status_code == 400, response.content
    assert Document.objects.get(pk=document.pk).status == "awaiting_signatures"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"acting": "accounting_officer"}, "acting"),
        ({"acting": "ict_head_moe"}, "acting"),
        ({"acting": "nobody"}, "acting"),
        ({"starts_on": _day(4), "ends_on": _day(2)}, "ends_on"),
        ({"starts_on": _day(-5), "ends_on": _day(-1)}, "starts_on"),
        ({"starts_on": "15/01/2027"}, "starts_on"),
    ],
    ids=["self", "other-institution", "unknown", "end-before-start", "past", "bad-date"],
)
def test_a_bad_delegation_is_refused_naming_the_problem(world, deputy, change, field):
    body = {"acting": deputy.username, "starts_on": _day(0), "ends_on": _day(3), **change}
    response = world.client(world.accounting_officer).post(
        "/api/v1/delegations/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert Delegation.objects.count() == 0


def test_an_overlapping_delegation_is_refused(world, deputy):
    ok(_delegate(world, world.accounting_officer, deputy, start=2, end=6), 201)
    response = _delegate(world, world.accounting_officer, world.officer, start=5, end=9)
    assert response.status_code == 400
    assert _day(2) in response.json()["starts_on"][0]
    assert Delegation.objects.count() == 1
    ok(_delegate(world, world.accounting_officer, world.officer, start=7, end=9), 201)


def test_only_a_signatory_or_the_institution_administrator_names_an_acting_officer(world, deputy):
    response = _delegate(world, world.officer, deputy)
    assert response.status_code == 400 and list(response.json()) == ["principal"]
    forbidden = _delegate(world, deputy, world.officer, principal="accounting_officer")
    assert forbidden.status_code == 403
    deputy.user_permissions.add(Permission.objects.get(codename="manage_delegations"))
    body = ok(_delegate(world, deputy, world.officer, principal="accounting_officer"), 201)
    assert (body["principal"], body["acting"], body["created_by"]) == (
        "accounting_officer",
        "officer",
        "naibu",
    )
    # The administrator's permission reaches only their own institution.
    elsewhere = _delegate(world, deputy, world.officer, principal="accounting_officer_moe")
    assert elsewhere.status_code == 400 and list(elsewhere.json()) == ["principal"]
    listed = ok(world.client(deputy).get("/api/v1/delegations/"))["results"]
    assert [d["id"] for d in listed] == [body["id"]]
    assert ok(world.client(world.officer_moe).get("/api/v1/delegations/"))["results"] == []


@pytest.mark.usefixtures("dev_seal", "clean_cache")
def test_the_sealed_pdf_names_both_people(world, deputy, django_capture_on_commit_callbacks):
    ok(_delegate(world, world.accounting_officer, deputy), 201)
    document = _at_accounting_officer(world)
    ok(act(world, deputy, document.pk, "sign", {"password": PASSWORD}))
    approvals.document_submit(document_id=document.pk, by=world.officer)
    approvals.document_claim(document_id=document.pk, by=world.reviewer)
    fill_checklist(document.pk, by=world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        ok(act(world, world.reviewer, document.pk, "approve", {"comment": "Sawa"}))
    response = world.client(world.officer).get(f"/api/v1/documents/{document.pk}/pdf/")
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(" ".join(pdf_text(pdf)).split())
    assert "Amesainikamakaimu" in text
    assert "AshaJuma(kaimukwaaccounting_officer)" in text.replace("—", "")


def _withdraw(world, by, delegation_id):
    return world.client(by).post(f"/api/v1/delegations/{delegation_id}/withdraw/")


def test_a_withdrawal_is_an_audit_event_on_each_document_waiting_for_the_signatory(world, deputy):
    from tests.portal.web_helpers import browser
    from workflow.audit import verify_chain

    delegation = ok(_delegate(world, world.accounting_officer, deputy), 201)
    at_signatory = [_at_accounting_officer(world), _at_accounting_officer(world)]
    # A concept note just sent: the accounting officer signs last (after the officer, the system
    # owner and the head of ICT), yet it waits for them too.
    later = drive(world, new_document(world, "concept_note"), "awaiting_signatures")
    draft = new_document(world, "email_account_request")
    before = {d.pk: AuditEvent.objects.filter(document=d).count() for d in [*at_signatory, draft]}

    ok(_withdraw(world, world.accounting_officer, delegation["id"]))

    for document in [*at_signatory, later]:
        event = AuditEvent.objects.filter(document=document).order_by("seq").last()
        assert (event.action, event.actor_id) == (
            "delegation-withdrawn",
            world.accounting_officer.pk,
        )
        assert event.payload == {
            "delegation": delegation["id"],
            "acting_for": "accounting_officer",
            "acting": "naibu",
            "starts_on": _day(0),
            "ends_on": _day(5),
        }
        assert event.from_status == event.to_status == "awaiting_signatures"
        events = AuditEvent.objects.filter(document=document).order_by("seq")
        assert verify_chain(Document.objects.get(pk=document.pk), events) == []
    assert AuditEvent.objects.filter(document=draft).count() == before[draft.pk]
    history = ok(
        world.client(world.officer).get(f"/api/v1/documents/{at_signatory[0].pk}/history/")
    )
    assert history["results"][-1]["action"] == "delegation-withdrawn"
    page = browser(world.officer).get(f"/documents/{at_signatory[0].pk}/").content.decode()
    assert "Ukaimu umeondolewa" in page
    assert "naibu hasaini tena kwa niaba ya accounting_officer" in page
    # A refused withdrawal (already withdrawn) writes nothing more.
    count = AuditEvent.objects.count()
    assert _withdraw(world, world.accounting_officer, delegation["id"]).status_code == 409
    assert AuditEvent.objects.count() == count


def test_naming_someone_who_is_away_themself_is_refused_no_chain(world, deputy):
    """A → B while B → C on some of the same days: 400 on ``acting``, naming B's officer."""
    ok(_delegate(world, world.ict_head, deputy, start=0, end=5), 201)
    refused = _delegate(world, world.accounting_officer, world.ict_head, start=3, end=8)
    assert refused.status_code == 400, refused.content
    assert list(refused.json()) == ["acting"]
    assert "naibu" in refused.json()["acting"][0] or "Asha Juma" in refused.json()["acting"][0]
    assert Delegation.objects.count() == 1
    ok(_delegate(world, world.accounting_officer, world.ict_head, start=6, end=8), 201)


def test_an_acting_officer_cannot_pass_the_delegation_on(world, deputy):
    """B → C while B acts for A on some of the same days: 400 on ``starts_on``."""
    ok(_delegate(world, world.accounting_officer, world.ict_head, start=0, end=5), 201)
    refused = _delegate(world, world.ict_head, deputy, start=2, end=4)
    assert refused.status_code == 400, refused.content
    assert list(refused.json()) == ["starts_on"]
    assert _day(0) in refused.json()["starts_on"][0]
    assert Delegation.objects.count() == 1
    # Once the first delegation is withdrawn, the same dates are accepted.
    ok(_withdraw(world, world.accounting_officer, Delegation.objects.get().pk))
    ok(_delegate(world, world.ict_head, deputy, start=2, end=4), 201)


def test_a_chain_in_the_rows_resolves_one_level_only(world, deputy):
    """Should rows chain anyway (A → B and B → C today), C signs nothing of A's; B still may."""
    today = TODAY()
    for principal, acting in [(world.accounting_officer, world.ict_head), (world.ict_head, deputy)]:
        Delegation.objects.create(
            institution=world.moh,
            principal=principal,
            acting=acting,
            starts_on=today,
            ends_on=today,
            created_by=principal,
        )
    document = _at_accounting_officer(world)
    assert ok(world.client(deputy).get("/api/v1/signature-requests/"))["results"] == []
    refused = act(world, deputy, document.pk, "sign", {"password": PASSWORD})
    assert refused.status_code == 403, refused.content
    assert Document.objects.get(pk=document.pk).next_signer_id == world.accounting_officer.pk
    body = ok(act(world, world.ict_head, document.pk, "sign", {"password": PASSWORD}))
    assert (body["signatures"][-1]["signed_by"], body["signatures"][-1]["acting_for"]) == (
        "ict_head",
        "accounting_officer",
    )


@pytest.mark.parametrize("raw", ["null", "[]", '"yes"', '{"now": true}'])
def test_a_withdrawal_body_is_an_object_or_nothing(world, deputy, raw):
    delegation = ok(_delegate(world, world.accounting_officer, deputy), 201)
    response = world.client(world.accounting_officer).post(
        f"/api/v1/delegations/{delegation['id']}/withdraw/", raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert Delegation.objects.get(pk=delegation["id"]).withdrawn_at is None
    url = f"/api/v1/delegations/{delegation['id']}/withdraw/"
    client = world.client(world.accounting_officer)
    assert client.post(url, "", content_type="application/json").status_code == 200
    assert client.post(url, "{}", content_type="application/json").status_code == 409  # done
    assert Delegation.objects.get(pk=delegation["id"]).withdrawn_at is not None


def test_the_delegation_endpoints_and_the_signatures_acting_fields_are_in_the_schema(world):
    schema = world.client(world.officer).get("/api/v1/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/delegations/"]
    assert {"get", "post"} <= set(listing)
    assert "post" in schema["paths"]["/api/v1/delegations/{id}/withdraw/"]
    components = schema["components"]["schemas"]
    create = components["DelegationCreateRequest"]
    assert {"acting", "starts_on", "ends_on"} <= set(create["required"])
    assert {"principal", "acting", "status", "withdrawn_by"} <= set(
        components["Delegation"]["properties"]
    )
    signature = next(
        body["properties"]
        for name, body in components.items()
        if "acting_for" in body.get("properties", {})
    )
    assert "signed_by" in signature

"""Bad input gets a 4xx that names what is wrong, and changes nothing."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, act, drive, new_document
from workflow.models import AuditEvent, Document, Project

pytestmark = pytest.mark.django_db


def _state(document_id):
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.version,
        document.title,
        document.data,
        document.content_hash,
        document.audit_seq,
        AuditEvent.objects.filter(document_id=document_id).count(),
    )


def _patch(world, document, body, *, raw=None):
    client = world.client(world.officer)
    if raw is not None:
        return client.patch(
            f"/api/v1/documents/{document.pk}/", raw, content_type="application/json"
        )
    return client.patch(f"/api/v1/documents/{document.pk}/", body, format="json")


@pytest.mark.parametrize(
    ("body", "raw", "key"),
    [
        (None, '{"data": {"project_owner": "x"', "non_field_errors"),
        (None, "[" * 100_000 + "]" * 100_000, "non_field_errors"),
        (None, "[1, 2]", "non_field_errors"),
        ({"data": {"project_owner": "x"}, "colour": "blue"}, None, "colour"),
        ({"data": {"no_such_field": "x"}}, None, "data"),
        ({"data": {"total_budget": "mia tano"}}, None, "data"),
        ({"data": {"total_budget": 1.5}}, None, "data"),
        ({"data": {"project_owner": "x" * 501}}, None, "data"),
        ({"data": {"start_date": "2027-02-30x"}}, None, "data"),
        ({"data": {"contact_email": "si barua pepe"}}, None, "data"),
        ({"data": {"funding_source": "lottery"}}, None, "data"),
        ({"data": {"milestones": [{"milestone": "A", "due_date": "jana"}]}}, None, "data"),
        ({"data": {"milestones": {"milestone": "A"}}}, None, "data"),
        ({"data": "not an object"}, None, "data"),
        ({"title": ""}, None, "title"),
        ({"title": "x" * 301}, None, "title"),
        ({"title": 7}, None, "title"),
        ({}, None, "non_field_errors"),
        ({"title": None}, None, "title"),
        ({"data": None}, None, "data"),
    ],
)
def test_a_bad_edit_is_refused_by_name_and_changes_nothing(world, body, raw, key):
    document = new_document(world)
    before = _state(document.pk)
    response = _patch(world, document, body, raw=raw)
    assert response.status_code == 400, response.content
    assert key in response.json(), response.json()
    assert _state(document.pk) == before


def test_a_table_cell_error_names_the_field_and_the_row(world):
    document = new_document(world)
    rows = [
        {"milestone": "Uchambuzi", "due_date": "2027-01-01"},
        {"milestone": "Usanifu", "due_date": "kesho"},
    ]
    with_language = world.client(world.officer)
    response = with_language.patch(
        f"/api/v1/documents/{document.pk}/",
        {"data": {"milestones": rows}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    errors = response.json()["data"]
    assert list(errors) == ["milestones[2].due_date"]
    message = errors["milestones[2].due_date"][0]
    assert "row 2" in message and "YYYY-MM-DD" in message


def test_unknown_fields_are_named(world):
    document = new_document(world)
    response = _patch(world, document, {"data": {"budgett": 5, "colour": "x"}})
    assert set(response.json()["data"]) == {"budgett", "colour"}


def test_an_unknown_document_type_is_refused(world):
    project = Project.objects.create(institution=world.moh, name="P", created_by=world.officer)
    response = world.client(world.officer).post(
        "/api/v1/documents/",
        {"type": "love_letter", "title": "x", "project": str(project.pk)},
        format="json",
    )
    assert response.status_code == 400
    assert "love_letter" in response.json()["type"][0]
    assert Document.objects.count() == 0
    assert world.client(world.officer).get("/api/v1/document-types/love_letter/").status_code == 404
    listing = world.client(world.officer).get("/api/v1/documents/?type=love_letter")
    assert listing.status_code == 400 and "type" in listing.json()


def test_creating_needs_a_known_project_of_ones_own(world):
    foreign = Project.objects.create(institution=world.moe, name="P", created_by=world.officer_moe)
    client = world.client(world.officer)
    for project in [str(foreign.pk), "not-a-uuid", None]:
        response = client.post(
            "/api/v1/documents/",
            {"type": "concept_note", "title": "x", "project": project},
            format="json",
        )
        assert response.status_code == 400
        assert "project" in response.json()
    response = client.post("/api/v1/documents/", {"title": "x"}, format="json")
    assert response.status_code == 400 and "type" in response.json()
    assert Document.objects.count() == 0


def test_an_action_in_the_wrong_status_is_a_conflict_and_changes_nothing(world):
    document = drive(world, new_document(world), "approved")
    before = _state(document.pk)
    response = act(world, world.officer, document.pk, "withdraw")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status"
    assert _state(document.pk) == before


def test_editing_outside_draft_is_a_conflict(world):
    document = drive(world, new_document(world), "submitted")
    before = _state(document.pk)
    response = _patch(world, document, {"title": "Jipya"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert _state(document.pk) == before


def test_a_wrong_password_at_signing_signs_nothing(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    before = _state(document.pk)
    for body in [{"password": "wrong"}, {"password": ""}, {"password": 12345}, {}]:
        response = act(world, world.officer, document.pk, "sign", body)
        assert response.status_code == 400
        assert "password" in response.json()
    assert _state(document.pk) == before
    assert not document.signatures.filter(status="signed").exists()


def test_a_rejection_needs_a_reason(world):
    document = drive(world, new_document(world), "under_review")
    before = _state(document.pk)
    for body in [{}, {"reason": ""}, {"reason": "   "}, {"reason": ["x"]}]:
        response = act(world, world.reviewer, document.pk, "reject", body)
        assert response.status_code == 400
        assert "reason" in response.json()
    assert _state(document.pk) == before


def test_a_decline_needs_a_reason_and_request_changes_a_comment(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    response = act(world, world.ict_head, document.pk, "decline", {})
    assert response.status_code == 400 and "reason" in response.json()
    reviewing = drive(world, new_document(world, "email_account_request"), "under_review")
    before = _state(reviewing.pk)
    response = act(world, world.reviewer, reviewing.pk, "request-changes", {"comment": ""})
    assert response.status_code == 400 and "comment" in response.json()
    response = act(
        world,
        world.reviewer,
        reviewing.pk,
        "request-changes",
        {"comment": "Rekebisha", "field_comments": {"no_such_field": "x"}},
    )
    assert response.status_code == 400
    assert "no_such_field" in response.json()["field_comments"]
    assert _state(reviewing.pk) == before


def test_an_incomplete_document_cannot_go_for_signature(world):
    document = new_document(world, fill=False)
    before = _state(document.pk)
    response = act(world, world.officer, document.pk, "request-signatures")
    assert response.status_code == 400
    missing = response.json()["data"]
    assert "project_owner" in missing and "milestones" in missing
    assert _state(document.pk) == before


def test_unknown_body_fields_on_an_action_are_refused(world):
    document = drive(world, new_document(world), "submitted")
    before = _state(document.pk)
    response = act(world, world.reviewer, document.pk, "claim", {"assignee": "reviewer2"})
    assert response.status_code == 400 and "assignee" in response.json()
    assert act(world, world.reviewer, document.pk, "teleport").status_code == 404
    assert _state(document.pk) == before


def test_a_missing_signatory_role_is_a_conflict_that_names_it(world):
    world.accounting_officer.memberships.all().delete()
    document = new_document(world)
    before = _state(document.pk)
    response = act(world, world.officer, document.pk, "request-signatures")
    assert response.status_code == 409
    assert response.json()["code"] == "no_signatory"
    assert _state(document.pk) == before


def test_an_unknown_document_id_is_not_found(world):
    client = world.client(world.officer)
    for pk in ["00000000-0000-0000-0000-000000000000", "nonsense"]:
        assert client.get(f"/api/v1/documents/{pk}/").status_code == 404
        assert act(world, world.officer, pk, "submit").status_code == 404


def test_bad_token_and_bad_credentials(world):
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json"
    )
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/documents/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/documents/").status_code == 401


def test_a_form_encoded_body_works_like_json(world):
    client = world.client(world.officer)
    response = client.post("/api/v1/projects/", {"name": "Mradi wa fomu", "description": "d"})
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Mradi wa fomu"
    document = drive(world, new_document(world), "under_review")
    response = client.post(f"/api/v1/documents/{document.pk}/reject/", {"reason": "Hapana"})
    assert response.status_code == 403  # the officer is not the assignee; the body parsed
    response = world.client(world.reviewer).post(
        f"/api/v1/documents/{document.pk}/reject/", {"reason": "Hapana kabisa"}
    )
    assert response.json()["status"] == "rejected"


def test_json_nested_deeper_than_python_recurses_is_a_400_everywhere(world):
    from rest_framework.test import APIClient

    deep = "[" * 100_000 + "]" * 100_000
    for client, path in [
        (APIClient(), "/api/v1/auth/token/"),
        (world.client(world.officer), "/api/v1/documents/"),
        (world.client(world.officer), "/api/v1/projects/"),
    ]:
        response = client.post(path, deep, content_type="application/json")
        assert response.status_code == 400, (path, response.status_code)
        assert "non_field_errors" in response.json()
    assert Document.objects.count() == 0


def test_a_malformed_project_id_is_a_json_404(world):
    response = world.client(world.officer).get("/api/v1/projects/not-a-uuid/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_password_guessing_is_rate_limited(world, auth_rate):
    from rest_framework.test import APIClient

    auth_rate("3/min")
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/auth/token/", {"username": "officer", "password": "x"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    document = drive(world, new_document(world), "awaiting_signatures")
    codes = [
        act(world, world.officer, document.pk, "sign", {"password": "x"}).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    assert Document.objects.get(pk=document.pk).next_signer_id == world.officer.pk


def test_the_rate_limit_is_the_one_in_force_not_the_one_at_import(world, monkeypatch):
    # REST framework's throttle keeps the rates it saw when first imported; a process whose
    # first import came while a setting lacked the "auth" scope answered every signature with
    # a 500. The throttles read the rates at the request.
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"verify": "3/min"})
    document = drive(world, new_document(world), "awaiting_signatures")
    signed = act(world, world.officer, document.pk, "sign", {"password": PASSWORD})
    assert signed.status_code == 200, signed.content
    assert Document.objects.get(pk=document.pk).next_signer_id != world.officer.pk


def test_someone_elses_bad_field_comments_are_a_403(world):
    document = drive(world, new_document(world), "under_review")
    response = act(
        world,
        world.reviewer2,
        document.pk,
        "request-changes",
        {"comment": "x", "field_comments": {"no_such_field": "x"}},
    )
    assert response.status_code == 403

"""The whole lifecycle of the API contract, over HTTP, for all five types."""

from __future__ import annotations

import pytest

from approvals.models import Review, Signature
from forms_templates.registry import all_types, get_type, prerequisites
from tests.helpers import (
    PASSWORD,
    act,
    complete_data,
    create_project,
    fill_checklist,
    ok,
    upload_required,
)
from workflow.models import AuditEvent, Document, DocumentVersion, Project

pytestmark = pytest.mark.django_db


def _signers(world, type_key: str):
    by_role = {
        "author": world.officer,
        "head_of_ict": world.ict_head,
        "accounting_officer": world.accounting_officer,
        "system_owner": world.system_owner,
        "head_of_procurement": world.procurement_head,
        "head_of_hr": world.hr_head,
        # The mailbox request's named people (tests/helpers.NAMED_PEOPLE).
        "requesting_servant": world.officer,
        "supervisor": world.ict_head,
    }
    return [by_role[s.role] for s in get_type(type_key).signatories]


def _project_ready_for(world, type_key: str) -> Project | None:
    if not get_type(type_key).needs_project:
        return None
    project = create_project(world, name=f"Mradi wa {type_key}")
    for prerequisite in prerequisites(type_key):
        document_id = _create(world, prerequisite, project)
        _sign_and_submit(world, prerequisite, document_id)
        ok(act(world, world.reviewer, document_id, "claim"))
        fill_checklist(document_id, by=world.reviewer)
        ok(act(world, world.reviewer, document_id, "approve"))
    return project


def _create(world, type_key: str, project: Project | None) -> str:
    officer = world.client(world.officer)
    body = {
        "type": type_key,
        "title": "Hati ya majaribio",
        "project": str(project.pk) if project else None,
    }
    document = ok(officer.post("/api/v1/documents/", body, format="json"), 201)
    assert document["status"] == "draft"
    assert document["allowed_actions"] == ["request-signatures", "withdraw"]
    ok(
        officer.patch(
            f"/api/v1/documents/{document['id']}/", {"data": complete_data(type_key)}, format="json"
        )
    )
    upload_required(world, world.officer, document["id"], type_key)
    return document["id"]


def _sign_and_submit(world, type_key: str, document_id: str) -> dict:
    body = ok(act(world, world.officer, document_id, "request-signatures"))
    assert body["status"] == "awaiting_signatures"
    signers = _signers(world, type_key)
    assert [s["signer"] for s in body["signatures"]] == [u.username for u in signers]
    for index, signer in enumerate(signers):
        body = ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
        assert body["signatures"][index]["status"] == "signed"
    assert body["status"] == "signed"
    body = ok(act(world, world.officer, document_id, "submit"))
    assert body["status"] == "submitted"
    assert body["reference"].startswith(f"EGA/{get_type(type_key).code}/")
    return body


@pytest.mark.parametrize("type_key", list(all_types()))
def test_each_type_goes_from_draft_to_approved_with_its_trail(world, type_key):
    project = _project_ready_for(world, type_key)
    document_id = _create(world, type_key, project)
    _sign_and_submit(world, type_key, document_id)

    queue = ok(world.client(world.reviewer).get("/api/v1/review-queue/"))
    assert document_id in [d["id"] for d in queue["results"]]
    ok(act(world, world.reviewer, document_id, "claim"))
    fill_checklist(document_id, by=world.reviewer)
    body = ok(act(world, world.reviewer, document_id, "approve", {"comment": "Imekubaliwa"}))

    assert body["status"] == "approved"
    assert body["verification_code"]
    document = Document.objects.get(pk=document_id)
    signer_count = len(get_type(type_key).signatories)
    actions = list(AuditEvent.objects.filter(document=document).values_list("action", flat=True))
    assert actions == [
        "create",
        "edit",
        *["attachment-add"] * len(get_type(type_key).required_attachments),
        "request-signatures",
        *["sign"] * signer_count,
        "submit",
        "claim",
        "checklist",
        "approve",
    ]
    assert DocumentVersion.objects.filter(document=document).count() == 1
    signatures = Signature.objects.filter(document=document, active=True)
    assert {s.status for s in signatures} == {"signed"}
    assert {s.content_hash for s in signatures} == {document.content_hash}
    review = Review.objects.get(document=document)
    assert (review.decision, review.comment, review.reviewer) == (
        "approved",
        "Imekubaliwa",
        world.reviewer,
    )
    history = ok(world.client(world.officer).get(f"/api/v1/documents/{document_id}/history/"))
    assert [e["action"] for e in history["results"]] == actions


def test_an_approved_completion_report_completes_the_project(world):
    project = _project_ready_for(world, "completion_report")
    assert Project.objects.get(pk=project.pk).stage == "implementation"
    document_id = _create(world, "completion_report", project)
    _sign_and_submit(world, "completion_report", document_id)
    ok(act(world, world.reviewer, document_id, "claim"))
    fill_checklist(document_id, by=world.reviewer)
    ok(act(world, world.reviewer, document_id, "approve"))
    assert Project.objects.get(pk=project.pk).stage == "completed"


def test_a_rejected_document_is_final_with_its_reason(world):
    project = _project_ready_for(world, "concept_note")
    document_id = _create(world, "concept_note", project)
    _sign_and_submit(world, "concept_note", document_id)
    ok(act(world, world.reviewer, document_id, "claim"))
    body = ok(act(world, world.reviewer, document_id, "reject", {"reason": "Haiendani na mkakati"}))
    assert body["status"] == "rejected"
    assert body["allowed_actions"] == []
    review = Review.objects.get(document_id=document_id)
    assert (review.decision, review.comment) == ("rejected", "Haiendani na mkakati")
    event = AuditEvent.objects.filter(document_id=document_id).last()
    assert (event.action, event.payload["reason"]) == ("reject", "Haiendani na mkakati")
    # A rejected concept note no longer blocks a new one.
    ok(
        world.client(world.officer).post(
            "/api/v1/documents/",
            {"type": "concept_note", "title": "Jaribio la pili", "project": str(project.pk)},
            format="json",
        ),
        201,
    )


def test_a_declined_document_returns_to_draft_and_everyone_signs_again(world):
    project = _project_ready_for(world, "concept_note")
    document_id = _create(world, "concept_note", project)
    ok(act(world, world.officer, document_id, "request-signatures"))
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    # The concept note's second signer is the system owner (issue 15's chain).
    body = ok(
        act(world, world.system_owner, document_id, "decline", {"reason": "Bajeti haijakamilika"})
    )
    assert body["status"] == "draft"
    assert [s["status"] for s in body["signatures"]] == ["signed", "declined", "pending", "pending"]
    assert body["signatures"][1]["reason"] == "Bajeti haijakamilika"

    # Editing the declined (frozen) version starts version 2; the next round starts from scratch.
    # (The budget's total and its lines change together: the total must be the lines' sum.)
    line = {"item": "Seva", "cost_category": "hardware", "financial_year": "2026/27"}
    line |= {"quantity": 1, "unit_cost": 999, "amount": 999}
    budget = {"total_budget": 999, "budget_items": [line]}
    body = ok(
        world.client(world.officer).patch(
            f"/api/v1/documents/{document_id}/", {"data": budget}, format="json"
        )
    )
    assert body["version"] == 2
    body = ok(act(world, world.officer, document_id, "request-signatures"))
    assert [s["status"] for s in body["signatures"]] == ["pending"] * 4
    assert {s["version"] for s in body["signatures"]} == {2}
    assert Signature.objects.filter(document_id=document_id, active=False).count() == 4


def test_returned_for_changes_then_edited_is_a_new_version_that_all_sign_again(world):
    project = _project_ready_for(world, "concept_note")
    document_id = _create(world, "concept_note", project)
    first = _sign_and_submit(world, "concept_note", document_id)
    ok(act(world, world.reviewer, document_id, "claim"))
    body = ok(
        act(
            world,
            world.reviewer,
            document_id,
            "request-changes",
            {"comment": "Ongeza hatari", "field_comments": {"risks": "Hakuna hatari za usalama"}},
        )
    )
    assert body["status"] == "changes_requested"
    assert body["assignee"] is None
    assert body["reviews"][-1]["field_comments"] == {"risks": "Hakuna hatari za usalama"}
    old_hash = body["content_hash"]

    risks = [{"risk": "Mashambulizi ya mtandao", "likelihood": "high", "mitigation": "Ngome"}]
    body = ok(
        world.client(world.officer).patch(
            f"/api/v1/documents/{document_id}/", {"data": {"risks": risks}}, format="json"
        )
    )
    assert (body["version"], body["status"]) == (2, "changes_requested")
    assert body["content_hash"] != old_hash
    # The old version's signatures no longer count.
    assert body["signatures"] == []
    assert "submit" not in body["allowed_actions"]

    second = _sign_and_submit(world, "concept_note", document_id)
    assert second["reference"] == first["reference"]
    assert {s["version"] for s in second["signatures"]} == {2}
    # The resubmission is reserved for the reviewer who returned it, until they release it.
    assert (second["status"], second["assignee"]) == ("submitted", "reviewer")
    ok(act(world, world.reviewer, document_id, "release"))
    ok(act(world, world.reviewer2, document_id, "claim"))
    fill_checklist(document_id, by=world.reviewer2)
    body = ok(act(world, world.reviewer2, document_id, "approve"))
    assert body["status"] == "approved"

    versions = DocumentVersion.objects.filter(document_id=document_id).order_by("number")
    assert [(v.number, v.content_hash == old_hash) for v in versions] == [(1, True), (2, False)]
    assert versions[1].data["risks"] == risks
    signed_v2 = Signature.objects.filter(document_id=document_id, version=2, status="signed")
    assert signed_v2.count() == 4
    assert set(signed_v2.values_list("content_hash", flat=True)) == {versions[1].content_hash}
    submits = AuditEvent.objects.filter(document_id=document_id, action="submit")
    assert [e.payload["resubmission"] for e in submits] == [False, True]


def test_release_puts_the_document_back_in_the_queue_for_another_reviewer(world):
    project = _project_ready_for(world, "concept_note")
    document_id = _create(world, "concept_note", project)
    _sign_and_submit(world, "concept_note", document_id)
    ok(act(world, world.reviewer, document_id, "claim"))
    mine = ok(world.client(world.reviewer).get("/api/v1/review-queue/?assignee=me"))
    assert [d["id"] for d in mine["results"]] == [document_id]
    body = ok(act(world, world.reviewer, document_id, "release"))
    assert (body["status"], body["assignee"]) == ("submitted", None)
    body = ok(act(world, world.reviewer2, document_id, "claim"))
    assert body["assignee"] == "reviewer2"


def test_the_author_can_withdraw_a_submitted_document(world):
    project = _project_ready_for(world, "concept_note")
    document_id = _create(world, "concept_note", project)
    _sign_and_submit(world, "concept_note", document_id)
    body = ok(act(world, world.officer, document_id, "withdraw", {"reason": "Tumebadili mpango"}))
    assert body["status"] == "withdrawn"
    queue = ok(world.client(world.reviewer).get("/api/v1/review-queue/"))
    assert queue["count"] == 0


def test_email_account_request_needs_no_project(world):
    officer = world.client(world.officer)
    body = ok(
        officer.post(
            "/api/v1/documents/",
            {"type": "email_account_request", "title": "Barua pepe ya Amina", "project": None},
            format="json",
        ),
        201,
    )
    assert body["project"] is None
    refused = officer.post(
        "/api/v1/documents/",
        {"type": "email_account_request", "title": "x", "project": str(create_project(world).pk)},
        format="json",
    )
    assert refused.status_code == 400
    assert "project" in refused.json()


def test_signature_requests_list_only_the_next_signer(world):
    project = _project_ready_for(world, "concept_note")
    document_id = _create(world, "concept_note", project)
    ok(act(world, world.officer, document_id, "request-signatures"))
    inbox = lambda user: [  # noqa: E731
        d["id"] for d in ok(world.client(user).get("/api/v1/signature-requests/"))["results"]
    ]
    assert inbox(world.officer) == [document_id]
    assert inbox(world.system_owner) == []
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    assert inbox(world.officer) == []
    assert inbox(world.system_owner) == [document_id]
    assert inbox(world.ict_head) == []

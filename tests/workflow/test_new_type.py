"""A new document type is one definition: its project rules, its rules across fields, its
signatories and its reference code come from it, with nothing else to change.

The sixth type is registered here, in the test, from one definition; nothing in the code names
it. It is then driven through the API as any outside client would: create, fill, sign, submit,
claim, approve.
"""

from __future__ import annotations

import pytest
from django.core import checks
from django.db.models import Q, UniqueConstraint

from forms_templates import registry
from forms_templates.definitions import (
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.rules import DateOrder
from forms_templates.signatories import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    PREPARED_BY,
)
from tests.helpers import PASSWORD, act, complete_data, create_project, drive, new_document, ok
from workflow.models import AuditEvent, Document, Project

pytestmark = pytest.mark.django_db

SECURITY_REVIEW = DocumentType(
    key="security_review",
    code="SR",
    name=T("Tathmini ya Usalama wa Mfumo", "System security review"),
    description=T(
        "Kuthibitisha kuwa mfumo umefanyiwa tathmini ya usalama kabla ya kukamilika.",
        "To confirm that a system's security was reviewed before it is completed.",
    ),
    sections=(
        Section(
            key="review",
            title=T("Tathmini", "Review"),
            items=(
                Field("reviewed_by", "text", T("Imefanywa na", "Reviewed by"), required=True),
                Field("started_on", "date", T("Ilianza", "Started on"), required=True),
                Field("finished_on", "date", T("Ilimalizika", "Finished on"), required=True),
                Table(
                    "findings",
                    T("Matokeo", "Findings"),
                    required=True,
                    columns=(
                        Field("finding", "text", T("Tokeo", "Finding"), required=True),
                        Field("fixed_on", "date", T("Lilirekebishwa", "Fixed on")),
                    ),
                ),
            ),
        ),
    ),
    signatories=(PREPARED_BY, CHECKED_BY_HEAD_OF_ICT, APPROVED_BY_ACCOUNTING_OFFICER),
    one_per_project=True,
    requires_approved=("concept_note",),
    advances_project_to="completed",
    rules=(
        DateOrder(
            "finished_not_before_started",
            earlier="started_on",
            later="finished_on",
            message=T(
                "Tathmini haiwezi kumalizika kabla ya kuanza.",
                "The review cannot finish before it started.",
            ),
        ),
    ),
)


@pytest.fixture
def sixth_type():
    registry.register(SECURITY_REVIEW)
    yield SECURITY_REVIEW
    registry.unregister(SECURITY_REVIEW.key)


def _create(world, project):
    return world.client(world.officer).post(
        "/api/v1/documents/",
        {"type": "security_review", "title": "Tathmini ya usalama", "project": str(project.pk)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_sixth_type_from_one_definition_goes_from_draft_to_approved(world, sixth_type):
    listed = ok(world.client().get("/api/v1/document-types/"))["results"]
    assert [t["key"] for t in listed][-1] == "security_review"
    described = ok(world.client().get("/api/v1/document-types/security_review/"))
    assert described["requires_approved"] == ["concept_note"]
    assert [r["code"] for r in described["rules"]] == [
        "finished_not_before_started",
        "findings_rows_required",
    ]
    template = world.client().get("/api/v1/document-types/security_review/template.docx")
    assert template.status_code == 200 and template.content.startswith(b"PK")

    project = create_project(world)
    refused = _create(world, project)  # before the concept note is approved
    assert (refused.status_code, refused.json()["code"]) == (409, "gating")
    assert "concept note" in refused.json()["detail"].lower()
    drive(world, new_document(world, "concept_note", project=project), "approved")

    document_id = ok(_create(world, project), 201)["id"]
    second = _create(world, project)
    assert (second.status_code, second.json()["code"]) == (409, "security_review_exists")

    client = world.client(world.officer)
    data = {**complete_data("security_review"), "finished_on": "2026-01-01"}
    ok(client.patch(f"/api/v1/documents/{document_id}/", {"data": data}, format="json"))
    refused = act(world, world.officer, document_id, "request-signatures")
    assert refused.status_code == 400
    assert [rule["code"] for rule in refused.json()["rules"]] == ["finished_not_before_started"]
    data["finished_on"] = "2027-02-01"
    ok(client.patch(f"/api/v1/documents/{document_id}/", {"data": data}, format="json"))

    body = ok(act(world, world.officer, document_id, "request-signatures"))
    assert [s["signer"] for s in body["signatures"]] == [
        "officer",
        "ict_head",
        "accounting_officer",
    ]
    for signer in (world.officer, world.ict_head, world.accounting_officer):
        body = ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    body = ok(act(world, world.officer, document_id, "submit"))
    assert body["reference"].startswith("EGA/SR/")
    ok(act(world, world.reviewer, document_id, "claim"))
    body = ok(act(world, world.reviewer, document_id, "approve", {"comment": "Sawa"}))

    assert body["status"] == "approved" and body["verification_code"]
    assert Project.objects.get(pk=project.pk).stage == "completed"
    actions = AuditEvent.objects.filter(document_id=document_id).values_list("action", flat=True)
    assert list(actions) == [
        "create",
        "edit",
        "edit",
        "request-signatures",
        "sign",
        "sign",
        "sign",
        "submit",
        "claim",
        "approve",
    ]


def test_a_withdrawn_one_makes_room_for_another_of_a_one_per_project_type(world, sixth_type):
    project = create_project(world)
    drive(world, new_document(world, "concept_note", project=project), "approved")
    first = Document.objects.get(pk=ok(_create(world, project), 201)["id"])
    drive(world, first, "withdrawn")
    assert _create(world, project).status_code == 201


def test_the_database_constraints_are_derived_from_the_registry():
    from forms_templates.registry import all_types

    constraints = {c.name: c for c in Document._meta.constraints}
    discovered = registry._discovered().values()
    one_each = {f"document_one_{d.key}" for d in discovered if d.one_per_project}
    assert one_each == {"document_one_concept_note"}
    assert one_each <= set(constraints)
    unique = constraints["document_one_concept_note"]
    assert isinstance(unique, UniqueConstraint) and unique.fields == ("project",)
    no_project = [d.key for d in all_types().values() if not d.needs_project]
    assert no_project == ["email_account_request"]
    expected = Q(project__isnull=False)
    for key in no_project:
        expected |= Q(type=key)
    assert constraints["document_project_required"].condition == expected


def test_a_definition_that_names_an_unknown_prerequisite_is_refused():
    broken = DocumentType(
        key="orphan",
        code="OR",
        name=T("Yatima", "Orphan"),
        description=T("x", "x"),
        sections=SECURITY_REVIEW.sections,
        signatories=(PREPARED_BY,),
        requires_approved=("no_such_type",),
    )
    with pytest.raises(ValueError, match="no_such_type"):
        registry.register(broken)
    assert registry.get_type("orphan") is None
    with pytest.raises(ValueError, match="defined twice"):
        registry.register(registry.get_type("concept_note"))


def test_a_stage_the_engine_does_not_know_fails_the_system_check(sixth_type):
    from dataclasses import replace

    registry.unregister(sixth_type.key)
    registry.register(replace(sixth_type, advances_project_to="finished", extra={}))
    errors = checks.run_checks()
    assert [e.id for e in errors if e.id.startswith("workflow.")] == ["workflow.E001"]
    registry.unregister(sixth_type.key)
    registry.register(sixth_type)
    assert not [e for e in checks.run_checks() if e.id.startswith("workflow.")]


def test_the_prerequisite_chain_comes_from_the_registry():
    assert registry.prerequisites("completion_report") == ["concept_note", "implementation_report"]
    assert registry.prerequisites("terms_of_reference") == ["concept_note"]
    assert registry.prerequisites("email_account_request") == []

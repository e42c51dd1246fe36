"""Rules across fields over HTTP: a draft saves with them broken; request-signatures and submit
refuse with a 400 naming each broken rule and its fields, and accept once they hold."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Signature
from forms_templates.docx import DOCX_CONTENT_TYPE
from forms_templates.registry import all_types, get_type
from forms_templates.rules import rules_of
from tests.helpers import PASSWORD, act, drive, new_document, ok
from workflow.models import AuditEvent, Document, Institution

pytestmark = pytest.mark.django_db


def _state(document_id):
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.version,
        document.data,
        document.content_hash,
        document.next_signer_id,
        AuditEvent.objects.filter(document_id=document_id).count(),
        Signature.objects.filter(document_id=document_id).count(),
    )


def _patch(world, document, data, **extra):
    return world.client(world.officer).patch(
        f"/api/v1/documents/{document.pk}/", {"data": data}, format="json", **extra
    )


def _refused_by(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"rules"}, body  # complete, so nothing is missing: only rules
    for rule in body["rules"]:
        assert set(rule) == {"code", "fields", "message", "detail"}
        assert rule["message"] and rule["detail"]
    return {rule["code"]: rule["fields"] for rule in body["rules"]}


def test_an_end_date_before_the_start_date_saves_but_cannot_go_for_signature(world):
    document = new_document(world, "concept_note")
    body = ok(_patch(world, document, {"start_date": "2027-06-01", "end_date": "2027-01-01"}))
    assert Document.objects.get(pk=document.pk).data["end_date"] == "2027-01-01"  # saved
    assert "end_not_before_start" in {rule["code"] for rule in body["broken_rules"]}
    before = _state(document.pk)

    broken = _refused_by(act(world, world.officer, document.pk, "request-signatures"))
    assert broken["end_not_before_start"] == ["start_date", "end_date"]
    # The milestones (due 2027-01-15) cannot fall within a period that ends before it starts.
    assert broken["milestones_within_project"] == [
        "milestones[1].due_date",
        "start_date",
        "end_date",
    ]
    assert _state(document.pk) == before

    ok(_patch(world, document, {"end_date": "2027-12-31", "start_date": "2027-01-01"}))
    body = ok(act(world, world.officer, document.pk, "request-signatures"))
    assert body["status"] == "awaiting_signatures"
    assert body["broken_rules"] == []


def test_a_total_budget_of_999_against_465_million_of_lines_is_refused_by_name(world):
    document = new_document(world, "concept_note")
    # Budget lines as form version 2 asks them: category, financial year, quantity × unit cost.
    lines = [
        {
            "item": "Seva",
            "cost_category": "hardware",
            "financial_year": "2026/27",
            "quantity": 4,
            "unit_cost": 100_000_000,
            "amount": 400_000_000,
        },
        {
            "item": "Mafunzo",
            "cost_category": "training",
            "financial_year": "2027/28",
            "quantity": 1,
            "unit_cost": 65_000_000,
            "amount": 65_000_000,
        },
    ]
    ok(_patch(world, document, {"total_budget": 999, "budget_items": lines}))
    before = _state(document.pk)

    response = act(world, world.officer, document.pk, "request-signatures")
    assert _refused_by(response) == {
        "total_budget_matches_items": [
            "total_budget",
            "budget_items[1].amount",
            "budget_items[2].amount",
        ]
    }
    [rule] = response.json()["rules"]
    assert rule["message"] == "Jumla ya bajeti lazima ilingane na jumla ya vipengele vya bajeti."
    assert rule["detail"] == "Kilichoandikwa: 999; jumla ya mistari ni 465,000,000."
    assert _state(document.pk) == before

    ok(_patch(world, document, {"total_budget": 465_000_000}))
    ok(act(world, world.officer, document.pk, "request-signatures"))


def test_a_gmail_mailbox_is_refused_and_one_in_the_institutions_domain_accepted(world):
    document = new_document(world, "email_account_request")
    ok(_patch(world, document, {"requested_address": "amina.mollel@gmail.com"}))
    before = _state(document.pk)
    response = act(world, world.officer, document.pk, "request-signatures")
    assert _refused_by(response) == {"address_in_institution_domain": ["requested_address"]}
    assert "gmail.com" in response.json()["rules"][0]["detail"]
    assert _state(document.pk) == before

    ok(_patch(world, document, {"requested_address": "amina.mollel@afya.go.tz"}))
    ok(act(world, world.officer, document.pk, "request-signatures"))


def test_with_no_mail_domain_set_no_mailbox_request_goes_for_signature(world):
    Institution.objects.filter(pk=world.moh.pk).update(mail_domains="")
    document = new_document(world, "email_account_request")
    ok(_patch(world, document, {"new_address": None}))  # a new account: no new address
    response = world.client(world.officer).post(
        f"/api/v1/documents/{document.pk}/request-signatures/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _refused_by(response) == {"address_in_institution_domain": ["requested_address"]}
    [rule] = response.json()["rules"]
    assert rule["message"] == "The requested address must be in your institution's own mail domain."
    assert "no mail domain set" in rule["detail"]
    Institution.objects.filter(pk=world.moh.pk).update(mail_domains="moh.go.tz, afya.go.tz")
    ok(act(world, world.officer, document.pk, "request-signatures"))


def test_submit_refuses_a_rule_broken_since_signing(world):
    document = new_document(world, "email_account_request")
    ok(_patch(world, document, {"new_address": None}))  # a new account: no new address
    document = drive(world, document, "signed")
    Institution.objects.filter(pk=world.moh.pk).update(mail_domains="moh.go.tz")
    before = _state(document.pk)
    response = act(world, world.officer, document.pk, "submit")
    assert _refused_by(response) == {"address_in_institution_domain": ["requested_address"]}
    assert _state(document.pk) == before
    assert Document.objects.get(pk=document.pk).reference is None
    Institution.objects.filter(pk=world.moh.pk).update(mail_domains="afya.go.tz")
    assert ok(act(world, world.officer, document.pk, "submit"))["status"] == "submitted"


def test_percentages_over_100_save_but_do_not_go_for_signature(world):
    document = new_document(world, "implementation_report")
    ok(_patch(world, document, {"percent_complete": 150}))
    response = act(world, world.officer, document.pk, "request-signatures")
    assert _refused_by(response) == {"percent_complete_range": ["percent_complete"]}
    ok(_patch(world, document, {"percent_complete": 100}))
    ok(act(world, world.officer, document.pk, "request-signatures"))


def test_missing_answers_and_broken_rules_are_refused_together(world):
    document = new_document(world, "concept_note", fill=False)
    ok(_patch(world, document, {"start_date": "2027-06-01", "end_date": "2027-01-01"}))
    response = act(world, world.officer, document.pk, "request-signatures")
    assert response.status_code == 400
    body = response.json()
    assert "project_owner" in body["data"] and "milestones" in body["data"]
    codes = [rule["code"] for rule in body["rules"]]
    assert codes == [
        "end_not_before_start",
        "similar_systems_rows_required",
        "milestones_rows_required",
        "budget_items_rows_required",
    ]


def test_someone_else_asking_for_signatures_is_a_403_even_with_rules_broken(world):
    document = new_document(world, "concept_note")
    ok(_patch(world, document, {"total_budget": 1}))
    assert act(world, world.ict_head, document.pk, "request-signatures").status_code == 403


def test_a_word_import_with_a_broken_rule_saves_and_names_it_and_signing_waits(world):
    document = new_document(world, "concept_note")
    ok(_patch(world, document, {"total_budget": 999}))
    client = world.client(world.officer)
    exported = client.get(f"/api/v1/documents/{document.pk}/docx/").content
    ok(_patch(world, document, {"total_budget": 1_500_000}))  # the draft holds, the file not
    response = client.post(
        f"/api/v1/documents/{document.pk}/import-docx/",
        {"file": SimpleUploadedFile("fomu.docx", exported, content_type=DOCX_CONTENT_TYPE)},
        format="multipart",
    )
    body = ok(response)
    assert body["data"]["total_budget"] == 999
    assert [rule["code"] for rule in body["broken_rules"]] == ["total_budget_matches_items"]
    edit = AuditEvent.objects.filter(document_id=document.pk).order_by("seq").last()
    assert (edit.action, edit.payload["source"]) == ("edit", "docx")
    response = act(world, world.officer, document.pk, "request-signatures")
    assert set(_refused_by(response)) == {"total_budget_matches_items"}


@pytest.mark.parametrize("key", list(all_types()))
def test_each_type_publishes_its_rules(world, key):
    body = ok(world.client().get(f"/api/v1/document-types/{key}/"))
    assert [rule["code"] for rule in body["rules"]] == [r.code for r in rules_of(get_type(key))]
    for rule in body["rules"]:
        assert set(rule["message"]) == {"sw", "en"}
        assert isinstance(rule["fields"], list) and rule["fields"]
    assert body["one_per_project"] is get_type(key).one_per_project


def test_the_concept_notes_published_rules_name_their_fields(world):
    body = ok(world.client().get("/api/v1/document-types/concept_note/"))
    rules = {rule["code"]: rule for rule in body["rules"]}
    assert rules["total_budget_matches_items"] == {
        "code": "total_budget_matches_items",
        "kind": "sum_equals",
        "fields": ["total_budget", "budget_items[*].amount"],
        "message": {
            "sw": "Jumla ya bajeti lazima ilingane na jumla ya vipengele vya bajeti.",
            "en": "The total budget must equal the sum of the budget items.",
        },
        "total": "total_budget",
        "lines": "budget_items[*].amount",
    }
    assert rules["end_not_before_start"]["fields"] == ["start_date", "end_date"]


def test_the_openapi_schema_describes_rules_and_the_refusal(world):
    schema = world.client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert "rules" in components["DocumentTypeDetail"]["properties"]
    assert set(components["BrokenRule"]["properties"]) == {"code", "fields", "message", "detail"}
    assert "broken_rules" in components["DocumentDetail"]["properties"]
    action = schema["paths"]["/api/v1/documents/{id}/{action}/"]["post"]
    assert "400" in action["responses"]


def test_a_signed_document_everyone_signed_still_submits_when_its_rules_hold(world):
    document = drive(world, new_document(world, "concept_note"), "awaiting_signatures")
    # The concept note's chain (issue 15): author, system owner, head of ICT, accounting officer.
    for signer in (world.officer, world.system_owner, world.ict_head, world.accounting_officer):
        ok(act(world, signer, document.pk, "sign", {"password": PASSWORD}))
    assert ok(act(world, world.officer, document.pk, "submit"))["status"] == "submitted"

"""A document's versions and what changed between them, over the API, as its readers see them."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.selectors import last_version_seen
from tests.helpers import PASSWORD, act, complete_data, drive, new_document, ok
from workflow.models import AuditEvent, Document, DocumentVersion
from workflow.services import document_update

pytestmark = pytest.mark.django_db

RISKS_V1 = [
    {"risk": "Kukatika kwa umeme", "likelihood": "high", "mitigation": "Jenereta"},
    {"risk": "Mtandao kukosekana", "likelihood": "medium", "mitigation": "Laini mbili"},
    {"risk": "Wizi wa vifaa", "likelihood": "low", "mitigation": "Walinzi"},
]


def _iso(moment: datetime) -> str:
    """As the API writes a time: in the site's time zone."""
    from rest_framework.fields import DateTimeField

    return DateTimeField().to_representation(moment)


def _versions(world, user, document_id) -> list[dict]:
    return ok(world.client(user).get(f"/api/v1/documents/{document_id}/versions/"))


def _diff(world, user, document_id, a, b) -> dict:
    return ok(world.client(user).get(f"/api/v1/documents/{document_id}/versions/{a}/diff/{b}/"))


def _returned(world):
    """A concept note with three risks, signed, submitted and returned for changes (version 1)."""
    document = new_document(world)
    document_update(document_id=document.pk, by=world.officer, data={"risks": RISKS_V1})
    return drive(world, document, "changes_requested")


def _patch(world, document_id, body) -> dict:
    return ok(
        world.client(world.officer).patch(f"/api/v1/documents/{document_id}/", body, format="json")
    )


def test_a_draft_never_sent_is_one_version_that_is_not_frozen(world):
    document = new_document(world)
    (only,) = _versions(world, world.officer, document.pk)
    assert only == {
        "version": 1,
        "title": document.title,
        "content_hash": document.content_hash,
        "created_at": only["created_at"],
        "created_by": "officer",
        "changed_fields": [],
        "frozen": False,
    }
    last_edit = AuditEvent.objects.filter(document=document, action="edit").last()
    assert datetime.fromisoformat(only["created_at"]) == last_edit.created_at
    assert not DocumentVersion.objects.filter(document=document).exists()


def test_request_changes_edit_and_resubmit_shows_the_edit_in_the_versions(world):
    document = _returned(world)
    version_1 = DocumentVersion.objects.get(document=document, number=1)
    assert _versions(world, world.officer, document.pk) == [
        {
            "version": 1,
            "title": document.title,
            "content_hash": version_1.content_hash,
            "created_at": _iso(version_1.created_at),
            "created_by": "officer",
            "changed_fields": [],
            "frozen": True,
        }
    ]

    risks = [RISKS_V1[0], {**RISKS_V1[1], "likelihood": "high"}]  # one changed, one removed
    body = _patch(world, document.pk, {"title": "Dhana iliyorekebishwa", "data": {"risks": risks}})
    assert (body["version"], body["status"]) == (2, "changes_requested")

    # Before anyone signs again, version 2 is the edited draft, and "since version 1" shows it.
    v1, v2 = _versions(world, world.reviewer, document.pk)
    assert (v1["version"], v1["frozen"]) == (1, True)
    assert (v2["version"], v2["frozen"], v2["created_by"]) == (2, False, "officer")
    assert v2["changed_fields"] == ["title", "risks"]
    assert v2["content_hash"] == body["content_hash"]
    diff = _diff(world, world.officer, document.pk, 1, 2)
    assert (diff["from"], diff["to"]) == (1, 2)
    assert [(c["field"], c["kind"], c["old"], c["new"]) for c in diff["changes"]] == [
        ("title", "changed", document.title, "Dhana iliyorekebishwa"),
        ("risks[2].likelihood", "changed", "medium", "high"),
        ("risks[3]", "removed", RISKS_V1[2], None),
    ]

    drive(world, Document.objects.get(pk=document.pk), "submitted")
    after = _versions(world, world.reviewer, document.pk)
    assert [(v["version"], v["frozen"], v["changed_fields"]) for v in after] == [
        (1, True, []),
        (2, True, ["title", "risks"]),
    ]
    frozen_2 = DocumentVersion.objects.get(document=document, number=2)
    assert after[1]["content_hash"] == frozen_2.content_hash == body["content_hash"]
    assert _diff(world, world.reviewer, document.pk, 1, 2) == diff
    # The other way round, the same changes reversed.
    back = _diff(world, world.reviewer, document.pk, 2, 1)["changes"]
    assert [(c["field"], c["kind"]) for c in back] == [
        ("title", "changed"),
        ("risks[2].likelihood", "changed"),
        ("risks[3]", "added"),
    ]
    assert _diff(world, world.reviewer, document.pk, 2, 2)["changes"] == []


def test_the_diff_of_a_table_with_rows_added_removed_and_changed(world):
    document = _returned(world)
    inserted = {"risk": "Mafuriko", "likelihood": "low", "mitigation": "Seva juu"}
    risks = [
        RISKS_V1[0],
        inserted,
        {**RISKS_V1[1], "mitigation": "Laini mbili za watoa huduma tofauti"},
        {"risk": "Virusi", "likelihood": "medium"},
    ]
    _patch(world, document.pk, {"data": {"risks": risks, "scope": "Hospitali kumi za mikoa."}})
    changes = _diff(world, world.officer, document.pk, 1, 2)["changes"]
    by_field = {c["field"]: c for c in changes if c["field"].startswith("risks")}
    assert [(c["field"], c["kind"]) for c in by_field.values()] == [
        ("risks[2]", "added"),
        ("risks[3].mitigation", "changed"),
        ("risks[3]", "removed"),
        ("risks[4]", "added"),
    ]
    assert by_field["risks[2]"]["new"] == inserted
    assert by_field["risks[3].mitigation"]["words"] == [
        ["equal", "Laini mbili "],
        ["insert", "za watoa huduma tofauti"],
    ]
    scope = next(c for c in changes if c["field"] == "scope")
    assert scope["old"] == complete_data("concept_note")["scope"]
    assert ["insert", "Hospitali kumi za mikoa."] in scope["words"]


def test_each_edit_records_the_fields_it_changed_and_the_chain_still_verifies(world):
    document = new_document(world, fill=False)
    _patch(world, document.pk, {"data": {"scope": "Wigo", "stakeholders": "Wadau"}})
    # "scope" sent again unchanged; the title sent unchanged; "stakeholders" cleared.
    _patch(
        world,
        document.pk,
        {"title": document.title, "data": {"scope": "Wigo", "stakeholders": None, "risks": []}},
    )
    first, second = AuditEvent.objects.filter(document=document, action="edit").order_by("seq")
    assert first.payload["changed_fields"] == ["scope", "stakeholders"]
    assert second.payload["fields"] == ["risks", "scope", "stakeholders"]
    assert second.payload["changed_fields"] == ["stakeholders"]
    assert second.payload["title_changed"] is False
    history = ok(world.client(world.officer).get(f"/api/v1/documents/{document.pk}/history/"))
    assert history["results"][-1]["payload"]["changed_fields"] == ["stakeholders"]
    call_command("verify_audit")  # exits 1 on a broken chain


def test_another_institutions_document_and_a_reviewers_draft_are_404(world):
    returned = _returned(world)
    draft = new_document(world)
    client = world.client(world.officer_moe)
    for path in ("versions/", "versions/1/diff/1/"):
        response = client.get(f"/api/v1/documents/{returned.pk}/{path}")
        assert response.status_code == 404, response.content
        assert response.json()["detail"] == "Hati hiyo haipo."
        # Agency staff never see a draft that was not submitted.
        response = world.client(world.reviewer).get(f"/api/v1/documents/{draft.pk}/{path}")
        assert response.status_code == 404
        assert world.client().get(f"/api/v1/documents/{returned.pk}/{path}").status_code == 401
    reviewer = world.client(world.reviewer)
    assert reviewer.get(f"/api/v1/documents/{returned.pk}/versions/").status_code == 200


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("1", "3", "Hati hii haina toleo la 3: ina toleo la 1 pekee."),
        ("0", "1", "Hati hii haina toleo la 0: ina toleo la 1 pekee."),
        ("moja", "1", "“moja” si namba ya toleo: matoleo yanahesabiwa 1, 2, 3…"),
        ("1", "-1", "“-1” si namba ya toleo: matoleo yanahesabiwa 1, 2, 3…"),
    ],
)
def test_a_version_the_document_does_not_have_is_a_404_that_says_so(world, a, b, message):
    document = _returned(world)
    response = world.client(world.officer).get(
        f"/api/v1/documents/{document.pk}/versions/{a}/diff/{b}/"
    )
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": message, "code": "no_such_version"}


def test_the_english_message_names_the_versions_there_are(world):
    document = _returned(world)
    _patch(world, document.pk, {"data": {"scope": "Wigo mpya"}})
    response = world.client(world.officer).get(
        f"/api/v1/documents/{document.pk}/versions/1/diff/7/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "This document has no version 7: its versions are 1 to 2."


def _return_edit_and_resend(world, document, scope: str):
    document_update(document_id=document.pk, by=world.officer, data={"scope": scope})
    return drive(world, Document.objects.get(pk=document.pk), "changes_requested")


def test_the_versions_list_costs_the_same_queries_for_two_versions_and_for_six(world):
    document = _return_edit_and_resend(world, _returned(world), "Wigo 2")

    def count() -> tuple[int, int]:
        client = world.client(world.officer)  # a fresh caller: their roles are read again
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/documents/{document.pk}/versions/")
        assert response.status_code == 200
        return len(captured.captured_queries), len(response.json())

    small = count()
    for number in range(3, 7):
        _return_edit_and_resend(world, document, f"Wigo {number}")
    large = count()
    assert (small[1], large[1]) == (2, 6)
    # The caller's roles, the document, its versions (with who sent each).
    assert small[0] == large[0] == 3, (small, large)
    # With the edited, unsent draft as the last version: one query more (its last save).
    document_update(document_id=document.pk, by=world.officer, data={"scope": "Wigo 7"})
    assert count() == (large[0] + 1, 7)


def test_the_version_a_signatory_last_signed_is_where_what_changed_starts(world):
    document = _returned(world)
    assert last_version_seen(document=document, user=world.ict_head) == 1
    assert last_version_seen(document=document, user=world.reviewer) == 1
    assert last_version_seen(document=document, user=world.reviewer2) is None
    document_update(document_id=document.pk, by=world.officer, data={"scope": "Wigo mpya"})
    act(world, world.officer, document.pk, "request-signatures")
    assert ok(act(world, world.officer, document.pk, "sign", {"password": PASSWORD}))
    # ict_head has not signed version 2 yet: what changed for them starts at version 1.
    assert last_version_seen(document=document, user=world.ict_head) == 1
    assert last_version_seen(document=document, user=world.officer) == 2


def test_the_openapi_schema_describes_both_endpoints():
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["paths"]["/api/v1/documents/{id}/versions/"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"]["type"] == "array"
    diff = schema["paths"]["/api/v1/documents/{id}/versions/{a}/diff/{b}/"]["get"]
    assert {p["name"]: p["schema"]["type"] for p in diff["parameters"]} == {
        "id": "string",
        "a": "integer",
        "b": "integer",
    }
    components = schema["components"]["schemas"]
    assert set(components["DocumentVersion"]["properties"]) >= {
        "version",
        "content_hash",
        "created_at",
        "created_by",
        "changed_fields",
    }
    assert set(components["VersionDiff"]["properties"]) == {"from", "to", "changes"}
    assert set(components["VersionChange"]["required"]) == {"field", "kind", "old", "new"}

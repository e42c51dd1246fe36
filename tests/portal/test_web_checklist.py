"""The review checklist on the document page: the assignee's panel and its form, two reviewers
in turn, approval with and without the override, request-changes filled in from the not-met
notes, and who sees the marks."""

from __future__ import annotations

from approvals.models import ChecklistMark
from forms_templates.registry import get_type
from tests.helpers import act, ok
from tests.portal.test_web_actions import events, post_action, text
from tests.portal.web_helpers import browser, stored, submitted
from workflow.models import Status

CRITERIA = [c.key for c in get_type("email_account_request").checklist]


def claimed(world, reviewer=None) -> str:
    document_id = submitted(world)
    ok(act(world, reviewer or world.reviewer, document_id, "claim"))
    return document_id


def marks_body(marks: dict[str, tuple[str, str]]) -> dict[str, str]:
    body = {}
    for key, (mark, note) in marks.items():
        body[f"mark-{key}"] = mark
        body[f"note-{key}"] = note
    return body


def decide(user, document_id, body: dict):
    """The review page's decision form (portal.views.review_decide)."""
    return browser(user).post(f"/documents/{document_id}/review/decide/", body)


def save(user, document_id, marks, **headers):
    return browser(user).post(
        f"/documents/{document_id}/checklist/", marks_body(marks), headers=headers
    )


def test_the_assignee_marks_the_checklist_in_the_page_and_approves(world):
    document_id = claimed(world)
    page = text(browser(world.reviewer).get(f"/documents/{document_id}/"))
    assert 'id="checklist-form"' in page
    assert f"0 kati ya {len(CRITERIA)} vimewekwa alama" in page
    assert page.count('type="radio"') == 3 * len(CRITERIA)
    assert "Chanzo: e-GA" in page or "Chanzo: Mfumo wa Barua Pepe" in page
    # Not complete yet: the approval's confirmation page names the gap and asks why.
    confirm = text(decide(world.reviewer, document_id, {"decision": "approve"}))
    assert 'id="checklist-gaps"' in confirm and 'name="override_reason"' in confirm
    response = save(world.reviewer, document_id, {k: ("met", "") for k in CRITERIA})
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    assert ChecklistMark.objects.filter(document_id=document_id, mark="met").count() == len(
        CRITERIA
    )
    page = text(browser(world.reviewer).get(f"/documents/{document_id}/"))
    assert f"{len(CRITERIA)} kati ya {len(CRITERIA)} vimewekwa alama" in page
    confirm = text(decide(world.reviewer, document_id, {"decision": "approve"}))
    assert 'id="checklist-gaps"' not in confirm and 'name="override_reason"' not in confirm
    assert stored(document_id).status == Status.UNDER_REVIEW  # asking decided nothing
    done = decide(world.reviewer, document_id, {"decision": "approve", "confirmed": "yes"})
    assert done.status_code == 302
    assert stored(document_id).status == Status.APPROVED
    assert [e for e in events(document_id) if e[0] == "approve"]


def test_a_not_met_without_a_note_is_refused_beside_it_and_nothing_is_saved(world):
    document_id = claimed(world)
    first, second = CRITERIA[:2]
    response = save(world.reviewer, document_id, {first: ("met", ""), second: ("not_met", "")})
    assert response.status_code == 400
    row = text(response).split(f'id="criterion-{second}"')[1].split('class="criterion')[0]
    assert "errorlist" in row and 'value="not_met" checked' in row
    assert not ChecklistMark.objects.filter(document_id=document_id).exists()


def test_with_htmx_only_the_panel_comes_back_saved(world):
    document_id = claimed(world)
    response = save(world.reviewer, document_id, {CRITERIA[0]: ("na", "")}, HX_Request="true")
    assert response.status_code == 200
    body = text(response)
    assert body.startswith('<section class="card checklist" id="checklist"')
    assert f"1 kati ya {len(CRITERIA)}" in body and "Imehifadhiwa" in body
    assert "<html" not in body


def test_two_reviewers_in_turn_see_each_others_marks_with_who(world):
    document_id = claimed(world)
    save(world.reviewer, document_id, {CRITERIA[0]: ("met", "")})
    ok(act(world, world.reviewer, document_id, "release"))
    ok(act(world, world.reviewer2, document_id, "claim"))
    page = text(browser(world.reviewer2).get(f"/documents/{document_id}/"))
    assert "Imewekwa alama na reviewer" in page.split(f'id="criterion-{CRITERIA[0]}"')[1]
    save(world.reviewer2, document_id, {CRITERIA[1]: ("met", "")})
    marks = dict(
        ChecklistMark.objects.filter(document_id=document_id).values_list(
            "criterion", "marked_by__username"
        )
    )
    assert marks == {CRITERIA[0]: "reviewer", CRITERIA[1]: "reviewer2"}
    # The first reviewer no longer holds it: the panel is read-only, a post is refused.
    page = text(browser(world.reviewer).get(f"/documents/{document_id}/"))
    assert 'id="checklist"' in page and 'id="checklist-form"' not in page
    assert save(world.reviewer, document_id, {CRITERIA[2]: ("met", "")}).status_code == 403
    assert ChecklistMark.objects.filter(document_id=document_id).count() == 2


def test_approving_an_incomplete_checklist_names_the_criteria_and_needs_a_reason(world):
    document_id = claimed(world)
    definition = get_type("email_account_request")
    texts = {c.key: c.text.get("sw") for c in definition.checklist}
    save(world.reviewer, document_id, {CRITERIA[0]: ("not_met", "Kikoa hakijathibitishwa")})
    asked = {"decision": "approve", "confirmed": "yes", "override_reason": " "}
    response = decide(world.reviewer, document_id, asked)
    assert response.status_code == 400
    gaps = text(response).split('id="checklist-gaps"')[1].split("</div>")[0]
    assert texts[CRITERIA[0]] in gaps and "Kikoa hakijathibitishwa" in gaps
    assert texts[CRITERIA[1]] in gaps  # not marked at all
    box = text(response).split('name="confirmed"')[1].split("</form>")[0]
    assert 'name="override_reason"' in box and "errorlist" in box
    assert stored(document_id).status == Status.UNDER_REVIEW
    assert not [e for e in events(document_id) if e[0] == "approve"]
    reason = "Waziri ameagiza kwa maandishi"
    response = decide(world.reviewer, document_id, {**asked, "override_reason": reason})
    assert response.status_code == 302
    assert stored(document_id).status == Status.APPROVED
    approve = [e for e in events(document_id) if e[0] == "approve"][-1]
    assert approve[5]["override_reason"] == reason
    assert approve[5]["checklist"]["not_met"] == [CRITERIA[0]]


def test_request_changes_is_filled_in_from_the_not_met_notes(world):
    document_id = claimed(world)
    definition = get_type("email_account_request")
    judged = next(c for c in definition.checklist if c.fields)
    note = "Jina la kitengo halipo"
    save(world.reviewer, document_id, {judged.key: ("not_met", note)})
    page = text(browser(world.reviewer).get(f"/documents/{document_id}/"))
    comment = page.split('id="decision-comment"')[1].split("</textarea>")[0]
    assert note in comment  # the general comment lists the criterion and its note
    field = page.split(f'id="answer-{judged.fields[0]}"')[1].split('class="answer"')[0]
    assert f"{note}</textarea>" in field and '<details class="comment-input" open>' in field
    # Sent as it stands, the pre-filled text is the request and the comment beside the answer.
    body = {"decision": "request-changes", "comment": note, f"fc-{judged.fields[0]}": note}
    assert decide(world.reviewer, document_id, body).status_code == 302
    assert stored(document_id).status == Status.CHANGES_REQUESTED
    request = [e for e in events(document_id) if e[0] == "request-changes"][-1]
    assert request[5]["field_comments"] == {judged.fields[0]: note}


def test_the_officer_sees_the_marks_only_after_the_decision(world):
    document_id = claimed(world)
    save(world.reviewer, document_id, {k: ("met", "") for k in CRITERIA})
    assert 'id="checklist"' not in text(browser(world.officer).get(f"/documents/{document_id}/"))
    other = text(browser(world.reviewer2).get(f"/documents/{document_id}/"))
    assert 'id="checklist"' in other and 'id="checklist-form"' not in other
    post_action(world.reviewer, document_id, "approve", {})
    page = text(browser(world.officer).get(f"/documents/{document_id}/"))
    assert 'id="checklist"' in page and 'id="checklist-form"' not in page
    assert f"{len(CRITERIA)} kati ya {len(CRITERIA)}" in page


def test_the_review_page_costs_the_same_queries_with_one_mark_or_all(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document_id = claimed(world)
    client = browser(world.reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/documents/{document_id}/").status_code == 200
        return len(captured)

    queries()  # the first page of a session fills caches (the header's counts)
    save(world.reviewer, document_id, {CRITERIA[0]: ("not_met", "Haipo")})
    one = queries()
    save(world.reviewer, document_id, {k: ("not_met", f"Haipo {k}") for k in CRITERIA})
    assert queries() == one

"""The reviewer's journey in a real browser (Chromium, Playwright, JavaScript on, under the
site's Content-Security-Policy), at 1366 and 390 pixels: claim, mark the checklist in the page
(each change saved in place by htmx), approve on the confirmation page; the document is approved
and sealed. And with a criterion not met: the confirmation page names it with its note and asks
for the reason, which goes to the audit. axe-core finds no serious or critical violation on the
review page or the confirmation page.

Skipped when /usr/bin/chromium is absent. Set IDHINI_SCREENSHOT_DIR to keep the screenshots.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from approvals.models import ChecklistMark, SealedPdf
from config.after_response import wait_idle
from forms_templates.registry import get_type
from tests.portal.test_officer_journeys import VIEWPORTS, Person, axe_violations, expect
from tests.portal.test_web_browser import CHROMIUM
from tests.portal.web_helpers import stored, submitted
from workflow.models import AuditEvent, Status

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"),
    pytest.mark.usefixtures("dev_seal", "clean_cache"),
]

CRITERIA = [c.key for c in get_type("email_account_request").checklist]


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def shot(page, name: str) -> None:
    folder = os.environ.get("IDHINI_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def claim_in_the_page(reviewer: Person, document_id: str) -> None:
    page = reviewer.page
    reviewer.go(f"/documents/{document_id}/")
    page.click("#action-claim button")
    page.wait_for_selector("#checklist-form")
    expect(page.locator("#checklist-progress")).to_contain_text(f"0 kati ya {len(CRITERIA)}")


def mark(page, key: str, value: str) -> None:
    with page.expect_response(lambda r: r.url.endswith("/checklist/")) as answer:
        page.check(f"#mark-{key}-{value}")
    assert answer.value.status in (200, 400)


def expected_refusals(person: Person) -> int:
    """Drop the console's report of the 400s this journey asks for (a refusal is the answer's
    status, and the browser logs it); the number dropped."""
    refusals = [e for e in person.errors if "400" in e]
    person.errors = [e for e in person.errors if "400" not in e]
    return len(refusals)


APPROVE = "button[name='decision'][value='approve']"


def test_a_reviewer_marks_the_checklist_in_the_page_and_approves(
    live_server, world, chromium, viewport
):
    document_id = submitted(world)
    reviewer = Person(chromium, live_server.url, "reviewer", VIEWPORTS[viewport])
    page = reviewer.page
    claim_in_the_page(reviewer, document_id)
    for key in CRITERIA:
        mark(page, key, "met")
    expect(page.locator("#checklist-progress")).to_contain_text(
        f"{len(CRITERIA)} kati ya {len(CRITERIA)} vimewekwa alama"
    )
    assert page.locator("#checklist .marked-by").first.inner_text().startswith("Imewekwa alama na")
    assert axe_violations(page) == []
    shot(page, f"review-checklist-{viewport}")
    page.click(APPROVE)
    page.wait_for_selector(".confirm")
    # Complete: the confirmation page says what happens and asks no reason.
    assert page.locator("#checklist-gaps").count() == 0
    assert page.locator("#decision-override_reason").count() == 0
    assert "muhuri" in page.locator(".what-happens").inner_text()
    assert axe_violations(page) == []
    assert stored(document_id).status == Status.UNDER_REVIEW  # asking decided nothing
    page.click(APPROVE)
    page.wait_for_url(f"**/documents/{document_id}/")
    assert wait_idle(60)  # the seal is made after the response
    document = stored(document_id)
    assert document.status == Status.APPROVED and document.verification_code
    assert SealedPdf.objects.filter(document_id=document_id).exists()
    assert ChecklistMark.objects.filter(document_id=document_id, mark="met").count() == len(
        CRITERIA
    )
    assert axe_violations(page) == []  # the approved page, with the marks read-only
    reviewer.close()


def test_a_criterion_not_met_is_approved_only_with_a_reason_given_in_the_page(
    live_server, world, chromium, viewport
):
    document_id = submitted(world)
    reviewer = Person(chromium, live_server.url, "reviewer", VIEWPORTS[viewport])
    page = reviewer.page
    claim_in_the_page(reviewer, document_id)
    first, *rest = CRITERIA
    for key in rest:
        mark(page, key, "met")
    mark(page, first, "not_met")  # no note yet: refused beside it, nothing saved
    expect(page.locator(f"#criterion-{first} .errorlist")).to_be_visible()
    assert not ChecklistMark.objects.filter(document_id=document_id, criterion=first).exists()
    with page.expect_response(lambda r: r.url.endswith("/checklist/")) as answer:
        page.fill(f"#note-{first}", "Kikoa cha barua pepe hakijathibitishwa")
        page.locator(f"#note-{first}").blur()
    assert answer.value.status == 200
    page.click(APPROVE)
    page.wait_for_selector("#checklist-gaps")
    expect(page.locator("#checklist-gaps")).to_contain_text(
        "Kikoa cha barua pepe hakijathibitishwa"
    )
    assert axe_violations(page) == []
    shot(page, f"review-override-{viewport}")
    # Approving without the reason: refused, the box says why, nothing approved.
    page.click(APPROVE)
    page.wait_for_selector("#decision-override_reason_error")
    assert stored(document_id).status == Status.UNDER_REVIEW
    page.fill("#decision-override_reason", "Katibu Mkuu ameagiza kwa barua ya tarehe 1 Desemba")
    page.click(APPROVE)
    page.wait_for_url(f"**/documents/{document_id}/")
    assert wait_idle(60)
    assert stored(document_id).status == Status.APPROVED
    assert expected_refusals(reviewer) >= 2  # the note missing, the reason missing
    event = AuditEvent.objects.get(document_id=document_id, action="approve")
    assert event.payload["override_reason"].startswith("Katibu Mkuu ameagiza")
    assert event.payload["checklist"]["not_met"] == [first]
    reviewer.close()

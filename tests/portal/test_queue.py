"""The review queue page: what waits, since when, who has it, what is overdue; counts at the
top; search by reference, title or institution; order by age or overdue first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms_templates.registry import get_type
from tests.approvals.test_reservation import resubmitted
from tests.portal.web_helpers import browser
from workflow.models import Document, Project, Status

pytestmark = pytest.mark.django_db

_counter = iter(range(1, 10_000))


def queued(
    world,
    title: str,
    *,
    type_key: str = "email_account_request",
    institution=None,
    status: str = Status.SUBMITTED,
    days: float = 0,
    assignee=None,
    version: int = 1,
    resubmitted_days: float | None = None,
) -> Document:
    """A document in the queue, as rows (the lifecycle itself is tested elsewhere)."""
    institution = institution or world.moh
    author = world.officer if institution == world.moh else world.officer_moe
    now = timezone.now()
    first = now - timedelta(days=days)
    last = now - timedelta(days=resubmitted_days) if resubmitted_days is not None else first
    project = None
    if type_key != "email_account_request":
        project = Project.objects.create(institution=institution, name=title, created_by=author)
    return Document.objects.create(
        reference=f"EGA/{type_key[:2].upper()}/2026/9{next(_counter):04d}",
        type=type_key,
        title=title,
        project=project,
        institution=institution,
        author=author,
        status=status,
        version=version,
        content_hash="sha256:0",
        assignee=assignee,
        submitted_at=first,
        last_submitted_at=last,
        status_changed_at=last,
    )


def page_of(user, query: str = "") -> str:
    response = browser(user).get("/" + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def rows(page: str) -> list[str]:
    body = page.split('<table class="list queue">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>.*?</tr>", body.split("<tbody>", 1)[1], flags=re.S)


def titles(page: str) -> list[str]:
    found = [re.search(r'<a href="/documents/[^"]+/">([^<]+)</a>', row) for row in rows(page)]
    return [match.group(1) for match in found if match]


def test_a_row_shows_reference_title_type_institution_submission_age_version_assignee(world):
    late = queued(world, "Ombi la barua pepe", days=3)
    page = page_of(world.reviewer)
    (row,) = rows(page)
    assert f"<code>{late.reference}</code>" in row
    assert "Ombi la barua pepe" in row
    assert f'<td data-label="Aina">{get_type("email_account_request").name.sw}</td>' in row
    assert '<abbr title="Wizara ya Afya">MOH</abbr>' in row
    submitted_on = timezone.localtime(late.last_submitted_at).date().isoformat()  # as shown: Dar
    assert submitted_on in row and "siku 3" in row
    assert 'class="badge late">Imechelewa<' in row  # 3 days unclaimed: past the 2-day reminder
    assert "Bado hakuna" in row  # nobody has it
    assert f'action="/documents/{late.pk}/actions/claim/"' in row


def test_the_assignee_is_named_and_a_fresh_document_is_not_overdue(world):
    world.reviewer2.first_name, world.reviewer2.last_name = "Neema", "Mushi"
    world.reviewer2.save()
    queued(world, "Inahakikiwa", status=Status.UNDER_REVIEW, assignee=world.reviewer2, days=1)
    (row,) = rows(page_of(world.reviewer))
    assert "Neema Mushi" in row
    assert "Imechelewa" not in row and "actions/claim" not in row


def test_a_resubmission_is_marked_and_shown_as_reserved(world):
    document = resubmitted(world, by=world.reviewer2)
    (row,) = rows(page_of(world.reviewer2))
    assert '2 <span class="tag">Imewasilishwa upya</span>' in row
    assert "<strong>Imerudi kwako</strong>" in row
    assert f"/documents/{document.pk}/actions/claim/" in row
    (row,) = rows(page_of(world.reviewer))
    assert "Imehifadhiwa kwa reviewer2" in row
    assert "actions/claim" not in row


def test_the_counts_at_the_top_are_of_the_whole_queue_by_status_and_type(world):
    queued(world, "A", days=5)
    queued(world, "B", type_key="concept_note")
    queued(world, "C", status=Status.UNDER_REVIEW, assignee=world.reviewer)
    queued(world, "D", status=Status.APPROVED)  # decided: not in the queue
    page = page_of(world.reviewer, "?type=concept_note")  # a filter does not change the counts
    counts = page.split('class="counts"', 1)[1].split("</nav>", 1)[0]
    figures = dict(
        (label.strip(), int(n))
        for n, label in re.findall(r"<strong>(\d+)</strong>\s*([^<]+)</a>", counts)
    )
    assert figures["zinasubiri kwa jumla"] == 3
    assert figures["Imewasilishwa"] == 2 and figures["Inahakikiwa"] == 1
    assert figures["zimechelewa"] == 1 and figures["ziko kwako"] == 1
    type_counts = re.findall(r'href="\?type=(\w+)"[^>]*><strong>(\d+)</strong>', counts)
    assert dict(type_counts)["concept_note"] == "1"
    assert dict(type_counts)["email_account_request"] == "2"
    assert titles(page) == ["B"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=sanduku", ["Sanduku la barua pepe"]),
        ("?q=SAND", ["Sanduku la barua pepe"]),  # a prefix, any case
        ("?q=barua+pepe", ["Sanduku la barua pepe"]),
        ("?q=MOE", ["Mfumo wa shule"]),  # an institution's code
        ("?q=Elimu", ["Mfumo wa shule"]),  # part of its name
        ("?q=hakuna+kitu", []),
        ("?q=+++", ["Sanduku la barua pepe", "Mfumo wa shule"]),  # nothing to search: all
    ],
)
def test_search_by_title_or_institution(world, query, expected):
    queued(world, "Sanduku la barua pepe", days=2)
    queued(world, "Mfumo wa shule", institution=world.moe, days=1)
    assert titles(page_of(world.reviewer, query)) == expected


def test_search_by_part_of_a_reference(world):
    first = queued(world, "Kwanza")
    queued(world, "Pili")
    number = first.reference.rsplit("/", 1)[1]
    assert titles(page_of(world.reviewer, f"?q={number}")) == ["Kwanza"]
    assert titles(page_of(world.reviewer, f"?q={first.reference}")) == ["Kwanza"]


def test_order_by_age_newest_or_overdue_first(world):
    queued(world, "Siku moja", days=1)
    queued(world, "Siku kumi", status=Status.UNDER_REVIEW, assignee=world.reviewer2, days=10)
    queued(world, "Siku nne", days=4)
    # Under review for a day is not overdue (5 days); unclaimed for 4 days is (2 days).
    Document.objects.filter(title="Siku kumi").update(
        status_changed_at=timezone.now() - timedelta(days=1)
    )
    assert titles(page_of(world.reviewer)) == ["Siku kumi", "Siku nne", "Siku moja"]
    newest = page_of(world.reviewer, "?sort=newest")
    overdue = page_of(world.reviewer, "?sort=overdue")
    assert titles(newest) == ["Siku moja", "Siku nne", "Siku kumi"]
    assert titles(overdue) == ["Siku nne", "Siku kumi", "Siku moja"]
    bad = browser(world.reviewer).get("/?sort=jana")
    assert bad.status_code == 400


def test_the_search_and_order_are_links_that_work_without_javascript(world):
    queued(world, "Sanduku", days=3)
    page = page_of(world.reviewer, "?q=sand&sort=overdue")
    assert 'name="q" value="sand"' in page
    assert '<option value="overdue" selected>' in page
    assert 'href="/"' in page.split("result-count", 1)[1].split("</p>")[0]  # clear the filters


def test_a_page_of_the_queue_costs_the_same_for_3_and_30_documents(world):
    def cost(count: int) -> int:
        Document.objects.all().delete()
        for index in range(count):
            queued(
                world,
                f"Ombi {index}",
                days=index % 5,
                status=Status.UNDER_REVIEW if index % 3 else Status.SUBMITTED,
                assignee=world.reviewer2 if index % 3 else None,
            )
        client = browser(world.reviewer)
        client.get("/")  # the session's first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    assert cost(3) == cost(30)


def test_htmx_gets_only_the_list(world):
    queued(world, "Sanduku")
    response = browser(world.reviewer).get("/?q=sand", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="queue-results"' in body and "Sanduku" in body
    assert 'class="counts"' not in body


def test_the_api_searches_and_orders_the_queue_too(world):
    queued(world, "Sanduku la barua pepe", days=1)
    queued(world, "Mfumo wa shule", institution=world.moe, days=3)
    client = world.client(world.reviewer)
    found = client.get("/api/v1/review-queue/?q=sanduku").json()["results"]
    assert [d["title"] for d in found] == ["Sanduku la barua pepe"]
    newest = client.get("/api/v1/review-queue/?sort=newest").json()["results"]
    assert [d["title"] for d in newest] == ["Sanduku la barua pepe", "Mfumo wa shule"]
    assert client.get("/api/v1/review-queue/?sort=x").status_code == 400

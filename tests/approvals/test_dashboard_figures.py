"""The dashboard's figures against a hand-made data set: exact counts, medians and 90th
percentiles (percentile_cont: between two middle values, interpolated), on SQLite and on
PostgreSQL alike; and what computing them costs (a fixed number of queries)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.dashboard_selectors import dashboard_figures
from approvals.models import Decision, Review
from workflow.models import Document, Project, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now()


def row(world, now, *, institution, type_key, status, submitted, decided=None, changed=None):
    """A document as rows: submitted ``submitted`` days ago, decided ``decided`` days ago."""
    author = world.officer if institution == world.moh else world.officer_moe
    project = None
    if type_key != "email_account_request":
        project = Project.objects.create(institution=institution, name="P", created_by=author)
    at = now - timedelta(days=submitted)
    when = now - timedelta(days=decided if decided is not None else (changed or submitted))
    document = Document.objects.create(
        reference=f"EGA/X/{Document.objects.count():05d}",
        type=type_key,
        title="T",
        project=project,
        institution=institution,
        author=author,
        status=status,
        content_hash="sha256:0",
        submitted_at=at,
        last_submitted_at=at,
        status_changed_at=when,
        approved_at=when if status == Status.APPROVED else None,
    )
    if status in (Status.APPROVED, Status.REJECTED):
        review(world, document, status, now - timedelta(days=decided))
    return document


def review(world, document, decision, at):
    made = Review.objects.create(
        document=document, version=1, reviewer=world.reviewer, decision=decision
    )
    Review.objects.filter(pk=made.pk).update(created_at=at)


@pytest.fixture
def data(world, now):
    moh, moe = world.moh, world.moe
    cn, em = "concept_note", "email_account_request"
    made = {
        # Decided: days from first submission to decision.
        "moh_cn_2": row(world, now, institution=moh, type_key=cn, status=Status.APPROVED,
                        submitted=10, decided=8),
        "moh_cn_4": row(world, now, institution=moh, type_key=cn, status=Status.APPROVED,
                        submitted=20, decided=16),
        "moh_em_1": row(world, now, institution=moh, type_key=em, status=Status.APPROVED,
                        submitted=30, decided=29),
        "moh_em_20": row(world, now, institution=moh, type_key=em, status=Status.REJECTED,
                         submitted=40, decided=20),
        "moe_em_3": row(world, now, institution=moe, type_key=em, status=Status.APPROVED,
                        submitted=12, decided=9),
        "moe_cn_10": row(world, now, institution=moe, type_key=cn, status=Status.REJECTED,
                         submitted=15, decided=5),
        # Waiting at the agency.
        "q1": row(world, now, institution=moh, type_key=em, status=Status.SUBMITTED, submitted=1),
        "q4": row(world, now, institution=moe, type_key=em, status=Status.SUBMITTED, submitted=4),
        "q7": row(world, now, institution=moh, type_key=em, status=Status.UNDER_REVIEW,
                  submitted=7, changed=6),
        "q12": row(world, now, institution=moe, type_key=em, status=Status.SUBMITTED,
                   submitted=12),
    }  # fmt: skip
    # Returned for changes on the way: the MOH rejection twice, the MOE approval once.
    for days in (35, 30):
        review(world, made["moh_em_20"], Decision.CHANGES_REQUESTED, now - timedelta(days=days))
    review(world, made["moe_em_3"], Decision.CHANGES_REQUESTED, now - timedelta(days=11))
    Document.objects.create(
        type=em, title="Rasimu", institution=moh, author=world.officer, content_hash="x"
    )
    return made


def test_waiting_by_age_band_and_overdue(world, data, now):
    figures = dashboard_figures(now=now)
    assert figures.waiting == 4
    assert figures.waiting_by_age == [((0, 2), 1), ((3, 5), 1), ((6, 10), 1), ((11, None), 1)]
    # Unclaimed 4 and 12 days (more than 2), claimed 6 days without a decision (more than 5).
    assert figures.overdue_count == 3
    assert [d.pk for d in figures.overdue] == [data["q12"].pk, data["q7"].pk, data["q4"].pk]


def test_medians_and_90th_percentiles_per_institution(world, data, now):
    figures = dashboard_figures(now=now)
    by = {g.key: g for g in figures.by_institution}
    moh, moe = by[world.moh.pk], by[world.moe.pk]
    # MOH: 1, 2, 4, 20 days -> median (2 + 4) / 2; p90 at 3.7: 4 + 0.7 * 16.
    assert moh.decided == 4
    assert moh.median_days == pytest.approx(3.0, abs=1e-6)
    assert moh.p90_days == pytest.approx(15.2, abs=1e-6)
    assert moh.within_target == 3 and moh.within_share == pytest.approx(0.75)
    assert (moh.returned, moh.returns, moh.rounds) == (1, 2, 1.5)
    # MOE: 3, 10 days -> median 6.5; p90 at 1.9: 3 + 0.9 * 7.
    assert moe.decided == 2
    assert moe.median_days == pytest.approx(6.5, abs=1e-6)
    assert moe.p90_days == pytest.approx(9.3, abs=1e-6)
    assert (moe.within_target, moe.returned, moe.returns, moe.rounds) == (2, 1, 1, 1.5)


def test_medians_per_type_and_overall(world, data, now):
    figures = dashboard_figures(now=now)
    by = {g.key: g for g in figures.by_type}
    # Concept notes: 2, 4, 10 -> median 4; p90 at 2.8: 4 + 0.8 * 6.
    assert by["concept_note"].decided == 3
    assert by["concept_note"].median_days == pytest.approx(4.0, abs=1e-6)
    assert by["concept_note"].p90_days == pytest.approx(8.8, abs=1e-6)
    # E-mail requests: 1, 3, 20 -> median 3; p90 at 2.8: 3 + 0.8 * 17.
    assert by["email_account_request"].median_days == pytest.approx(3.0, abs=1e-6)
    assert by["email_account_request"].p90_days == pytest.approx(16.6, abs=1e-6)
    overall = figures.overall
    # All six: 1, 2, 3, 4, 10, 20 -> median 3.5; p90 at 5.5: 10 + 0.5 * 10.
    assert overall.decided == 6
    assert overall.median_days == pytest.approx(3.5, abs=1e-6)
    assert overall.p90_days == pytest.approx(15.0, abs=1e-6)
    assert (overall.within_target, overall.returned, overall.returns) == (5, 2, 3)


def test_decisions_per_week(world, data, now):
    figures = dashboard_figures(now=now)
    assert len(figures.weeks) == 12
    total = sum(sum(counts.values()) for _week, counts in figures.weeks)
    assert total == 9  # 6 decisions and 3 returns, all within the 12 weeks
    by_week = {week: counts for week, counts in figures.weeks}
    decided = timezone.localdate(now - timedelta(days=5))
    monday = decided - timedelta(days=decided.weekday())
    assert by_week[monday].get(Decision.REJECTED, 0) >= 1


def test_an_institution_sees_its_own_figures_only(world, data, now):
    figures = dashboard_figures(institution_id=world.moe.pk, now=now)
    assert [g.key for g in figures.by_institution] == [world.moe.pk]
    assert figures.waiting == 2 and figures.overdue_count == 2
    assert figures.overall.decided == 2


def test_the_figures_cost_the_same_queries_for_few_and_many_documents(world, data, now):
    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard_figures(now=now)
        return len(queries)

    few = cost()
    for days in range(2, 40):
        row(world, now, institution=world.moe, type_key="email_account_request",
            status=Status.APPROVED, submitted=days + 1, decided=days)  # fmt: skip
    assert cost() == few

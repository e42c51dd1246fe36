"""The agency's pages at scale: the dashboard's figures at 1,000 and at 100,000 documents (the
issue's budget: 200 ms on PostgreSQL), the archive's exports of 100,000 rows (time, and peak
memory traced by tracemalloc), and the archive's text search on its GIN index.

Runs on a throw-away test database (PostgreSQL when DATABASE_URL is set, else in-memory
SQLite): ``DATABASE_URL=postgres://... python -m bench agency``. Only the dashboard's figures
and the figures page (no exports or search; about a minute):
``IDHINI_BENCH_ONLY=dashboard python -m bench agency``; ``IDHINI_BENCH_EXPLAIN=1`` also prints
each dashboard query's ``EXPLAIN ANALYZE`` at the largest size (PostgreSQL).
"""

from __future__ import annotations

import os
import random
import time
import tracemalloc
import uuid
from contextlib import contextmanager
from datetime import timedelta

from bench import median_seconds, run_in_test_database

SIZES = (1_000, 100_000)
RUNS = 10


def main() -> None:
    run_in_test_database(_run)


def _people():
    from tests.helpers import make_user
    from workflow.models import Institution, Role

    ega = Institution.objects.create(code="EGA", name_sw="Wakala", name_en="EGA", is_agency=True)
    reviewers = [make_user(f"reviewer{i}", ega, Role.REVIEWER) for i in range(5)]
    officers = []
    for index in range(20):
        institution = Institution.objects.create(
            code=f"I{index:02d}", name_sw=f"Taasisi {index}", name_en=f"Institution {index}"
        )
        officers.append(make_user(f"officer{index}", institution, Role.OFFICER))
    return reviewers, officers


def _add_documents(count: int, reviewers, officers, rng: random.Random) -> None:
    """``count`` documents as rows: a realistic mix of types, institutions and states, and a
    review per decision (and per return for changes)."""
    from approvals.models import Decision, Review
    from workflow.models import Document, Project, Status

    now = django_now()
    statuses = [Status.APPROVED] * 60 + [Status.REJECTED] * 10 + [Status.SUBMITTED] * 10
    statuses += [Status.UNDER_REVIEW] * 5 + [Status.CHANGES_REQUESTED] * 5 + [Status.DRAFT] * 10
    documents, reviews = [], []
    for _ in range(count):
        officer = rng.choice(officers)
        institution_id = officer._inst
        kind = rng.choice(["email_account_request"] * 3 + ["terms_of_reference", "concept_note"])
        project = None
        if kind != "email_account_request":
            project = Project(institution_id=institution_id, name="Mradi", created_by=officer)
        status = rng.choice(statuses)
        submitted = now - timedelta(days=rng.uniform(0, 700))
        decided = submitted + timedelta(days=rng.uniform(0.5, 60))
        changed = decided if status in (Status.APPROVED, Status.REJECTED) else submitted
        document = Document(
            id=uuid.uuid4(),
            reference=None if status == Status.DRAFT else f"EGA/X/{uuid.uuid4().hex[:12]}",
            type=kind,
            title=f"{rng.choice(['Mfumo', 'Ombi', 'Sanduku', 'Hadidu'])} {rng.randrange(10**6)}",
            project=project,
            institution_id=institution_id,
            author=officer,
            status=status,
            content_hash="sha256:0",
            submitted_at=None if status == Status.DRAFT else submitted,
            last_submitted_at=None if status == Status.DRAFT else submitted,
            status_changed_at=min(changed, now),
            approved_at=min(decided, now) if status == Status.APPROVED else None,
        )
        documents.append(document)
        decision = {Status.APPROVED: Decision.APPROVED, Status.REJECTED: Decision.REJECTED}
        if status in decision:
            document.returns_for_changes = rng.choice([0, 0, 0, 1, 2])
            for _return in range(document.returns_for_changes):
                reviews.append((document, Decision.CHANGES_REQUESTED, rng.choice(reviewers)))
            reviews.append((document, decision[status], rng.choice(reviewers)))
    Project.objects.bulk_create([d.project for d in documents if d.project], batch_size=5000)
    for document in documents:
        if document.project is not None:
            document.project_id = document.project.pk
    # Under PostgreSQL's 65,535 bound parameters a statement (server-side binding,
    # config/database.py; Django 5.2 does not split a batch at it).
    per_row = len(Document._meta.concrete_fields)
    Document.objects.bulk_create(documents, batch_size=min(5000, 65_535 // per_row))
    with _review_triggers_off():
        Review.objects.bulk_create(
            [Review(document=d, version=1, reviewer=r, decision=k) for d, k, r in reviews],
            batch_size=5000,
        )


@contextmanager
def _review_triggers_off():
    """Rows made in bulk, as a data load would: each document already carries the count of
    the returns written for it (what approvals 0007's trigger would count). On PostgreSQL the
    trigger is off meanwhile, or its update of every decided document (written as decided,
    unlike a real one, returned before its decision) would bloat the figures' indexes; _settle
    checks the counts after."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE approvals_review DISABLE TRIGGER approvals_review_returns")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE approvals_review ENABLE TRIGGER approvals_review_returns")


def django_now():
    from django.utils import timezone

    return timezone.now()


def _settle() -> None:
    from django.db import connection

    # Reviews are dated at their document's decision (bulk_create stamps them now).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE approvals_review SET created_at = (SELECT status_changed_at FROM "
            "workflow_document WHERE workflow_document.id = approvals_review.document_id)"
        )
        cursor.execute(
            "SELECT COUNT(*) FROM workflow_document d WHERE returns_for_changes <> (SELECT "
            "COUNT(*) FROM approvals_review r WHERE r.document_id = d.id AND r.decision = "
            "'changes_requested')"
        )
        assert cursor.fetchone()[0] == 0, "returns_for_changes differs from the reviews"
    if connection.vendor == "postgresql":
        # What autovacuum does on a live database: statistics, and the visibility map that
        # lets the dashboard read the decided documents from its index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE workflow_document")
            cursor.execute("VACUUM ANALYZE approvals_review")


def _dashboard_ms() -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from approvals.dashboard_selectors import dashboard_figures

    with CaptureQueriesContext(connection) as captured:
        dashboard_figures()
    return median_seconds(dashboard_figures, RUNS) * 1000, len(captured)


def _explain_dashboard() -> None:
    """Each dashboard query's plan and time, as PostgreSQL measured it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from approvals.dashboard_selectors import dashboard_figures

    with CaptureQueriesContext(connection) as captured:
        dashboard_figures()
    for query in captured.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"--- {query['sql'][:160]}\n{plan}\n")


def _baseline_ms() -> float:
    from django.db import connection

    def scan():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*), MAX(updated_at) FROM workflow_document")
            cursor.fetchall()

    return median_seconds(scan, RUNS) * 1000


def _page_ms(reviewer) -> tuple[float, float]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.force_login(reviewer)

    def counted():
        cache.clear()
        assert client.get("/figures/").status_code == 200

    cold = median_seconds(counted, RUNS) * 1000
    warm = median_seconds(lambda: client.get("/figures/"), RUNS) * 1000
    return cold, warm


def _export(kind: str, reviewer, *, trace: bool) -> tuple[float, float, int]:
    """(seconds, peak MB traced or 0, bytes) of exporting the whole archive."""
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(f"/archive/export.{kind}")
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - started
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return seconds, peak, size


def _run() -> None:
    from django.db import connection

    from workflow.models import Document

    rng = random.Random(2026)
    reviewers, officers = _people()
    for officer in officers:
        officer._inst = officer.memberships.get().institution_id  # one query each, not per row
    print(f"database: {connection.vendor}")
    timings = {}
    for size in SIZES:
        _add_documents(size - Document.objects.count(), reviewers, officers, rng)
        _settle()
        milliseconds, queries = _dashboard_ms()
        timings[size] = milliseconds
        print(
            f"dashboard figures, {Document.objects.count():>7,} documents: "
            f"{milliseconds:7.1f} ms (median of {RUNS}), {queries} queries"
        )
    print(f"ratio 100,000 / 1,000 documents: {timings[SIZES[1]] / timings[SIZES[0]]:.1f}x")
    if os.environ.get("IDHINI_BENCH_EXPLAIN") and connection.vendor == "postgresql":
        _explain_dashboard()
    baseline = _baseline_ms()
    print(
        f"baseline, the same run: one bare scan of the documents {baseline:.1f} ms; "
        f"the figures cost {timings[SIZES[1]] / baseline:.1f} such scans"
    )
    cold, warm = _page_ms(reviewers[0])
    print(
        f"figures page (HTML): {cold:.0f} ms when counted (median of {RUNS}, cache cleared), "
        f"{warm:.1f} ms within the minute (cached)"
    )
    if os.environ.get("IDHINI_BENCH_ONLY") == "dashboard":
        return
    _exports(reviewers[0])
    if connection.vendor == "postgresql":
        _explain_search(reviewers[0])


def _exports(reviewer) -> None:
    from workflow.models import Document

    rows = Document.objects.exclude(status="draft").count()
    for kind in ("csv", "xlsx"):
        seconds, _peak, size = _export(kind, reviewer, trace=False)
        _seconds, peak, _size = _export(kind, reviewer, trace=True)
        print(
            f"archive export {kind.upper():4} of {rows:,} rows: {seconds:5.1f} s, "
            f"{size / 1e6:5.1f} MB written, peak {peak:4.1f} MB allocated in Python (tracemalloc)"
        )


def _explain_search(reviewer) -> None:
    from django.db import connection

    from approvals.archive_selectors import archive_documents

    documents = archive_documents(reviewer, filters={"q": "sanduku"})[:25]
    sql, params = documents.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    uses = "document_search_idx" in plan
    took = [line for line in plan.splitlines() if "Execution Time" in line]
    print(f"archive search 'sanduku', first page: GIN index used: {uses}; {took[-1].strip()}")

"""The engine's API: does a queue page cost the same at 20,000 documents as at 1,000, and what
does a transition cost against a bare row update?

Runs on a throw-away test database (PostgreSQL when DATABASE_URL is set, else in-memory SQLite).
Prints medians and ratios to baselines measured in the same run.
"""

from __future__ import annotations

from collections.abc import Callable

from bench import median_seconds, run_in_test_database

RUNS = 30


def _median_ms(function: Callable[[], object], runs: int = RUNS) -> float:
    return median_seconds(function, runs) * 1000


def main() -> None:
    run_in_test_database(_run, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _world():
    from tests.helpers import make_user
    from workflow.models import Institution, Role

    moh = Institution.objects.create(
        code="MOH", name_sw="Wizara ya Afya", name_en="Health", mail_domains="afya.go.tz"
    )
    ega = Institution.objects.create(code="EGA", name_sw="Wakala", name_en="EGA", is_agency=True)
    users = {
        "officer": make_user("officer", moh, Role.OFFICER),
        "ict_head": make_user("ict_head", moh, Role.HEAD_OF_ICT),
        "accounting_officer": make_user("accounting_officer", moh, Role.ACCOUNTING_OFFICER),
        # Issue 15's chains: the system owner signs a concept note, human resources a mailbox
        # request, procurement the terms of reference.
        "system_owner": make_user("system_owner", moh, Role.SYSTEM_OWNER),
        "procurement_head": make_user("procurement_head", moh, Role.HEAD_OF_PROCUREMENT),
        "hr_head": make_user("hr_head", moh, Role.HEAD_OF_HR),
        "reviewer": make_user("reviewer", ega, Role.REVIEWER),
    }
    return users


def bench_world():
    """The people of ``_world`` as the tests' ``world`` (``tests.helpers.new_document`` and
    ``drive`` read it): one institution, so no officer of a second one (``officer_moe``)."""
    from types import SimpleNamespace

    from workflow.models import Institution

    users = _world()
    moh = Institution.objects.get(code="MOH")
    nobody = SimpleNamespace(pk=-1)
    return SimpleNamespace(
        **users, moh=moh, moe=moh, officer_moe=nobody, reviewer2=users["reviewer"]
    )


def _run() -> None:

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from tests.helpers import clone_documents, drive, new_document
    from workflow.models import Document

    world = bench_world()
    template = drive(world, new_document(world, "email_account_request"), "submitted")
    client = APIClient()
    client.force_authenticate(world.reviewer)
    page = "/api/v1/review-queue/?page_size=50"

    def queue():
        response = client.get(page)
        assert response.status_code == 200

    def bare_page():
        list(
            Document.objects.filter(status__in=["submitted", "under_review"])
            .order_by("last_submitted_at", "pk")
            .values()[:50]
        )

    print(f"database: {connection.vendor}")
    for total, in_queue in [(1_000, 100), (20_000, 100)]:
        queued = Document.objects.filter(status="submitted").count()
        clone_documents(template, in_queue - queued, status="submitted")
        clone_documents(template, total - Document.objects.count(), status="approved")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with CaptureQueriesContext(connection) as captured:
            queue()
        queries = len(captured.captured_queries)  # now: each request resets the log
        api_ms, bare_ms = _median_ms(queue), _median_ms(bare_page)
        print(
            f"review queue page of 50, {Document.objects.count():>6} documents: "
            f"{api_ms:6.2f} ms, {queries} queries; "
            f"bare ORM page {bare_ms:5.2f} ms; ratio {api_ms / bare_ms:4.1f}x"
        )

    _transition_figures(world.reviewer, template)


def _transition_figures(user, template) -> None:
    """A transition (claim then release, so the same row can be used again) against a bare
    locked update of the same row."""
    from django.db import transaction
    from rest_framework.test import APIClient

    from workflow.models import Document

    reviewer = APIClient()
    reviewer.force_authenticate(user)

    def claim_release():
        assert reviewer.post(f"/api/v1/documents/{template.pk}/claim/").status_code == 200
        assert reviewer.post(f"/api/v1/documents/{template.pk}/release/").status_code == 200

    def bare_update():
        for status in ("under_review", "submitted"):
            with transaction.atomic():
                Document.objects.select_for_update().filter(pk=template.pk).first()
                Document.objects.filter(pk=template.pk).update(status=status)

    pair_ms, bare_ms = _median_ms(claim_release, 20), _median_ms(bare_update, 20)
    print(
        f"one transition over HTTP (lock, machine, audit event, signal, response): "
        f"{pair_ms / 2:6.2f} ms; bare locked UPDATE {bare_ms / 2:5.2f} ms; "
        f"ratio {pair_ms / bare_ms:4.1f}x"
    )

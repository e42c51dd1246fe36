"""Reads near the floor: a document's detail, a list of 20 and a review-queue page of 50, at
1,000 and at 100,000 documents (5 % of them in the queue, spread over 600 institutions), each
against the bare ORM fetch of the same rows (``values()`` of the documents and of their
signatures; for the detail, of its reviews too, which it shows), interleaved with it in the same
run (a bare fetch before each request, so that both are measured under the same load).
Goals: each ≤ 3× bare; the queue page ≤ 30 ms at 100,000 and flat from 1,000. The same
requests with a token (``Authorization: Token``, as clients send it) are the rows marked
"token": the others' authentication is forced (no statement of its own). Each row gives the
median wall time and the median CPU time of this process (what a web worker spends; the wall
time also waits on the database and on whatever else runs on the machine), and, for
comparison, the bare fetch timed in a loop of its own (RUNS in a row: its statements, plans and
rows hot in every cache, a floor no request meets; the ratio to it is the harsher one).

PostgreSQL when DATABASE_URL is set (the 100,000 are seeded by ``bench.seeding``, in seconds),
else in-memory SQLite (seeded with bulk_create: slower).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bench import median_seconds, run_in_test_database

RUNS = 30
SIZES = (1_000, 100_000)
INSTITUTIONS = 600


def _interleaved(api: Callable[[], object], bare: Callable[[], object]) -> tuple[float, ...]:
    """Median wall and CPU milliseconds of RUNS requests and of RUNS bare fetches, one just
    before each: (api wall, api CPU, bare wall, bare CPU)."""
    median_seconds(api, 3), median_seconds(bare, 3)  # warm: the first of each costs more
    times: dict[str, list[float]] = {"api": [], "api_cpu": [], "bare": [], "bare_cpu": []}
    for _ in range(RUNS):
        for name, function in (("bare", bare), ("api", api)):
            started, used = time.perf_counter(), time.process_time()
            function()
            times[name].append(time.perf_counter() - started)
            times[f"{name}_cpu"].append(time.process_time() - used)
    return tuple(
        statistics.median(times[name]) * 1000 for name in ("api", "api_cpu", "bare", "bare_cpu")
    )


def main() -> None:
    run_in_test_database(_run, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _owners(world) -> list[tuple[int, None]]:
    from workflow.models import Institution

    Institution.objects.bulk_create(
        Institution(code=f"I{i:03d}", name_sw=f"Taasisi {i}", name_en=f"Institution {i}")
        for i in range(INSTITUTIONS - 1)
    )
    others = Institution.objects.filter(is_agency=False).exclude(pk=world.moh.pk)
    return [(world.moh.pk, None), *((pk, None) for pk in others.values_list("pk", flat=True))]


def _bare(queryset, n: int, *, reviews: bool = False) -> Callable[[], object]:
    """The rows a response shows, fetched bare: the documents and their active signatures; with
    ``reviews``, their reviews too (a detail shows them; a list does not)."""
    from approvals.models import Review, Signature

    def fetch():
        rows = list(queryset.values()[:n])
        ids = [r["id"] for r in rows]
        list(Signature.objects.filter(document_id__in=ids, active=True).values())
        if reviews:
            list(Review.objects.filter(document_id__in=ids).values())

    return fetch


def _cases(world, document):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from workflow.models import Document

    forced, token = {}, {}  # each person's client, authenticated either way
    for name, user in (("officer", world.officer), ("reviewer", world.reviewer)):
        forced[name], token[name] = APIClient(), APIClient()
        forced[name].force_authenticate(user)
        key = Token.objects.get_or_create(user=user)[0].key
        token[name].credentials(HTTP_AUTHORIZATION=f"Token {key}")

    queue = Document.objects.filter(status__in=["submitted", "under_review"])
    mine = Document.objects.filter(institution=world.moh)
    reads = [
        ("detail", "officer", f"/api/v1/documents/{document.pk}/",
         _bare(Document.objects.filter(pk=document.pk), 1, reviews=True)),
        ("list of 20", "officer", "/api/v1/documents/?page_size=20",
         _bare(mine.order_by("-updated_at", "pk"), 20)),
        ("queue page of 50", "reviewer", "/api/v1/review-queue/?page_size=50",
         _bare(queue.order_by("last_submitted_at", "pk"), 50)),
    ]  # fmt: skip
    return [
        (f"{name}{suffix}", lambda c=clients[who], p=path: _ok(c.get(p)), bare)
        for suffix, clients in (("", forced), (", token", token))
        for name, who, path, bare in reads
    ]


def _ok(response) -> None:
    assert response.status_code == 200, response.content


def _run() -> None:

    from django.db import connection

    from bench.api_bench import bench_world
    from bench.seeding import analyze, clone_many
    from tests.helpers import drive, new_document
    from workflow.models import Document

    world = bench_world()
    document = drive(world, new_document(world, "email_account_request"), "submitted")
    owners = _owners(world)
    print(f"database: {connection.vendor}")
    for total in SIZES:
        started = time.perf_counter()
        missing = total - Document.objects.count()
        queued = total // 20 - Document.objects.filter(status="submitted").count()
        clone_many(document, queued, status="submitted", owners=owners)
        clone_many(document, missing - queued, status="approved", owners=owners)
        analyze()
        seeded = time.perf_counter() - started
        print(f"{Document.objects.count():>7} documents (seeded {missing} in {seeded:.1f} s)")
        for name, api, bare in _cases(world, document):
            api_ms, api_cpu, bare_ms, bare_cpu = _interleaved(api, bare)
            alone_ms = median_seconds(bare, RUNS) * 1000
            print(
                f"  {name:<24} {api_ms:6.2f} ms (CPU {api_cpu:5.2f}); bare ORM {bare_ms:5.2f} ms "
                f"(CPU {bare_cpu:5.2f}); ratio {api_ms / bare_ms:4.1f}x "
                f"(CPU {api_cpu / bare_cpu:4.1f}x); bare ORM in a loop of its own "
                f"{alone_ms:5.2f} ms, {api_ms / alone_ms:4.1f}x"
            )

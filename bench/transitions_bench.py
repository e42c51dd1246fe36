"""Transitions near the floor (issue 14.2): each of the ten transitions, called as the API calls
its service and over HTTP, against a bare locked UPDATE of a document row (SELECT ... FOR UPDATE,
UPDATE, COMMIT), interleaved with it: a bare update before each call, so that the ratio compares
calls made under the same load. Goal: ≤ 2× the bare update.

Each figure is the median of RUNS - 1 calls on fresh documents brought to the transition's start
status beforehand (not timed; each transition's first call warms what a process keeps, its
second counts the statements of a call made as every later one is). Timed: the
whole call, from the caller's roles to the commit and its on-commit hooks: with
CELERY_BROKER_URL set, the one broker publish (the bench empties the
queue it filled: use a Redis database of your own); without, the e-mails delivered in-process
to a local-memory backend. The tests' fast password hasher (a signature's password check
costs what the production hasher costs, outside the lock: issue 14.1). Statements: all the
service ran, including the caller's roles read before its transaction, and the time the call
waited for them (the rest of a call is Python, BEGIN, COMMIT and the publish). PostgreSQL when
DATABASE_URL is set.

With a broker, a second floor too: the bare locked UPDATE with one publish at its commit (the
least a transition that tells someone does: its notifications' delivery is one message), and
the ratio to it of each transition that published.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext

from bench import median_seconds, run_in_test_database

RUNS = 16

# action: (start status, who, service keyword arguments, API body)
ACTIONS = {
    "request_signatures": ("draft", "officer", {}),
    "sign": ("awaiting_signatures", "officer", {"password": "PASSWORD"}),
    "decline": ("awaiting_signatures", "officer", {"reason": "Si sahihi"}),
    "submit": ("signed", "officer", {}),
    "withdraw": ("submitted", "officer", {"reason": "Tumeachana nao"}),
    "claim": ("submitted", "reviewer", {}),
    "release": ("under_review", "reviewer", {}),
    "approve": ("under_review", "reviewer", {"comment": "Sawa"}),
    "reject": ("under_review", "reviewer", {"reason": "Hapana"}),
    "request_changes": ("under_review", "reviewer", {"comment": "Rekebisha"}),
}


def main() -> None:
    run_in_test_database(_run, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _prepared(world, start: str, action: str, count: int = RUNS) -> list:
    from tests.helpers import drive, fill_checklist, new_document

    documents = [drive(world, new_document(world), start) for _ in range(count)]
    if action == "approve":
        for document in documents:
            fill_checklist(document.pk, by=world.reviewer)
    return documents


def _bare(document_id) -> Callable[[], None]:
    from django.db import transaction

    from workflow.models import Document

    states = iter(["submitted", "signed"] * 1000)

    def update() -> None:
        with transaction.atomic():
            Document.objects.select_for_update().filter(pk=document_id).first()
            Document.objects.filter(pk=document_id).update(status=next(states))

    return update


def _bare_published(document_id) -> Callable[[], None]:
    """The bare locked UPDATE, and one publish when it commits, as a transition's delivery: a
    task that does nothing (``start_tasks`` of no tasks) through the same batch and pool."""
    from django.db import transaction

    from config.publish import publish_after_commit, start_tasks

    update = _bare(document_id)

    def published() -> None:
        with transaction.atomic():
            update()
            publish_after_commit(start_tasks.s([]))

    return published


def _queued() -> int:
    """The messages waiting in the bench's queue (no worker takes them)."""
    from celery_app import app

    with app.connection_for_write() as broker:
        return broker.default_channel.client.llen("celery")


def _interleaved(
    calls: list[Callable[[], object]],
    bare: Callable[[], None],
    floor: Callable[[], None] | None = None,
) -> tuple[float, ...]:
    """The medians (ms) of ``calls``, of as many bare updates (one run just before each call),
    of the time each call spent in its statements (sent, run by the database, answered: what
    Python did not spend; BEGIN and COMMIT not included), and of as many ``floor`` calls (run
    between the two; 0 without one)."""
    from django.db import connection

    times: dict[str, list[float]] = {"call": [], "bare": [], "statements": [], "floor": []}
    for call in calls:
        steps = [("bare", bare), *([("floor", floor)] if floor else []), ("call", call)]
        in_statements = [0.0]

        def timed(execute, sql, params, many, context, spent=in_statements):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - started

        for name, function in steps:
            started = time.perf_counter()
            with connection.execute_wrapper(timed) if name == "call" else nullcontext():
                function()
            times[name].append(time.perf_counter() - started)
        times["statements"].append(in_statements[0])
    names = ("call", "bare", "statements", "floor")
    return tuple(statistics.median(times[name] or [0.0]) * 1000 for name in names)


def _service_calls(world, action: str) -> tuple[list[Callable[[], object]], int, bool]:
    """The service's calls (the first made untimed), its statements, and whether it published
    (with a broker)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from approvals import transitions
    from tests.helpers import PASSWORD

    start, who, kwargs = ACTIONS[action]
    kwargs = {k: PASSWORD if v == "PASSWORD" else v for k, v in kwargs.items()}
    service = getattr(transitions, f"document_{action}")
    user_id = getattr(world, who).pk
    documents = _prepared(world, start, action, RUNS + 1)
    users = [get_user_model().objects.get(pk=user_id) for _ in documents]  # as requests load
    broker = not settings.CELERY_TASK_ALWAYS_EAGER
    # The first call fills what a process keeps once (compiled statements, cached types): it is
    # counted from the second, as every later call runs.
    service(document_id=documents[0].pk, by=users[0], **kwargs)
    queued = _queued() if broker else 0
    with CaptureQueriesContext(connection) as captured:
        service(document_id=documents[1].pk, by=users[1], **kwargs)
    published = broker and _queued() > queued
    calls = [
        lambda d=d, u=u: service(document_id=d.pk, by=u, **kwargs)
        for d, u in zip(documents[2:], users[2:], strict=True)
    ]
    return calls, len(captured.captured_queries), published


def _http_calls(world, action: str) -> list[Callable[[], object]]:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from tests.helpers import PASSWORD

    start, who, body = ACTIONS[action]
    body = {k: PASSWORD if v == "PASSWORD" else v for k, v in body.items()}
    path = action.replace("_", "-")
    # One client for every call, as one server process serves them: a client's first request
    # loads the middleware (WhiteNoise indexes every static file), which no request pays in
    # production. Each call is made as the person freshly read, as a request reads them.
    client = APIClient()
    user_id = getattr(world, who).pk
    calls = []
    for document in _prepared(world, start, action)[1:]:
        user = get_user_model().objects.get(pk=user_id)

        def call(user=user, pk=document.pk) -> None:
            client.force_authenticate(user)
            response = client.post(f"/api/v1/documents/{pk}/{path}/", body, format="json")
            assert response.status_code == 200, response.content

        calls.append(call)
    client.force_authenticate(get_user_model().objects.get(pk=user_id))
    client.get("/api/v1/documents/?page_size=1")  # the middleware loaded before the timing
    return calls


def _run() -> None:
    from django.conf import settings
    from django.db import connection

    from bench.api_bench import bench_world

    world = bench_world()
    broker = not settings.CELERY_TASK_ALWAYS_EAGER
    publish = "published to the broker" if broker else "in-process"
    print(f"database: {connection.vendor}; on commit: {publish}; median of {RUNS - 1} (service)")
    probes = _prepared(world, "draft", "bare")
    bare = _bare(probes[0].pk)
    floor = _bare_published(probes[1].pk) if broker else None
    median_seconds(bare, 5)  # warm: the first statements of a connection cost more
    if floor:
        median_seconds(floor, 5)
    ratios, told_ratios = [], []
    for action in ACTIONS:
        calls, statements, published = _service_calls(world, action)
        service_ms, bare_ms, sql_ms, floor_ms = _interleaved(calls, bare, floor)
        http_ms, http_bare_ms, _sql, _floor = _interleaved(_http_calls(world, action), bare)
        ratios.append(service_ms / bare_ms)
        told = ""
        if published:
            told_ratios.append(service_ms / floor_ms)
            told = f"; {service_ms / floor_ms:3.1f}x the bare UPDATE + publish ({floor_ms:5.2f} ms)"
        print(
            f"{action:<19} service {service_ms:6.2f} ms, {statements:2d} statements "
            f"({sql_ms:5.2f} ms in them), "
            f"{service_ms / bare_ms:4.1f}x its bare locked UPDATE ({bare_ms:5.2f} ms); "
            f"HTTP {http_ms:6.2f} ms, {http_ms / http_bare_ms:4.1f}x ({http_bare_ms:5.2f} ms)"
            f"{told}"
        )
    print(f"median ratio (service):  {statistics.median(ratios):4.1f}x")
    if told_ratios:
        print(
            f"those that published ({len(told_ratios)}), to the bare UPDATE + publish: median "
            f"{statistics.median(told_ratios):3.1f}x"
        )
    if broker:
        from celery_app import app

        with app.connection_for_write() as channel:
            channel.default_channel.queue_purge("celery")  # the bench's messages: no worker

"""What binding the parameters on the server and preparing statements buys (config/database.py):
a document's detail, a list of 20, a review-queue page of 50 and a claim + release (the services,
then over HTTP), each CALLS times on one connection after WARM_UP calls, with client-side binding
(Django's default), server-side binding alone, and server-side binding with psycopg's prepared
statements (threshold 5), in turn for ROUNDS rounds, each in a process of its own. Per call: the
wall time, the client's CPU, and the PostgreSQL backend's CPU (``/proc/<pg_backend_pid()>/stat``,
user + system, so PostgreSQL must run on this machine) per statement. Medians of the rounds,
ratios to client-side binding. PostgreSQL only (DATABASE_URL).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
CALLS = 150
WARM_UP = 10  # past the prepare threshold, so the timed calls run prepared statements
# mode: (IDHINI_DB_SERVER_SIDE_BINDING, prepare); "server" turns preparing off in the child
MODES = {"client": ("0", True), "server": ("1", False), "prepared": ("1", True)}
FIGURES = {
    "backend_us_per_statement": "backend CPU per statement, µs",
    "wall_ms": "wall per call, ms",
    "client_cpu_ms": "client CPU per call, ms",
}


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("binding: needs DATABASE_URL=postgres://…; skipped")
        return
    figures: dict[tuple[str, str], list[dict]] = {}
    for round_ in range(1, ROUNDS + 1):
        for mode, (binding, prepare) in MODES.items():
            load = os.getloadavg()[0]
            print(f"round {round_}, {mode} (load average {load:.1f})", flush=True)
            env = {**os.environ, "IDHINI_DB_SERVER_SIDE_BINDING": binding,
                   "BENCH_PREPARE": "1" if prepare else "0"}  # fmt: skip
            code = "from bench.binding_bench import child; child()"
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                                 capture_output=True, text=True).stdout  # fmt: skip
            for line in out.splitlines():
                row = json.loads(line)
                figures.setdefault((row["case"], mode), []).append(row)
    print(report(figures))


def report(figures: dict[tuple[str, str], list[dict]]) -> str:
    lines = []
    for key, title in FIGURES.items():
        lines.append(f"{title} (median of {ROUNDS} rounds; ratio to client-side binding)")
        for case in dict.fromkeys(case for case, _ in figures):
            base = statistics.median(r[key] for r in figures[(case, "client")])
            cells = []
            for mode in MODES:
                value = statistics.median(r[key] for r in figures[(case, mode)])
                cells.append(f"{mode} {value:7.2f} ({value / base:4.2f}x)")
            lines.append(f"  {case:<26}" + "  ".join(cells))
    return "\n".join(lines)


def child() -> None:
    """One mode's figures, one JSON line a case, in a test database of its own."""
    from bench import run_in_test_database, setup_django

    os.environ.setdefault("IDHINI_TESTING", "1")
    setup_django()
    from django.db import connection

    if os.environ.get("BENCH_PREPARE") == "0":
        connection.settings_dict["OPTIONS"]["prepare_threshold"] = None  # Django's default
    run_in_test_database(_cases, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _backend_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _measure(case: str, call: Callable[[], object], calls: int) -> dict:
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    for _ in range(WARM_UP):
        call()
    with connection.execute_wrapper(count):
        backend, cpu, wall = _backend_cpu(pid), time.process_time(), time.perf_counter()
        for _ in range(calls):
            call()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        backend = _backend_cpu(pid) - backend
    return {"case": case, "statements": statements / calls, "wall_ms": 1000 * wall / calls,
            "client_cpu_ms": 1000 * cpu / calls,
            "backend_us_per_statement": 1e6 * backend / max(statements, 1)}  # fmt: skip


def _cases() -> None:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from approvals import transitions
    from bench.api_bench import bench_world
    from bench.reads_bench import _owners
    from bench.seeding import analyze, clone_many
    from tests.helpers import drive, new_document

    world = bench_world()
    document = drive(world, new_document(world, "email_account_request"), "submitted")
    owners = _owners(world)
    clone_many(document, 50, status="submitted", owners=owners)
    clone_many(document, 950, status="approved", owners=owners)
    analyze()
    officer, reviewer = APIClient(), APIClient()
    officer.force_authenticate(world.officer)
    reviewer.force_authenticate(world.reviewer)
    target = drive(world, new_document(world), "submitted")
    by = get_user_model().objects.get(pk=world.reviewer.pk)

    def get(client, path: str) -> Callable[[], None]:
        return lambda: _ok(client.get(path))

    def services() -> None:
        transitions.document_claim(document_id=target.pk, by=by)
        transitions.document_release(document_id=target.pk, by=by)

    def http() -> None:
        for action in ("claim", "release"):
            _ok(reviewer.post(f"/api/v1/documents/{target.pk}/{action}/", {}, format="json"))

    for case, call, calls in (
        ("detail", get(officer, f"/api/v1/documents/{document.pk}/"), CALLS),
        ("list of 20", get(officer, "/api/v1/documents/?page_size=20"), CALLS),
        ("queue page of 50", get(reviewer, "/api/v1/review-queue/?page_size=50"), CALLS // 3),
        ("claim + release, services", services, CALLS),
        ("claim + release, HTTP", http, CALLS),
    ):
        print(json.dumps(_measure(case, call, calls)), flush=True)
    _purge_broker()


def _ok(response) -> None:
    assert response.status_code == 200, response.content


def _purge_broker() -> None:
    from django.conf import settings

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from celery_app import app

        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge("celery")  # the bench's messages: no worker

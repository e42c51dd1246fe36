"""The load test: Idhini as it runs in production, held by many people at once.

``python -m bench load`` (``make bench-load``) needs PostgreSQL (DATABASE_URL: a database
``<name>_load`` is created beside it and dropped after) and Redis (CELERY_BROKER_URL). It
seeds the world of ``bench.load_seed``, starts gunicorn with deploy/gunicorn.conf.py and one
Celery worker with production settings (DJANGO_DEBUG off, a throwaway seal made by
``create_dev_seal``, the production password hasher), runs the Locust users of
``bench/locustfile.py`` headless, and prints requests/s, p50/p95/p99 and errors per endpoint and
the server's CPU per request (gunicorn's and the worker's processes, and the PostgreSQL backends
serving the load database, user + system), and Locust's own (it shares the cores).

Environment: LOAD_USERS (50), LOAD_SECONDS (120), LOAD_DOCUMENTS (100000), LOAD_LIVE (work
per persona, 6), and the gunicorn settings IDHINI_WEB_WORKERS / IDHINI_WEB_THREADS.
The per-address rate limits of token sign-in and verification are raised for the run: every
simulated person comes from 127.0.0.1, where real ones come from their own addresses.
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-pass-2026"


def settings_from_env() -> dict[str, Any]:
    return {
        "users": int(os.environ.get("LOAD_USERS", "50")),
        "seconds": int(os.environ.get("LOAD_SECONDS", "120")),
        "documents": int(os.environ.get("LOAD_DOCUMENTS", "100000")),
        "live": int(os.environ.get("LOAD_LIVE", "6")),
    }


def main() -> None:
    url, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("postgres") or not broker.startswith("redis"):
        print("load: needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…; skipped")
        return
    result = run(database_url=url, broker_url=broker, **settings_from_env())
    print(report(result))


def run(*, database_url: str, broker_url: str, users: int, seconds: int, documents: int,
        live: int) -> dict[str, Any]:  # fmt: skip
    """Migrate and seed a database of its own, serve, load; the figures (see ``report``)."""
    from bench.load_server import load_database

    with (
        tempfile.TemporaryDirectory(prefix="idhini-load-") as tmp,
        load_database(database_url) as db_url,
    ):
        started = time.perf_counter()
        world = _seed(db_url, Path(tmp), documents=documents, live=live)
        seeded = time.perf_counter() - started
        print(f"load: migrated and seeded {documents:,} documents in {seeded:.0f} s", flush=True)
        result = load(db_url, broker_url, world, Path(tmp), users=users, seconds=seconds)
    return {**result, "documents": documents, "seeded_s": seeded}


def load(db_url: str, broker_url: str, world: Path, tmp: Path, *, users: int,
         seconds: int) -> dict[str, Any]:  # fmt: skip
    """Start the servers on a seeded database, run the Locust users, stop; the figures."""
    from bench.load_server import DatabaseCPU, Servers

    started = time.perf_counter()
    with Servers(tmp, db_url, broker_url) as servers:
        startup = time.perf_counter() - started
        with DatabaseCPU(db_url) as database:
            web_before, worker_before = servers.cpu_seconds()
            locust_before = _children_cpu_seconds()
            stats = _locust(servers.url, world, tmp, users=users, seconds=seconds)
            web, worker = servers.cpu_seconds()
            locust = _children_cpu_seconds() - locust_before
    total = stats["Aggregated"]
    requests = max(total["requests"], 1)
    return {
        "users": users, "seconds": seconds, "startup_s": startup, "workers": servers.workers,
        "threads": servers.threads, "endpoints": stats, "requests": total["requests"],
        "errors": total["failures"], "rps": total["rps"],
        "web_cpu_ms": 1000 * (web - web_before) / requests,
        "worker_cpu_ms": 1000 * (worker - worker_before) / requests,
        "database_cpu_ms": None if database.seconds is None else 1000 * database.seconds / requests,
        "locust_cpu_ms": 1000 * locust / requests,
    }  # fmt: skip


def _children_cpu_seconds() -> float:
    """User + system CPU of this process's children that have ended: Locust's, once it has
    (the load's own cost, on the cores the servers share)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seed(db_url: str, tmp: Path, *, documents: int, live: int) -> Path:
    """Migrate and seed in a child process (development settings: the seeding drives the
    services directly); the world's JSON for the Locust users."""
    out = tmp / "world.json"
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_DEBUG": "1", "IDHINI_VAR_DIR": str(tmp),
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}  # fmt: skip
    env.pop("CELERY_BROKER_URL", None)  # sealing the citizens' documents in-process
    code = (
        "import json, sys; from bench import setup_django; setup_django();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from bench.load_seed import seed;"
        f"w = seed(documents={documents}, live={live}, password={PASSWORD!r});"
        f"open({str(out)!r}, 'w').write(json.dumps(w))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=1800)
    return out


def _locust(url: str, world: Path, tmp: Path, *, users: int, seconds: int) -> dict[str, dict]:
    prefix = tmp / "locust"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "--users", str(users), "--spawn-rate", str(max(users // 5, 1)),
         "--run-time", f"{seconds}s", "--host", url, "--csv", str(prefix), "--only-summary",
         "--loglevel", "WARNING", "--stop-timeout", "10"],
        cwd=ROOT, env={**os.environ, "LOAD_WORLD": str(world)}, check=False,
        timeout=seconds + 120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
            "p99": float(row["99%"] or 0),
        }
        for row in rows
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['users']} users for {result['seconds']} s on {result.get('documents', 0):,} "
        f"documents (servers up in {result['startup_s']:.0f} s); gunicorn {result['workers']} "
        f"workers x {result['threads']} threads, one Celery worker",
        f"{'endpoint':<26}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}",
    ]
    for name, row in sorted(result["endpoints"].items(), key=lambda kv: kv[0] == "Aggregated"):
        lines.append(
            f"{name:<26}{row['requests']:>9}{row['failures']:>8}{row['rps']:>8.1f}"
            f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}"
        )
    database = result.get("database_cpu_ms")
    lines.append(
        f"total {result['requests']} requests, {result['rps']:.1f}/s, {result['errors']} errors; "
        f"server CPU per request: web {result['web_cpu_ms']:.1f} ms, worker "
        f"{result['worker_cpu_ms']:.1f} ms, database "
        + ("not measured (not on this machine)" if database is None else f"{database:.1f} ms")
        + f"; Locust's own {result.get('locust_cpu_ms', 0):.1f} ms (latencies in ms)"
    )
    return "\n".join(lines)

"""The database from DATABASE_URL (config/settings.py reads it): PostgreSQL in production,
SQLite file under var/ when unset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# psycopg prepares a statement the fifth time a connection runs it (psycopg's own default;
# Django turns preparing off unless OPTIONS asks): a statement run less often on a connection
# costs what it did, one run as often is planned once per connection (CONN_MAX_AGE, 60 s).
PREPARE_THRESHOLD = 5


def database_config(
    url: str, sqlite_path: Path, *, server_side_binding: bool = True
) -> dict[str, Any]:
    if url:
        try:
            database = dj_database_url.parse(url, conn_max_age=60)
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
    if database["ENGINE"] == "django.db.backends.postgresql" and server_side_binding:
        # PostgreSQL parses and plans a statement whose values psycopg quoted into its text
        # (Django's default, client-side binding) on every run: 0.7-0.85 ms of the server's CPU
        # per statement of a detail, a list or a transition here. Bound on the server and
        # prepared, 0.24-0.36 ms (0.29-0.43x), and the calls 0.52-0.74x the wall time (README,
        # "Database: prepared statements"; 2026-12-03, shared machine). Binding on the server
        # without preparing saves nothing measurable. Off (IDHINI_DB_SERVER_SIDE_BINDING=0)
        # behind a pooler that cannot keep prepared statements: PgBouncer in transaction mode
        # before 1.21 or without max_prepared_statements.
        database.setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD}
        )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite serialises writers (a web process and a worker, say): wait for the lock instead
        # of failing at once, and take it at BEGIN so a read-then-write transaction never
        # deadlocks on upgrade. Also for a sqlite:/// DATABASE_URL.
        database.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    return database

"""The database from DATABASE_URL (config/settings.py reads it): PostgreSQL in production,
SQLite file under var/ when unset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def database_config(url: str, sqlite_path: Path) -> dict[str, Any]:
    if url:
        try:
            database = dj_database_url.parse(url, conn_max_age=60)
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite serialises writers (a web process and a worker, say): wait for the lock instead
        # of failing at once, and take it at BEGIN so a read-then-write transaction never
        # deadlocks on upgrade. Also for a sqlite:/// DATABASE_URL.
        database.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    return database

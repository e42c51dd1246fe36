"""The load test, short: 10 Locust users for 30 s against gunicorn (deploy/gunicorn.conf.py)
and a Celery worker in production mode, on the test database (PostgreSQL) and a redis-server of
its own, over a small seeded world. Every request must succeed. ``python -m bench load`` is the
full run (50 users, 100,000 documents), by hand."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bench.load_bench import PASSWORD, load, report
from bench.load_seed import seed
from tests.notifications.conftest import reset_broker_connections
from tests.notifications.live_stack import LiveStack, database_url, unavailable

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_ten_users_for_thirty_seconds_get_no_error(tmp_path, capsys, settings):
    if connection.vendor != "postgresql" or unavailable():
        pytest.skip("the load test runs on PostgreSQL, with redis-server installed")
    stack = LiveStack(tmp_path)
    stack.start_redis()
    try:
        # The citizens' document is sealed by the worker under load, not here.
        settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = stack.broker_url, False
        reset_broker_connections()
        world = seed(documents=2_000, live=1, password=PASSWORD, approved=1, personas=4)
        (tmp_path / "world.json").write_text(json.dumps(world))
        result = load(database_url(), stack.broker_url, tmp_path / "world.json", tmp_path,
                      users=10, seconds=30)  # fmt: skip
    finally:
        stack.stop_redis()
        reset_broker_connections()
    with capsys.disabled():
        print("\n" + report(result))
    assert result["errors"] == 0, report(result)
    assert result["requests"] >= 10, report(result)
    assert {"documents list", "document detail", "verify"} <= set(result["endpoints"])
    # The PostgreSQL backends of the test database (on this machine) worked for the requests.
    assert result["database_cpu_ms"] > 0, report(result)

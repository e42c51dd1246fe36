"""GET /healthz with a real Redis and a real Celery worker: the worker answers the ping through
the broker ("worker": "ok"); stopped, the broker still answers and the host still serves, so
the answer is 200 "degraded" (e-mail and seals wait, nothing is lost), never 503.

Starts its own redis-server on a free port (skipped where it is not installed) and a worker
without beat on a database of its own: the ping needs no shared data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from django.test import Client

from tests.notifications.live_stack import BASE_DIR, LiveStack, wait_until

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is absent"),
]


class PingStack(LiveStack):
    def worker_env(self) -> dict[str, str]:
        env = super().worker_env()
        env["DATABASE_URL"] = f"sqlite:///{self.workdir / 'worker.sqlite3'}"
        return env

    def start_worker(self, concurrency: int = 1) -> None:
        self.worker_log = self.workdir / "worker.log"
        with self.worker_log.open("wb") as log:
            self.worker = subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "celery_app", "worker"),
                    *("--pool=solo", "--without-mingle", "--without-gossip", "--loglevel=INFO"),
                    *("-n", f"idhini-health-{self.redis_port}@%h"),
                ],
                cwd=BASE_DIR,
                env=self.worker_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(
            lambda: self.worker.poll() is not None or " ready." in self.log(),
            30,
            "the Celery worker to be ready",
        )
        assert self.worker.poll() is None, self.log()


@pytest.fixture
def stack(tmp_path, use_broker, monkeypatch):
    stack = PingStack(tmp_path)
    stack.start_redis()
    # Celery prefers the environment's CELERY_BROKER_URL (CI sets one) to the settings: in
    # production both say the same, and so they do here.
    monkeypatch.setenv("CELERY_BROKER_URL", stack.broker_url)
    use_broker(stack.broker_url)
    yield stack
    stack.stop_worker()
    stack.stop_redis()


def health() -> tuple[int, dict]:
    response = Client().get("/healthz")
    return response.status_code, response.json()


def test_a_running_worker_answers_and_a_stopped_one_is_degraded_not_down(stack):
    status, body = health()
    assert (status, body["broker"], body["worker"], body["status"]) == (
        200,
        "ok",
        "down",
        "degraded",
    )

    stack.start_worker()
    status, body = health()
    assert (status, body["broker"], body["worker"], body["status"]) == (200, "ok", "ok", "ok")

    stack.stop_worker()
    status, body = health()
    assert (status, body["worker"], body["status"]) == (200, "down", "degraded")


def test_a_broker_that_stops_is_503(stack):
    assert health()[1]["broker"] == "ok"

    stack.stop_redis()
    status, body = health()

    assert status == 503 and body["broker"] == "down" and body["status"] == "down"

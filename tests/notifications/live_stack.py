"""A real delivery stack for tests: our own redis-server on a free port, a Celery worker (with
beat) in a subprocess sharing the test database, and an SMTP sink in the test process.

Only for databases another process can open: PostgreSQL (pytest-django's ``test_<name>``) or a
file-based SQLite test database.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.notifications.smtp_sink import SmtpSink, free_port

BASE_DIR = Path(settings.BASE_DIR)
SWEEP_SECONDS = 1
LEASE_SECONDS = 3


def unavailable() -> str | None:
    """Why a live stack cannot run here, or None."""
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    if connection.vendor == "postgresql":
        return None
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return None
    return "a worker process cannot share an in-memory SQLite test database"


def database_url() -> str:
    """The test database, as the worker's DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def wait_until(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class LiveStack:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.redis_port = free_port()
        self.broker_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.sink = SmtpSink()
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_log: Path | None = None
        self._workers_started = 0

    # --- redis ---------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._redis_answers, 10, "redis-server to answer")

    def _redis_answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.redis_port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def stop_redis(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(10)
            self.redis = None

    # --- worker --------------------------------------------------------------------------

    def worker_env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("EMAIL_", "CELERY_", "DATABASE_", "IDHINI_", "DJANGO_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            IDHINI_TESTING="1",
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=self.broker_url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.sink.port),
            EMAIL_USE_TLS="0",
            EMAIL_TIMEOUT="5",
            IDHINI_OUTBOX_SWEEP_SECONDS=str(SWEEP_SECONDS),
            IDHINI_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
            IDHINI_VAR_DIR=str(self.workdir),
            IDHINI_LOG_LEVEL="INFO",
        )
        return env

    def start_worker(self, concurrency: int = 2) -> None:
        self._workers_started += 1
        self.worker_log = self.workdir / f"worker-{self._workers_started}.log"
        with self.worker_log.open("wb") as log:
            self.worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "celery_app",
                    "worker",
                    "--beat",
                    "--schedule",
                    str(self.workdir / f"beat-{self._workers_started}"),
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    "--without-mingle",
                    "--without-gossip",
                    "--loglevel=INFO",
                    "-n",
                    f"idhini-test-{self.redis_port}-{self._workers_started}@%h",
                ],
                cwd=BASE_DIR,
                env=self.worker_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed as one
            )
        wait_until(
            lambda: self.worker.poll() is not None or " ready." in self.log(),
            30,
            "the Celery worker to be ready",
        )
        assert self.worker.poll() is None, self.log()

    def log(self) -> str:
        if self.worker_log is None or not self.worker_log.exists():
            return ""
        return self.worker_log.read_text(errors="replace")

    def kill_worker(self) -> None:
        """SIGKILL the worker, its pool processes and its beat at once (a crash)."""
        if self.worker is not None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)
            self.worker = None

    def restart_worker_if_it_failed(self) -> bool:
        """What systemd does for the deployed worker (deploy/systemd/idhini-worker.service:
        ``Restart=on-failure``): a worker that exited with a failure is started again. Celery
        5.7 with kombu 5.7 can exit so when the broker goes away while it holds a message not
        yet acknowledged: closing the channel restores the message over a connection already
        gone ("Unrecoverable error: AttributeError … 'hostname'", exit status 1). Whether it
        restarted; a worker that exited cleanly is a failure of the test."""
        if self.worker is None or self.worker.poll() is None:
            return False
        assert self.worker.returncode != 0, self.log()  # on-failure restarts only failures
        self.stop_worker()  # its process group: no pool process left behind
        self.start_worker()
        return True

    def stop_worker(self) -> None:
        if self.worker is None:
            return
        try:
            os.killpg(self.worker.pid, signal.SIGTERM)
            self.worker.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)
        except ProcessLookupError:
            pass
        self.worker = None

    # --- all -----------------------------------------------------------------------------

    def start(self) -> LiveStack:
        self.sink.start()
        self.start_redis()
        self.start_worker()
        return self

    def stop(self) -> None:
        self.stop_worker()
        self.stop_redis()
        self.sink.stop()


def serve(stack: LiveStack, django_db_blocker):
    """The body of a module-scoped fixture: ``yield from serve(LiveStack(...), blocker)`` starts
    the stack (or skips where it cannot run), yields it, and stops it."""
    import pytest

    with django_db_blocker.unblock():
        reason = unavailable()
        if reason:
            pytest.skip(reason)
        try:
            stack.start()
        except Exception:
            stack.stop()
            raise
    yield stack
    stack.stop()

"""The load test's servers: a database of its own, and gunicorn (deploy/gunicorn.conf.py) with
one Celery worker, in production mode (DJANGO_DEBUG off, a throwaway seal as ``make
check-deploy`` makes one)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def load_database(database_url: str) -> Iterator[str]:
    """A fresh database ``<name>_load`` on the server of ``database_url``, dropped after."""
    import psycopg

    base, _, name = database_url.rpartition("/")
    name = name.split("?")[0] + "_load"
    admin = f"{base}/postgres"

    def execute(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _gunicorn_setting(name: str) -> int:
    """What deploy/gunicorn.conf.py makes of the environment (IDHINI_WEB_WORKERS, …)."""
    import runpy

    return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))[name]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree_cpu(pid: int) -> float:
    total = 0.0
    parent = psutil.Process(pid)
    for each in [parent, *parent.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


class DatabaseCPU:
    """User + system CPU of the PostgreSQL backends serving one database (``db_url``'s), from
    /proc while a context manager: pg_stat_activity's backends of that database sampled every
    ``interval`` s, each backend's CPU since the start (or since it connected). A backend that
    exits between two samples takes up to ``interval`` s of its CPU with it (a small undercount);
    ``seconds`` is None when the server is not on this machine."""

    def __init__(self, db_url: str, interval: float = 0.5):
        base, _, name = db_url.rpartition("/")
        self.admin, self.name, self.interval = f"{base}/postgres", name.split("?")[0], interval
        self.first: dict[tuple, float] = {}
        self.last: dict[tuple, float] = {}
        self.seconds: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def __enter__(self) -> DatabaseCPU:
        import psycopg

        # From the maintenance database: the sampling's own backend is not counted.
        self._connection = psycopg.connect(self.admin, autocommit=True)
        own = self._connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        try:  # the server's pids are ours to read only if it runs here
            self.local = "postgres" in psutil.Process(own).name()
        except psutil.Error:
            self.local = False
        if self.local:
            self._sample(baseline=True)
            self._thread.start()
        return self

    def _sample(self, *, baseline: bool = False) -> None:
        # A backend is its pid and when it started: a pid the kernel gave again to a later
        # backend starts its count afresh.
        backends = self._connection.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = %s AND "
            "backend_type = 'client backend'", [self.name]
        ).fetchall()  # fmt: skip
        for backend in backends:
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(backend[0]).cpu_times()
                self.last[backend] = times.user + times.system
                self.first.setdefault(backend, self.last[backend] if baseline else 0.0)

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __exit__(self, *exc) -> None:
        if self.local:
            self._stop.set()
            self._thread.join()
            self._sample()
            self.seconds = sum(self.last[pid] - self.first[pid] for pid in self.last)
        self._connection.close()


class Servers:
    """gunicorn and a Celery worker on ``db_url`` and ``broker_url``; a context manager."""

    def __init__(self, tmp: Path, db_url: str, broker_url: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads = _gunicorn_setting("workers"), _gunicorn_setting("threads")
        self.tmp = tmp
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "load-test-" + os.urandom(24).hex(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "IDHINI_SITE_URL": "https://idhini.example.go.tz",
            "IDHINI_VAR_DIR": str(tmp / "var"),
            "MEDIA_ROOT": str(tmp / "media"),
            "SEAL_KEY_PATH": str(tmp / "seal" / "dev-seal-key.pem"),
            "SEAL_CERT_PATH": str(tmp / "seal" / "dev-seal-cert.pem"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DATABASE_URL": db_url,
            "CELERY_BROKER_URL": broker_url,
            # Rate limits and lockouts shared by the web processes, as deployed (README).
            "IDHINI_CACHE_URL": broker_url,
            "IDHINI_WEB_BIND": f"127.0.0.1:{self.port}",
            # Every simulated person comes from 127.0.0.1 (real ones from their own addresses).
            "IDHINI_AUTH_RATE": "100000/min",
            "IDHINI_VERIFY_RATE": "100000/min",
            # The simulated signatories and reviewers have no authenticator (production sends
            # them to enrolment and refuses their signatures and approvals); a TOTP check is
            # one cached row and microseconds of HMAC beside the password's hash.
            "IDHINI_REQUIRE_2FA": "0",
            "IDHINI_LOG_FILE": str(tmp / "idhini.log"),
        }
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> Servers:
        # The throwaway seal (as ``make check-deploy`` makes one) and the static files, in one
        # Django start-up: hashed names and the manifest production reads, without the gzip and
        # Brotli copies (minutes of CPU here; as tests/ops/served.py collects them).
        prepare = (
            "import sys; from bench import setup_django; setup_django();"
            "from django.conf import settings; from django.core.management import call_command;"
            "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
            "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}};"
            "call_command('create_dev_seal', sys.argv[1]);"
            "call_command('collectstatic', interactive=False, verbosity=0)"
        )
        subprocess.run([sys.executable, "-c", prepare, str(self.tmp / "seal")], env=self.env,
                       cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        log = (self.tmp / "servers.log").open("ab")
        self.processes = [
            subprocess.Popen([sys.executable, "-m", "gunicorn", "--config",
                              str(ROOT / "deploy" / "gunicorn.conf.py")],
                             cwd=ROOT, env=self.env, stdout=log, stderr=log),
            subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_app", "worker",
                              "--concurrency=1", "--loglevel=WARNING"],
                             cwd=ROOT, env=self.env, stdout=log, stderr=log),
        ]  # fmt: skip
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        """gunicorn answers /healthz and the worker has forked its pool (it is ready): neither's
        start-up is counted in the CPU per request."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if not psutil.Process(self.processes[1].pid).children():
                continue
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                continue
        raise RuntimeError(f"the servers did not start: see {self.tmp / 'servers.log'}")

    def cpu_seconds(self) -> tuple[float, float]:
        """User + system CPU so far of gunicorn and of the worker, each with its children (a
        gunicorn worker replaced after max_requests takes its CPU with it: a small undercount)."""
        return tuple(_tree_cpu(process.pid) for process in self.processes)

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

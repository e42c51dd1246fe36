"""Notifications: from commit to handed to SMTP, with one Celery worker.

Run: ``python -m bench`` (all benchmarks), ``python -m bench notify`` or
``python -m bench.notify_bench``. Needs ``redis-server`` installed; starts its own on a free
port, a Celery worker (prefork, concurrency 1) and a local SMTP sink (aiosmtpd), and uses a
throw-away database: a fresh PostgreSQL database next to ``DATABASE_URL`` when that points at
PostgreSQL, else a temporary SQLite file.

Each of 500 transactions sends ``document_transitioned`` (a signature: the next signatory is
told) as a transition does; the receiver writes the notification and the outbox row, and the
delivery is enqueued after commit. Latency is from the moment the transaction committed to the
moment the SMTP server accepted the message (both clocks in this process). Two loads: steady
(20 commits a second) and a burst (500 commits back to back, so the queue is the latency).
Baseline, same run: ``send_mail`` called directly, synchronously, through the same SMTP server.
Not a test: it asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNT = 500
STEADY_RATE = 20  # commits per second: far above Idhini's real load, below one worker's limit
BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    if shutil.which("redis-server") is None:
        print("notify_bench: skipped, redis-server is not installed")
        return
    # A process of its own: its database, broker and mail settings must not leak into (or come
    # from) the other benchmarks run by ``python -m bench``.
    with tempfile.TemporaryDirectory(prefix="idhini-notify-bench-") as workdir:
        env = dict(os.environ)
        database, drop = _database(workdir)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="0",
            IDHINI_TESTING="1",  # no secret key needed, nothing of production's HTTPS rules
            DATABASE_URL=database,
            IDHINI_VAR_DIR=workdir,
            IDHINI_LOG_LEVEL="WARNING",
        )
        for name in ("CELERY_BROKER_URL", "IDHINI_CACHE_URL"):
            env.pop(name, None)
        try:
            subprocess.run(
                [sys.executable, "-c", "from bench.notify_bench import run; run()"],
                cwd=BASE_DIR,
                env=env,
                check=True,
            )
        finally:
            drop()


def _database(workdir: str):
    """(DATABASE_URL, drop) of a throw-away database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir}/bench.sqlite3", lambda: None
    import psycopg

    base, _slash, name = url.rpartition("/")
    bench_name = f"{name or 'idhini'}_notify_bench"
    admin_url = f"{base}/postgres"

    def execute(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
    execute(f'CREATE DATABASE "{bench_name}"')
    return f"{base}/{bench_name}", lambda: execute(f'DROP DATABASE IF EXISTS "{bench_name}"')


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


class ProcessSink:
    """The SMTP sink in a process of its own (see tests.notifications.smtp_sink.serve)."""

    def __init__(self, port: int, record: Path):
        self.port, self.record = port, record
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.record.touch()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.notifications.smtp_sink",
                str(self.port),
                str(self.record),
            ],
            cwd=BASE_DIR,
        )
        from tests.notifications.live_stack import wait_until

        wait_until(self._answers, 15, "the SMTP sink")

    def _answers(self) -> bool:
        import socket

        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)

    def accepted(self, message_ids: set[str], timeout: float = 180) -> dict[str, float]:
        """Message-ID -> when the server accepted it, waiting for all of ``message_ids``."""
        deadline = time.monotonic() + timeout
        while True:
            got: dict[str, float] = {}
            for line in self.record.read_text().splitlines():
                at, _space, message_id = line.partition(" ")
                if message_id in message_ids:
                    got.setdefault(message_id, float(at))
            if len(got) == len(message_ids) or time.monotonic() > deadline:
                return got
            time.sleep(0.05)


def run() -> None:
    """In the child process: set up, measure, print."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.notifications.live_stack import LiveStack

    call_command("migrate", verbosity=0)
    stack = LiveStack(Path(settings.VAR_DIR))  # its in-process sink is not started
    sink = ProcessSink(stack.sink.port, Path(settings.VAR_DIR) / "accepted.txt")
    settings.CELERY_BROKER_URL = stack.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = False
    try:
        sink.start()
        stack.start_redis()
        stack.start_worker(concurrency=1)
        print(f"database: {connection.vendor}; one worker (prefork, concurrency 1); {COUNT} each")
        _measure(sink)
    finally:
        stack.stop()
        sink.stop()


def _world():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from workflow.models import Document, Institution, Membership, Role, Status

    User = get_user_model()
    moh = Institution.objects.create(code="MOH", name_sw="Wizara ya Afya", name_en="Health")
    author = User.objects.create_user("officer", email="officer@example.go.tz")
    signer = User.objects.create_user("ict_head", email="ict_head@example.go.tz")
    Membership.objects.create(user=author, institution=moh, role=Role.OFFICER)
    Membership.objects.create(user=signer, institution=moh, role=Role.HEAD_OF_ICT)
    document = Document.objects.create(
        type="email_account_request",
        title="Barua pepe ya ofisi ya TEHAMA",
        institution=moh,
        author=author,
        status=Status.AWAITING_SIGNATURES,
        next_signer=signer,
        content_hash="sha256:bench",
        status_changed_at=timezone.now(),
    )
    return document, author


def _baseline(sink: ProcessSink) -> list[float]:
    from django.core.mail import EmailMessage

    started: dict[str, float] = {}
    for n in range(COUNT):
        message_id = f"<baseline-{n}@bench.idhini>"
        email = EmailMessage(
            f"Baseline {n}",
            "Maandishi",
            None,
            ["ict_head@example.go.tz"],
            headers={"Message-ID": message_id},
        )
        started[message_id] = time.time()
        email.send()
    accepted = sink.accepted(set(started))
    return [accepted[mid] - started[mid] for mid in started]


def _notifications(sink: ProcessSink, document, author, rate) -> tuple[list[float], float]:
    """(latencies, seconds from the first commit to the last acceptance)."""
    from django.db import transaction

    from notifications.models import Outbox
    from workflow.models import Document, Status
    from workflow.signals import document_transitioned

    committed_at: dict[int, float] = {}
    interval = 1 / rate if rate else 0.0
    started = time.perf_counter()
    for n in range(COUNT):
        if interval:
            time.sleep(max(0.0, started + n * interval - time.perf_counter()))
        stamp: dict[str, float] = {}
        with transaction.atomic():
            # Runs first after commit: the receiver's enqueue is registered after it.
            transaction.on_commit(lambda stamp=stamp: stamp.setdefault("at", time.time()))
            responses = document_transitioned.send(
                sender=Document,
                document=document,
                action="sign",
                actor=author,
                from_status=Status.AWAITING_SIGNATURES,
                to_status=Status.AWAITING_SIGNATURES,
                event=None,
                details={},
            )
        (note,) = [note for _receiver, notes in responses for note in (notes or [])]
        committed_at[note.pk] = stamp["at"]
    by_message = dict(
        Outbox.objects.filter(notification_id__in=committed_at).values_list(
            "message_id", "notification_id"
        )
    )
    accepted = sink.accepted(set(by_message))
    if len(accepted) < COUNT:
        raise RuntimeError(f"only {len(accepted)} of {COUNT} e-mails arrived")
    span = max(accepted.values()) - min(committed_at.values())
    return [at - committed_at[by_message[mid]] for mid, at in accepted.items()], span


def _measure(sink: ProcessSink) -> None:
    document, author = _world()
    baseline = _baseline(sink)
    b50, b95 = _percentiles(baseline)
    print(
        f"baseline  send_mail, synchronous, in series   p50 {b50 * 1000:7.1f} ms   "
        f"p95 {b95 * 1000:7.1f} ms"
    )
    for label, rate in (("steady", STEADY_RATE), ("burst", None)):
        latencies, span = _notifications(sink, document, author, rate)
        p50, p95 = _percentiles(latencies)
        print(
            f"{label:6}    commit -> SMTP, {COUNT / span:3.0f} msg/s through  "
            f"p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
            f"ratio to baseline p50 {p50 / b50:6.1f}x, p95 {p95 / b95:6.1f}x"
        )


if __name__ == "__main__":
    main()

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

Then SMTP's duplicate window (RFC 1047), in this process (the delivery code a worker runs, without
Celery around it): a message is sent twice only if its sender dies after the server took it and
before the row's "sent" was handed to the database. Measured per delivery: the server's part
(taken, by the sink's clock, to "250" read by the client), ours ("250" read to the mark handed to
the database: on PostgreSQL the COMMIT of a mark written before the message, elsewhere the
UPDATE), and ours until the mark is durable. A statement handed to PostgreSQL is carried out even
if its client dies the next instant, so there the window ends at "handed over"; SQLite commits in
the sender's own process, so there it ends once the commit is written (between the two figures:
its fsync matters for a power cut, not for a killed process). The share is the window over the
whole delivery (claim to QUIT): the chance that a worker killed at a random moment of a delivery
repeats a message. Not a test: it asserts nothing.
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

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

COUNT = 500
WINDOW_COUNT = 300
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
        """Message-ID -> when the server last accepted it, waiting for all of ``message_ids``."""
        deadline = time.monotonic() + timeout
        while True:
            got: dict[str, float] = {}
            for line in self.record.read_text().splitlines():
                at, _space, message_id = line.partition(" ")
                if message_id in message_ids:
                    got[message_id] = float(at)  # the latest, if sent again
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
        stack.stop_worker()  # the window is measured here, with nobody else delivering
        _duplicate_window(sink)
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


class _Clock:
    """Marks of one delivery, taken at the edges: the SMTP backend and the database driver."""

    def __init__(self):
        self.marks: dict[str, float] = {}

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, time.perf_counter())
        if name == "250":
            self.marks.setdefault("250-wall", time.time())


CLOCK = _Clock()


class TimingBackend(SMTPBackend):
    """Django's SMTP backend, marking when the server's "250" was read and when QUIT begins
    (EMAIL_BACKEND = "bench.notify_bench.TimingBackend" while the window is measured)."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        CLOCK.mark("250")  # smtplib has read the server's reply to the end of DATA
        return sent

    def close(self):
        CLOCK.mark("quit")  # after the mark (outbox_deliver says QUIT only then)
        return super().close()


def _duplicate_window(sink: ProcessSink) -> None:
    from django.db import connection
    from django.test.utils import override_settings

    from notifications import delivery
    from notifications.models import Outbox, OutboxStatus

    clock = CLOCK
    # E-mails the steady and burst runs delivered, made pending again and delivered once more.
    rows = list(Outbox.objects.filter(status=OutboxStatus.SENT).order_by("pk")[:WINDOW_COUNT])
    Outbox.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=OutboxStatus.PENDING, attempts=0, sent_at=None
    )

    def on_statement(execute, sql, params, many, context):
        if "250" in clock.marks and sql.lstrip().upper().startswith("UPDATE"):
            clock.mark("handed")
        return execute(sql, params, many, context)

    commit = connection._commit

    def timed_commit():
        if "250" in clock.marks:
            clock.mark("handed")
        return commit()

    connection._commit = timed_commit
    ours, durable, whole, sent_at = [], [], [], {}
    with (
        connection.execute_wrapper(on_statement),
        override_settings(EMAIL_BACKEND=f"{__name__}.TimingBackend"),
    ):
        for row in rows:
            clock.marks.clear()
            started = time.perf_counter()
            result = delivery.outbox_deliver(outbox_id=row.pk)
            finished = time.perf_counter()
            if result.outcome != "sent":
                raise RuntimeError(f"delivery {row.pk}: {result}")
            ours.append(clock.marks["handed"] - clock.marks["250"])
            whole.append(finished - started)
            durable.append(clock.marks["quit"] - clock.marks["250"])
            sent_at[row.message_id] = clock.marks["250-wall"]
    del connection._commit
    accepted = sink.accepted(set(sent_at))
    server = [sent_at[mid] - accepted[mid] for mid in sent_at]
    _print_window(server, ours, durable, whole)


def _print_window(server: list, ours: list, durable: list, whole: list) -> None:
    s50, s95 = _percentiles(server)
    o50, o95 = _percentiles(ours)
    d50, d95 = _percentiles(durable)
    w50, w95 = _percentiles(whole)
    print(
        f"window    {WINDOW_COUNT} deliveries in series; RFC 1047 duplicate window per message:\n"
        f"          server: taken -> '250' read      p50 {s50 * 1000:7.3f} ms   "
        f"p95 {s95 * 1000:7.3f} ms\n"
        f"          ours: '250' -> mark handed over  p50 {o50 * 1000:7.3f} ms   "
        f"p95 {o95 * 1000:7.3f} ms\n"
        f"          ours: '250' -> mark durable      p50 {d50 * 1000:7.3f} ms   "
        f"p95 {d95 * 1000:7.3f} ms\n"
        f"          whole delivery (baseline)        p50 {w50 * 1000:7.3f} ms   "
        f"p95 {w95 * 1000:7.3f} ms\n"
        f"          window / delivery, p50: {(s50 + o50) / w50:.1%} to the mark handed over, "
        f"{(s50 + d50) / w50:.1%} to the mark durable (server alone {s50 / w50:.1%})"
    )


if __name__ == "__main__":
    main()

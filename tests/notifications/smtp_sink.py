"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives: the edge of the
system, where tests may stand in for the world. It can refuse (5xx) or defer (4xx) addresses."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    at: float  # time.time() when the server accepted it
    to: tuple[str, ...]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def kind(self) -> str:
        return self.message["X-Idhini-Notification"]

    @property
    def language(self) -> str:
        return self.message["Content-Language"]


def _client_left(server) -> bool:
    """Whether the client closed its end (asyncio does not notice while the handler runs)."""
    if server.transport is None:
        return True
    fileno = server.transport.get_extra_info("socket").fileno()
    with socket.fromfd(fileno, socket.AF_INET, socket.SOCK_STREAM) as peek:
        try:
            return peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False  # open, nothing to read
        except OSError:
            return True


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.sink.defer:
            return f"451 4.7.1 <{address}>: Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)  # a server that takes its time to accept
            if _client_left(server):
                # The client left before hearing "250": like a careful MTA, accept nothing.
                return "421 4.4.2 Connection lost"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.received.append(Received(time.time(), tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        self.delay = 0.0
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                break
            time.sleep(0.05)
        return self.messages()


def serve(port: int, record: str) -> None:
    """Run a sink in a process of its own (``python -m tests.notifications.smtp_sink PORT
    FILE``), appending "<time> <Message-ID>" per accepted message to FILE: a benchmark's own
    work then does not slow the server down (they would share one interpreter lock)."""
    import signal

    sink = SmtpSink(port)

    class Recording(_Handler):
        async def handle_DATA(self, server, session, envelope):
            reply = await super().handle_DATA(server, session, envelope)
            with self.sink.lock:
                received = self.sink.received.pop()
            with open(record, "a", encoding="utf-8") as out:
                out.write(f"{received.at:.6f} {received.message_id}\n")
            return reply

    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)  # for sigwait, in every thread
    controller = Controller(Recording(sink), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait(stop)
    controller.stop()


if __name__ == "__main__":
    import sys

    serve(int(sys.argv[1]), sys.argv[2])

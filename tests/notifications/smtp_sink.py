"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives: the edge of the
system, where tests may stand in for the world. It can refuse (5xx) or defer (4xx) addresses,
take its time, or hold a message at either side of the instant it takes it (see ``Hold``).

It also tells which accepted messages the client may not have heard about. A server takes a
message when it has it whole and says "250"; a client that dies before it has read that "250"
and recorded it will send the message again (RFC 1047: SMTP's own duplicate window). Idhini
records a message as sent before it says anything more on the connection (QUIT, or the next
MAIL), so an accepted message followed by another command is one Idhini knew it had sent;
one followed by nothing (the connection dropped) is *unconfirmed*: the only kind that may
arrive twice.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import enum
import itertools
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


_connections = itertools.count()


def _key(session) -> int:
    """A number per connection, never reused (``id()`` of a closed one may be)."""
    if not hasattr(session, "idhini_sink_key"):
        session.idhini_sink_key = next(_connections)
    return session.idhini_sink_key


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
        await self.sink.holding(Hold.BEFORE_TAKING)
        if _client_left(server):
            # The client left before the server took the message: like a careful MTA, take
            # nothing (the client will send it again, and it arrives once).
            return "421 4.4.2 Connection lost"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        received = Received(time.time(), tuple(envelope.rcpt_tos), message)
        with self.sink.lock:
            self.sink.received.append(received)
            self.sink.unconfirmed[_key(session)] = received.message_id
        await self.sink.holding(Hold.AFTER_TAKING)  # taken; the "250" not said yet
        return "250 Message accepted for delivery"

    # Any command after a "250" to DATA means the client heard it (see the module's docstring).

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.sink.confirm(session)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RSET(self, server, session, envelope):
        self.sink.confirm(session)
        return "250 OK"

    async def handle_NOOP(self, server, session, envelope, arg):
        self.sink.confirm(session)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        self.sink.confirm(session)
        return "221 Bye"


class Hold(enum.Enum):
    """Where the next message waits until ``SmtpSink.release()``."""

    BEFORE_TAKING = "before"  # the client has sent it whole; the server has not taken it yet
    AFTER_TAKING = "after"  # the server has taken it; the client has not heard "250" yet


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        self.delay = 0.0
        self.received: list[Received] = []
        # Per open connection: the Message-ID of the last message taken and not yet confirmed
        # by a further command; what is left when the connection drops stays unconfirmed.
        self.unconfirmed: dict[int, str] = {}
        self.lock = threading.Lock()
        self.hold: Hold | None = None
        self.held = threading.Event()  # set while a message waits at ``hold``
        self._release = threading.Event()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def confirm(self, session) -> None:
        with self.lock:
            self.unconfirmed.pop(_key(session), None)

    def unconfirmed_ids(self) -> set[str]:
        """Message-IDs taken on a connection that then carried no further command: those the
        client may not have recorded as sent (the connection may still be open: call this
        after the client stopped)."""
        with self.lock:
            return set(self.unconfirmed.values())

    async def holding(self, where: Hold) -> None:
        if self.hold is not where:
            return
        self.hold = None  # one message only
        self.held.set()
        try:
            while not self._release.is_set():
                await asyncio.sleep(0.01)
        finally:  # released, or cancelled: aiosmtpd cancels the handler when the client drops
            self._release.clear()
            self.held.clear()

    def release(self) -> None:
        self._release.set()

    def clear(self) -> None:
        with self.lock:
            self.received.clear()
            self.unconfirmed.clear()
        self.delay = 0.0
        self.hold = None
        if self.held.is_set():
            self.release()  # a message a failed test left waiting

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

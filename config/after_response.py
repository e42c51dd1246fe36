"""Slow work that must not hold up the person's answer: it runs once the response is sent.

Without a broker (the embedded default) an approval's seal used to run inside the request that
approved: five seconds of rendering and signing before the reviewer saw anything. Now work
handed to :func:`defer` during a request waits until Django closes the response — the WSGI
server calls ``close()`` after the last byte is written, and Django then sends
``request_finished`` in that same thread — and only then starts.

How it then runs is ``settings.AFTER_RESPONSE``:

* ``"thread"`` (the default): in a thread of its own, with its own database connection,
  closed when done. The server's thread is free at once, so a browser that reuses the same
  keep-alive connection for its next request (the redirect after the POST, the poll for the
  PDF) is not kept waiting behind the seal either.
* ``"inline"``: in the server's thread, right after the response. Tests use it (the test
  client closes the response in the test's own thread and transaction, so the work sees the
  test's rows); so may a server that closes every connection itself (gunicorn's sync worker).

Outside a request (a management command, a shell, a test calling a service) there is no answer
to wait for: :func:`defer` runs the work at once. A process that dies mid-work loses it; every
user of this module must have a way back (the seal: the PDF endpoint seals on demand).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.db import connections
from django.dispatch import receiver

logger = logging.getLogger(__name__)
MODES = ("thread", "inline")

_local = threading.local()
_threads: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


def in_request() -> bool:
    return getattr(_local, "jobs", None) is not None


def defer(job: Callable[[], None]) -> None:
    """Run ``job`` after the current response is sent (now, outside a request)."""
    if not in_request():
        _run_all([job])
        return
    _local.jobs.append(job)


class AfterResponseMiddleware:
    """Collects what the request deferred; hands it over when the response is closed. Outermost
    in MIDDLEWARE, so that work deferred anywhere inside (views, other middleware) is caught."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.jobs = []
        try:
            response = self.get_response(request)
        finally:
            jobs, _local.jobs = _local.jobs, None
        if jobs:
            pending = getattr(_local, "after_close", None) or []
            _local.after_close = [*pending, *jobs]
        return response


@receiver(request_finished, dispatch_uid="config.after_response")
def _response_closed(sender, **kwargs) -> None:
    jobs = getattr(_local, "after_close", None)
    if not jobs:
        return
    _local.after_close = None
    if settings.AFTER_RESPONSE == "inline":
        _run_all(jobs)
        return
    thread = threading.Thread(
        target=_run_in_thread, args=(jobs,), name="idhini-after-response", daemon=True
    )
    _threads.add(thread)
    thread.start()


def _run_all(jobs: list[Callable[[], None]]) -> None:
    for job in jobs:
        try:
            job()
        except Exception:
            # The response is gone: nobody to tell but the log. Each user has a way back.
            logger.exception("Work deferred after a response failed")


def _run_in_thread(jobs: list[Callable[[], None]]) -> None:
    try:
        _run_all(jobs)
    finally:
        connections.close_all()


def wait_idle(timeout: float = 60.0) -> bool:
    """Wait for work started after responses (tests, benchmarks). True when all finished."""
    for thread in list(_threads):
        thread.join(timeout)
    return not any(thread.is_alive() for thread in list(_threads))

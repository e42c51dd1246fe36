"""The broker publish made cheaper: what Celery and kombu do for each message that a web
request's publish does not need (issue 14.2; measured with a micro-benchmark, CPU per publish of
one task to Redis, machine shared: apply_async 0.66 ms, with both of these 0.36 ms).

* kombu's Redis channel builds a new redis-py client for every message it publishes (the client,
  not the connection: that one comes from the pool); building one is about a quarter of the
  publish. Our channel keeps its client (redis-py's client is safe to share between threads).
  Only the connections Celery writes with use it; the worker's consumer is kombu's own.
* ``send`` publishes a task the way ``Task.apply_async`` does, without the work it would do for
  nothing here: the router (no routes), the result object, the task's options read twice.
  Anything that needs that work (routes, options of its own, a publish from inside a worker's
  task, eager mode) goes through ``apply_async``.
"""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit

from celery import Celery, Signature
from celery.utils import uuid
from kombu.transport import redis

# Options that route or encode a task's messages, but for its serializer (every task has one):
# a task with any of them set is sent by Celery.
_OPTIONS = (
    "queue",
    "routing_key",
    "exchange",
    "priority",
    "expires",
    "delivery_mode",
    "compression",
    "immediate",
    "mandatory",
)


class RedisChannel(redis.Channel):
    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool  # a new one after a disconnect: then a new client for it
        cached = self.__dict__.get("_idhini_client")
        if cached is None or cached.connection_pool is not pool:
            cached = self._idhini_client = self._create_client()
        yield cached


class RedisTransport(redis.Transport):
    Channel = RedisChannel


class IdhiniCelery(Celery):
    def connection_for_write(self, url=None, **kwargs):
        url = url or self.conf.broker_write_url
        if isinstance(url, str) and urlsplit(url).scheme in ("redis", "rediss"):
            kwargs.setdefault("transport", RedisTransport)
        return super().connection_for_write(url, **kwargs)


def send(task: Signature, *, argsrepr: str | None = None) -> None:
    """Publish ``task`` as ``apply_async(retry=False)`` would; raises what it would raise.
    ``argsrepr``: what monitoring shows of its arguments (else Celery's repr of them)."""
    registered = task.type
    app = registered._get_app()
    options = registered._get_exec_options()
    if (
        task.options
        or any(options[name] is not None for name in _OPTIONS)
        or registered._dump_pydantic_arguments is not None
        or app.conf.task_always_eager
        or app.conf.task_routes
        or app.current_worker_task is not None  # its messages carry their parent's ids
    ):
        task.apply_async(retry=False)
        return
    args, kwargs = tuple(task.args), dict(task.kwargs)
    if registered.typing:
        registered.__header__(*args, **kwargs)  # a wrong call fails here, as apply_async's
    task_id = uuid()
    message = app.amqp.create_task_message(
        task_id,
        registered.name,
        args,
        kwargs,
        reply_to=app.thread_oid,
        time_limit=options["time_limit"],
        soft_time_limit=options["soft_time_limit"],
        create_sent_event=app.conf.task_send_sent_event,
        shadow=registered.shadow_name(args, kwargs, {}),
        ignore_result=registered.ignore_result,
        argsrepr=argsrepr,
    )
    with app.producer_or_acquire() as producer, producer.connection._reraise_as_library_errors():
        if not registered.ignore_result:
            app.backend.on_task_call(producer, task_id)
        app.amqp.send_task_message(
            producer, registered.name, message, serializer=options["serializer"], retry=False
        )

"""The Celery app. Imported from workflow's AppConfig.ready() so that @shared_task binds to it."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("idhini")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_database_connections(task=None, **kwargs) -> None:
    """Around each task, what Django does around each request: close connections that are
    broken or older than CONN_MAX_AGE, and keep the others (settings.CELERY_DB_REUSE_MAX stops
    Celery from closing every connection twice a task). Not in eager mode: there the task runs
    inside a request, perhaps inside its transaction."""
    if task is not None and task.request.is_eager:
        return
    from django.db import close_old_connections

    close_old_connections()


_log_tokens: dict[str, list] = {}


@task_prerun.connect
def _bind_log_context(task=None, task_id=None, args=None, kwargs=None, **_ignored) -> None:
    """A task's log lines carry its id as request_id and, when it works on one document, the
    document's id (config/logs.py). Eager tasks keep the request's own context."""
    if task is None or task.request.is_eager or task_id is None:
        return
    import inspect

    from config.logs import bind_task

    try:
        arguments = inspect.signature(task.run).bind_partial(*(args or ()), **(kwargs or {}))
        document_id = arguments.arguments.get("document_id")
    except TypeError:
        document_id = None
    _log_tokens[task_id] = bind_task(task_id, str(document_id) if document_id else None)


@task_postrun.connect
def _unbind_log_context(task_id=None, **_ignored) -> None:
    from config.logs import unbind

    tokens = _log_tokens.pop(task_id, None)
    if tokens:
        unbind(tokens)

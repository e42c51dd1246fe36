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

"""The Celery app. Imported from workflow's AppConfig.ready() so that @shared_task binds to it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("idhini")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

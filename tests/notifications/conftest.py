from __future__ import annotations

import pytest

from tests.notifications.smtp_sink import SmtpSink


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what waits for the commit (delivery) as production would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sink(settings):
    """A real SMTP server; Django's SMTP backend pointed at it."""
    server = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def reset_broker_connections() -> None:
    """Celery keeps its broker connection pool per process: drop it when the URL changes."""
    from kombu import pools

    from celery_app import app

    pools.reset()  # closes and forgets every pooled connection and producer
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """``broker(url)`` points this process's Celery at ``url`` (None: eager, in-process)."""

    def use(url: str | None) -> None:
        settings.CELERY_BROKER_URL = url or "memory://"
        settings.CELERY_TASK_ALWAYS_EAGER = url is None
        reset_broker_connections()

    yield use
    reset_broker_connections()

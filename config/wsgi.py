import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Import the URLconf (every view, every app's API) now, as the worker starts, rather than in
    its first request: about a second of a core that a person would otherwise wait for, after
    every start and every replacement (deploy/gunicorn.conf.py's max_requests)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf


_warm()

"""Structured logs: one JSON object a line, carrying the request's id, the user's and the
document's when they are known, and nothing a person typed into a form.

- ``RequestContextMiddleware`` gives every request an id (an incoming ``X-Request-ID`` is kept
  only when it is a short safe token, as the proxy's ``$request_id`` is), returns it in the
  ``X-Request-ID`` header and keeps it, with the request, in a context variable for the log
  records written meanwhile. It also leaves the ids in the WSGI environ, where gunicorn's access
  log (``deploy/gunicorn.conf.py``) reads them: one access line a request, with the user.
- ``ContextFilter`` adds ``request_id``, ``user_id`` and ``document_id`` to every record; the
  user is read only if the request already resolved it (a log line never queries the database).
- ``JsonFormatter`` writes the fixed fields and simple extras; objects (Django's ``request``),
  and any extra named like a secret, are left out.

``logging_config()`` builds the LOGGING dict (config/settings.py), which gunicorn's config file
also hands to gunicorn; nothing here needs Django set up.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "idhini_request_id", default=None
)
document_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "idhini_document_id", default=None
)
_request_var: contextvars.ContextVar[Any] = contextvars.ContextVar("idhini_request", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")
# Documents by id, in the API and in the pages: /api/v1/documents/<uuid>/..., /documents/<uuid>/...
_DOCUMENT_PATH = re.compile(
    r"^/(?:api/v1/)?documents/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
)
# A password-reset link carries its token in the path: never written to a log.
_RESET_TOKEN = re.compile(r"^(/accounts/reset/[^/]+/)(?!set-password/)[^/]+/")
# Environ keys gunicorn's access log reads ("{idhini.user_id}e").
ENVIRON_REQUEST_ID = "idhini.request_id"
ENVIRON_USER_ID = "idhini.user_id"
ENVIRON_DOCUMENT_ID = "idhini.document_id"

_SECRET_NAMES = ("password", "passwd", "secret", "token", "authorization", "cookie", "csrf")
_FIELDS = ("request_id", "user_id", "document_id")
_NOT_EXTRAS = {*_FIELDS, "message", "request", "exc_info", "stack_info"}


def safe_request_id(value: str | None) -> str:
    """The incoming id when it is a short safe token, else a new one."""
    if value and _SAFE_REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


def redact_path(path: str) -> str:
    return _RESET_TOKEN.sub(r"\1…/", path)


def _resolved_user_id(request) -> int | None:
    """The user's id if the request has already resolved who it is; never triggers a query."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = user.__dict__.get("_wrapped", user)  # Django's lazy user, or DRF's real one
    if wrapped is None or wrapped is empty:  # the lazy user, not resolved yet
        return None
    if not getattr(wrapped, "is_authenticated", False):
        return None
    return getattr(wrapped, "pk", None)


def current_context() -> dict[str, Any]:
    return {
        "request_id": request_id_var.get(),
        "user_id": _resolved_user_id(_request_var.get()),
        "document_id": document_id_var.get(),
    }


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and document_id (None when unknown) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in current_context().items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


class RequestContextMiddleware:
    """First in MIDDLEWARE: the request's id for its log lines and its answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = safe_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        tokens = (
            (request_id_var, request_id_var.set(request_id)),
            (_request_var, _request_var.set(request)),
            (document_id_var, document_id_var.set(None)),
        )
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            context = current_context()
            request.META[ENVIRON_REQUEST_ID] = request_id
            request.META[ENVIRON_USER_ID] = context["user_id"]
            request.META[ENVIRON_DOCUMENT_ID] = context["document_id"]
            for variable, token in reversed(tokens):
                variable.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = _DOCUMENT_PATH.match(request.path_info)
        if match:
            document_id_var.set(match.group(1))
        return None


def bind_task(task_id: str | None, document_id: str | None) -> list:
    """For a Celery task outside a request: the task's id as request id, and its document."""
    return [
        (request_id_var, request_id_var.set(task_id)),
        (document_id_var, document_id_var.set(document_id)),
    ]


def unbind(tokens: list) -> None:
    for variable, token in reversed(tokens):
        variable.reset(token)


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_NAMES)


def _simple(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


class JsonFormatter(_BaseJsonFormatter):
    """``{"time", "level", "logger", "message", request_id?, user_id?, document_id?, ...}``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        log_data["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat(
            timespec="milliseconds"
        )
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            log_data.update(_access_fields(record.args))
        else:
            log_data["message"] = record.getMessage()
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None and name not in log_data:
                log_data[name] = value
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            log_data.setdefault("method", request.method)
            log_data.setdefault("path", redact_path(getattr(request, "path", "")))
        extras: dict[str, Any] = {}
        super().add_fields(extras, record, message_dict)
        for key, value in extras.items():
            if key in log_data or key in _NOT_EXTRAS or key.startswith("{"):
                continue
            if _is_secret(key) or not _simple(value):
                continue
            log_data[key] = value
        if "exc_info" in message_dict:
            log_data["exc_info"] = message_dict["exc_info"]
        if "stack_info" in message_dict:
            log_data["stack_info"] = message_dict["stack_info"]


def _access_fields(atoms: dict) -> dict[str, Any]:
    """gunicorn's access record: its atoms (environ, headers) as fields, no body, no cookie."""
    path = redact_path(atoms.get("U") or "")
    fields = {
        "message": f"{atoms.get('m')} {path} {atoms.get('s')}",
        "method": atoms.get("m"),
        "path": path,
        "query": atoms.get("q") or None,
        "status": _int(atoms.get("s")),
        "bytes": atoms.get("B"),
        "duration_ms": round((atoms.get("D") or 0) / 1000, 1),
        "remote_addr": atoms.get("h"),
        "user_agent": atoms.get("a"),
        "request_id": atoms.get("{x-request-id}o") or atoms.get(f"{{{ENVIRON_REQUEST_ID}}}e"),
        "user_id": atoms.get(f"{{{ENVIRON_USER_ID}}}e"),
        "document_id": atoms.get(f"{{{ENVIRON_DOCUMENT_ID}}}e"),
    }
    return {key: value for key, value in fields.items() if value not in (None, "", "-")}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def logging_config(*, fmt: str, level: str, file: str = "") -> dict[str, Any]:
    """LOGGING for Django, and gunicorn's ``logconfig_dict``: one handler (stderr, or ``file``
    reopened when logrotate moves it), JSON or plain text (IDHINI_LOG_FORMAT, IDHINI_LOG_LEVEL,
    IDHINI_LOG_FILE in config/settings.py)."""
    from django.core.exceptions import ImproperlyConfigured

    if fmt not in ("json", "text"):
        raise ImproperlyConfigured(f"IDHINI_LOG_FORMAT must be json or text, not {fmt!r}")
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ImproperlyConfigured(f"IDHINI_LOG_LEVEL must be a logging level, not {level!r}")
    handler: dict[str, Any] = {"formatter": fmt, "filters": ["context"]}
    if file:
        handler.update({"class": "logging.handlers.WatchedFileHandler", "filename": file})
    else:
        handler.update({"class": "logging.StreamHandler", "stream": "ext://sys.stderr"})
    own = {"handlers": ["console"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "config.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            # WeasyPrint logs every rendering step at INFO.
            "weasyprint.progress": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "gunicorn.error": {"level": level, **own},
            "gunicorn.access": {"level": "INFO", **own},
        },
    }

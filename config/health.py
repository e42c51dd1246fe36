"""``GET /healthz``: is this host able to serve, and is the work behind it keeping up?

``200 {"database": "ok", "broker": "ok"|"eager", ...}`` (the contract, ../shared/API.md) plus:

- ``cache``, ``storage`` (a small file written and deleted through every file storage we use);
  one of database, broker, cache or storage ``"down"`` makes the answer 503, ``status: "down"``:
  this host cannot do its work, a load balancer should stop sending it people.
- ``worker``: a ping through the broker answered by at least one Celery worker within a second
  (``"eager"`` without a broker). No worker is ``"down"`` but only *degraded*: e-mail and seals
  wait in the outbox and the sweep, nothing is lost, and the pages still work.
- ``outbox``: e-mails pending (or being sent) for more than 10 minutes; ``seals``: approved
  documents still without their sealed PDF 5 minutes after approval. Either is ``"late"``,
  with counts under ``details``: degraded, still 200 (``"unknown"``, also degraded, when they
  cannot be read: the database is down, or not migrated).

``status`` is ``ok``, ``degraded`` (200) or ``down`` (503). The endpoint needs no login and
tells only states and counts, never which document or address.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

OUTBOX_LATE = timedelta(minutes=10)
SEAL_LATE = timedelta(minutes=5)
WORKER_PING_SECONDS = 1.0
BROKER_SECONDS = 1
# What must answer for this host to serve at all.
ESSENTIAL = ("database", "broker", "cache", "storage")


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure is "down"
        logger.warning("Health: the database does not answer: %s", exc)
        return "down"
    return "ok"


def _uses_broker() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def check_broker_and_worker() -> tuple[str, str]:
    if not _uses_broker():
        return "eager", "eager"
    from kombu import Connection

    from celery_app import app

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_SECONDS) as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_SECONDS)
            replies = app.control.ping(timeout=WORKER_PING_SECONDS, limit=1, connection=conn)
    except Exception as exc:  # any broker failure is "down"
        logger.warning("Health: the broker does not answer: %s", exc)
        return "down", "unknown"
    if not replies:
        logger.warning("Health: no Celery worker answered a ping in %s s", WORKER_PING_SECONDS)
        return "ok", "down"
    return "ok", "ok"


def check_cache() -> str:
    key = f"idhini:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # any cache failure is "down"
        logger.warning("Health: the cache does not answer: %s", exc)
        return "down"
    return "ok" if answered == "ok" else "down"


def file_storage_aliases() -> list[str]:
    return [alias for alias in settings.STORAGES if alias != "staticfiles"]


def check_storage() -> tuple[str, list[str]]:
    """Write and delete a small file in every storage of ours; the aliases that failed."""
    failed = []
    for alias in file_storage_aliases():
        storage = storages[alias]
        name = f"healthz/{uuid.uuid4().hex}.txt"
        try:
            saved = storage.save(name, ContentFile(b"ok"))
            storage.delete(saved)
        except Exception as exc:  # any storage failure is "down"
            logger.warning("Health: the file storage %r is not writable: %s", alias, exc)
            failed.append(alias)
    return ("down" if failed else "ok"), failed


def late_work() -> dict[str, int]:
    from approvals.models import SealedPdf
    from notifications.models import Outbox, OutboxStatus
    from workflow.models import Document, Status

    now = timezone.now()
    outbox = Outbox.objects.filter(
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING],
        created_at__lt=now - OUTBOX_LATE,
    ).count()
    sealed = SealedPdf.objects.filter(document=OuterRef("pk"), lang="sw")
    seals = (
        Document.objects.filter(
            status=Status.APPROVED,
            verification_code__isnull=False,
            approved_at__lt=now - SEAL_LATE,
        )
        .filter(~Exists(sealed))
        .count()
    )
    return {"outbox_late": outbox, "unsealed": seals}


def health() -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {"database": check_database()}
    result["broker"], result["worker"] = check_broker_and_worker()
    result["cache"] = check_cache()
    result["storage"], failed_storages = check_storage()
    details: dict[str, Any] = {}
    if failed_storages:
        details["storages_down"] = failed_storages
    result["outbox"] = result["seals"] = "unknown"
    if result["database"] == "ok":
        try:
            counts = late_work()
        except DatabaseError as exc:  # the tables are not there (not migrated) or not readable
            logger.warning("Health: the outbox and the seals cannot be read: %s", exc)
        else:
            details.update(counts)
            result["outbox"] = "late" if counts["outbox_late"] else "ok"
            result["seals"] = "late" if counts["unsealed"] else "ok"
    if any(result[name] == "down" for name in ESSENTIAL):
        status = "down"
    elif result["worker"] == "down" or {result["outbox"], result["seals"]} != {"ok"}:
        status = "degraded"
    else:
        status = "ok"
    result["status"] = status
    result["details"] = details
    return result, 503 if status == "down" else 200


def healthz(request):
    result, status = health()
    response = JsonResponse(result, status=status)
    response["Cache-Control"] = "no-store"
    return response

"""GET /healthz (config/health.py): 200 with the contract's keys when all is well; 503 when the
database, broker, cache or a file storage is down; 200 "degraded" when no worker answers, e-mail
waits in the outbox more than 10 minutes, or an approved document lacks its seal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from notifications.models import Outbox, OutboxStatus
from tests.helpers import drive, new_document
from tests.ops.s3_server import use_s3
from workflow.models import Document

pytestmark = pytest.mark.django_db


def health() -> tuple[int, dict]:
    response = Client().get("/healthz")
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def outbox_row(world, *, age: timedelta, status: str = OutboxStatus.PENDING) -> Outbox:
    row = Outbox.objects.create(
        recipient=world.officer,
        to_email=world.officer.email,
        language="sw",
        kind="approved",
        subject="Hati imeidhinishwa",
        body_text="…",
        body_html="<p>…</p>",
        message_id=f"<{age.total_seconds()}-{status}@idhini.test>",
        status=status,
        due_at=timezone.now(),
        sent_at=timezone.now() if status == OutboxStatus.SENT else None,
        failed_at=timezone.now() if status == OutboxStatus.FAILED else None,
    )
    Outbox.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


def test_all_well_keeps_the_contract_and_adds_the_new_checks():
    status, body = health()

    assert status == 200
    assert {"database": "ok", "broker": "eager"}.items() <= body.items()  # ../shared/API.md
    assert body == {
        "database": "ok",
        "broker": "eager",
        "worker": "eager",
        "cache": "ok",
        "storage": "ok",
        "outbox": "ok",
        "seals": "ok",
        "status": "ok",
        "details": {"outbox_late": 0, "unsealed": 0},
    }


def test_the_storage_check_leaves_no_file_behind(settings):
    health()
    folder = settings.MEDIA_ROOT / "healthz"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_email_pending_for_more_than_ten_minutes_is_degraded_not_down(world):
    outbox_row(world, age=timedelta(minutes=11))
    outbox_row(world, age=timedelta(minutes=11, seconds=5), status=OutboxStatus.SENDING)
    outbox_row(world, age=timedelta(minutes=4))  # young: on its way
    outbox_row(world, age=timedelta(hours=3), status=OutboxStatus.FAILED)  # refused: admin's list
    outbox_row(world, age=timedelta(hours=3), status=OutboxStatus.SENT)

    status, body = health()

    assert status == 200
    assert body["status"] == "degraded"
    assert body["outbox"] == "late"
    assert body["details"]["outbox_late"] == 2
    assert body["database"] == "ok" and body["seals"] == "ok"


def test_an_approved_document_without_its_seal_after_five_minutes_is_degraded(world):
    # No commit runs the after-commit seal here: both documents stay unsealed.
    late = drive(world, new_document(world, "email_account_request"), "approved")
    drive(world, new_document(world, "email_account_request"), "approved")  # just approved
    Document.objects.filter(pk=late.pk).update(approved_at=timezone.now() - timedelta(minutes=6))

    status, body = health()

    assert status == 200
    assert body["status"] == "degraded"
    assert body["seals"] == "late"
    assert body["details"]["unsealed"] == 1


def test_a_broker_that_is_down_is_503(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    status, body = health()

    assert status == 503
    assert body["broker"] == "down"
    assert body["worker"] == "unknown"
    assert body["status"] == "down"


def test_a_cache_that_is_down_is_503():
    redis_away = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=redis_away):
        status, body = health()

    assert status == 503
    assert body["cache"] == "down"
    assert body["status"] == "down"
    assert body["database"] == "ok"


def test_a_file_storage_that_cannot_be_written_is_503(settings, tmp_path):
    not_a_folder = tmp_path / "media-is-a-file"
    not_a_folder.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder)},
        },
    }

    status, body = health()

    assert status == 503
    assert body["storage"] == "down"
    assert body["details"]["storages_down"] == ["default"]


def test_an_s3_bucket_is_checked_by_writing_to_it(s3):
    status, body = health()

    assert status == 200 and body["storage"] == "ok"
    assert s3.keys("healthz/") == []  # written, then deleted


def test_an_unreachable_s3_bucket_is_503(monkeypatch, settings):
    use_s3(monkeypatch, settings, "http://127.0.0.1:1")

    status, body = health()

    assert status == 503 and body["storage"] == "down"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server to lose")
@pytest.mark.django_db(transaction=True)
def test_a_database_that_is_down_is_503():
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        status, body = health()
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved

    assert status == 503
    assert body["database"] == "down"
    assert body["outbox"] == body["seals"] == "unknown"
    assert body["status"] == "down"

"""Structured logs (config/logs.py): one JSON object a line, with the request's id (also in the
answer's X-Request-ID), the user and the document; never a password or a form's data."""

from __future__ import annotations

import json
import logging

import pytest
from celery.signals import task_postrun, task_prerun
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from approvals.models import SealedPdf
from approvals.tasks import seal_document
from config.logs import logging_config, safe_request_id
from tests.approvals.pdf_support import approve
from tests.helpers import act, drive, new_document

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Wrong-Secret-Pa55word-xyz"


def test_a_request_logs_json_lines_with_its_request_id_user_and_document(
    world, dev_seal, clean_cache, json_logs, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    sealed = SealedPdf.objects.get(document_id=document_id, lang="sw")
    sealed.file.storage.delete(sealed.file.name)  # the storage lost it: the view logs an error

    response = world.client(world.officer).get(f"/api/v1/documents/{document_id}/pdf/")

    assert response.status_code == 503
    request_id = response["X-Request-ID"]
    lines = json_logs.records()  # every line is one JSON object
    (error,) = [line for line in lines if "is missing" in line["message"]]
    assert error["level"] == "ERROR"
    assert error["logger"] == "approvals.pdf_api"
    assert error["request_id"] == request_id
    assert error["user_id"] == world.officer.pk
    assert error["document_id"] == document_id
    assert error["time"].endswith("+00:00")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("0f5c2a9e4b7d4c1e9a3f6b8d2c4e6a80", True),  # nginx's $request_id
        ("req-2026.12.02:web1-000042", True),
        ("short", False),
        ("x" * 65, False),
        ("has space inside it", False),
        ('"quoted"-and-evil\u2028', False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_it_is_a_safe_short_token(sent, kept):
    response = Client().get("/healthz", headers={"X-Request-ID": sent})

    answered = response["X-Request-ID"]
    assert (answered == sent) is kept
    if not kept:
        assert len(answered) == 32 and answered.isalnum()


def test_every_answer_has_its_own_request_id():
    first, second = Client().get("/healthz"), Client().get("/no-such-page/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert second.status_code == 404


def test_a_failed_login_or_signature_never_writes_the_password_to_the_log(world, json_logs):
    browser = Client()
    page = browser.post(
        "/accounts/login/", {"username": "officer", "password": WRONG_PASSWORD, "next": "/"}
    )
    token = Client().post(
        "/api/v1/auth/token/",
        {"username": "officer", "password": WRONG_PASSWORD},
        content_type="application/json",
    )
    document = drive(world, new_document(world, "email_account_request"), "awaiting_signatures")
    signer = get_user_model().objects.get(pk=document.next_signer_id)
    signing = act(world, signer, str(document.pk), "sign", {"password": WRONG_PASSWORD})

    assert page.status_code == 200 and "_auth_user_id" not in browser.session
    assert token.status_code == 400
    assert signing.status_code == 400
    lines = json_logs.records()
    refused = [line for line in lines if line.get("status_code") == 400]
    assert {line["path"] for line in refused} >= {
        "/api/v1/auth/token/",
        f"/api/v1/documents/{document.pk}/sign/",
    }
    assert all(line["method"] == "POST" for line in refused)
    assert WRONG_PASSWORD not in json_logs.text
    assert "password" not in {key for line in lines for key in line}


def test_the_formatter_writes_simple_extras_and_leaves_out_objects_and_secrets(json_logs):
    logging.getLogger("idhini.test").warning(
        "Sent %d e-mails",
        3,
        extra={
            "outbox_id": 7,
            "password": "hunter2-secret",
            "api_token": "abc123-token",
            "form": {"title": "from a form"},
        },
    )

    (line,) = [line for line in json_logs.records() if line["logger"] == "idhini.test"]
    assert line["message"] == "Sent 3 e-mails"
    assert line["outbox_id"] == 7
    assert "password" not in line and "api_token" not in line and "form" not in line
    assert "hunter2" not in json_logs.text and "from a form" not in json_logs.text


def test_an_exception_is_one_line_with_its_traceback(json_logs):
    try:
        raise ValueError("broken on purpose")
    except ValueError:
        logging.getLogger("idhini.test").exception("It failed")

    (line,) = [line for line in json_logs.records() if line["logger"] == "idhini.test"]
    assert "ValueError: broken on purpose" in line["exc_info"]
    assert len(json_logs.text.strip().splitlines()) == len(json_logs.records())


def test_a_worker_task_logs_with_its_task_id_and_its_document(json_logs):
    task = seal_document
    document_id = "5d8f9c1e-0a7b-4c3d-9e2f-1a2b3c4d5e6f"

    task_prerun.send(sender=task, task_id="task-0001-abcd", task=task, args=(document_id, "sw"))
    logging.getLogger("approvals.tasks").info("sealing")
    task_postrun.send(sender=task, task_id="task-0001-abcd", task=task)
    logging.getLogger("approvals.tasks").info("after")

    during, after = [line for line in json_logs.records() if line["logger"] == "approvals.tasks"]
    assert during["request_id"] == "task-0001-abcd"
    assert during["document_id"] == document_id
    assert "request_id" not in after and "document_id" not in after, after


def test_a_wrong_log_format_or_level_stops_start_up():
    # (Production's default, JSON, is what tests/ops/test_deploy.py reads from gunicorn.)
    assert logging_config(fmt="json", level="INFO")["handlers"]["console"]["formatter"] == "json"
    with pytest.raises(ImproperlyConfigured, match="IDHINI_LOG_FORMAT must be json or text"):
        logging_config(fmt="xml", level="INFO")
    with pytest.raises(ImproperlyConfigured, match="IDHINI_LOG_LEVEL"):
        logging_config(fmt="json", level="LOUD")


def test_a_generated_request_id_is_not_the_unsafe_one_sent():
    assert safe_request_id("a\nb" * 5) != "a\nb" * 5
    assert json.dumps(safe_request_id(None)).isascii()

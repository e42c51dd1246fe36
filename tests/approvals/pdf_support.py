"""Helpers for the PDF, seal and verification tests: a development seal under a temporary
VAR_DIR (made once per test session), documents driven to approval over HTTP, a broker without a
worker, and (from tests.forms_templates.print_support) print contexts and PDF readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from approvals import sealing
from forms_templates.registry import get_type
from tests.forms_templates.print_support import (  # noqa: F401 - re-exported for the tests
    PAYLOADS,
    changed_byte,
    flat,
    pdf_text,
    print_context,
)
from tests.helpers import (
    PASSWORD,
    act,
    complete_data,
    create_project,
    fill_checklist,
    ok,
    upload_required,
)

# Who signs, in order (issue 15's chains): the mailbox request's servant and supervisor are the
# ones complete_data names (tests.helpers.NAMED_PEOPLE).
SIGNERS = {
    "email_account_request": ("officer", "ict_head", "hr_head"),
    "concept_note": ("officer", "system_owner", "ict_head", "accounting_officer"),
}


@pytest.fixture(scope="session")
def seal_var_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("seal-var")


@pytest.fixture
def dev_seal(settings, seal_var_dir):
    """The development seal, created once for the session under a temporary VAR_DIR."""
    settings.VAR_DIR = seal_var_dir
    settings.SEAL_KEY_PATH = ""
    settings.SEAL_CERT_PATH = ""
    settings.SEAL_TSA_URL = ""
    return sealing.seal_identity()


def reset_broker_connections() -> None:
    """Celery keeps its broker connection pool per process: drop it when the URL changes."""
    from kombu import pools

    from celery_app import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def use_broker(settings):
    """``use_broker(url)``: tasks go to the broker at ``url`` and no worker runs them."""

    def use(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        reset_broker_connections()

    yield use
    reset_broker_connections()


@pytest.fixture
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def approve(
    world,
    type_key: str = "email_account_request",
    data: dict[str, Any] | None = None,
    *,
    title: str = "Ombi la barua pepe",
    capture=None,
) -> str:
    """Drive a document of ``type_key`` to approval over HTTP; returns its id.

    ``capture`` (pytest-django's django_capture_on_commit_callbacks) runs the after-commit
    callbacks of the approval — the seal — as a real commit would."""
    officer = world.officer
    project = create_project(world, officer) if get_type(type_key).needs_project else None
    body = {"type": type_key, "title": title, "project": str(project.pk) if project else None}
    document_id = ok(world.client(officer).post("/api/v1/documents/", body, format="json"), 201)[
        "id"
    ]
    ok(
        world.client(officer).patch(
            f"/api/v1/documents/{document_id}/",
            {"data": data if data is not None else complete_data(type_key)},
            format="json",
        )
    )
    upload_required(world, officer, document_id, type_key)
    ok(act(world, officer, document_id, "request-signatures"))
    for name in SIGNERS[type_key]:
        ok(act(world, getattr(world, name), document_id, "sign", {"password": PASSWORD}))
    ok(act(world, officer, document_id, "submit"))
    ok(act(world, world.reviewer, document_id, "claim"))
    fill_checklist(document_id, by=world.reviewer)
    if capture is None:
        ok(act(world, world.reviewer, document_id, "approve", {"comment": "Safi"}))
    else:
        with capture(execute=True):
            ok(act(world, world.reviewer, document_id, "approve", {"comment": "Safi"}))
    return document_id

"""Helpers for the browser-page tests: a logged-in Django test client, documents driven to a
status through the API (as another client would), and the edit form's POST body for some data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from forms_templates.definitions import Table
from forms_templates.registry import get_type
from tests.helpers import PASSWORD, act, complete_data, create_project, ok, upload_required
from workflow.models import Document


def browser(user=None, language: str | None = None) -> Client:
    """A session-authenticated client, as a person's browser is."""
    client = Client()
    if user is not None:
        client.force_login(get_user_model().objects.get(pk=user.pk))
    if language:
        client.cookies["django_language"] = language
    return client


def api_document(
    world, type_key: str = "email_account_request", *, user=None, project=None, title="Ombi"
) -> str:
    user = user or world.officer
    if project is None and get_type(type_key).needs_project:
        project = create_project(world, user)
    body = {"type": type_key, "title": title, "project": str(project.pk) if project else None}
    return ok(world.client(user).post("/api/v1/documents/", body, format="json"), 201)["id"]


def api_fill(world, document_id: str, data: dict[str, Any], user=None) -> dict[str, Any]:
    return ok(
        world.client(user or world.officer).patch(
            f"/api/v1/documents/{document_id}/", {"data": data}, format="json"
        )
    )


def awaiting_signatures(world, type_key: str = "email_account_request") -> str:
    """An e-mail account request, complete and sent for signature (the officer signs first)."""
    document_id = api_document(world, type_key)
    api_fill(world, document_id, complete_data(type_key))
    upload_required(world, world.officer, document_id, type_key)
    ok(act(world, world.officer, document_id, "request-signatures"))
    return document_id


def submitted(world, type_key: str = "email_account_request") -> str:
    """An e-mail account request, signed by everyone and submitted to the agency."""
    document_id = awaiting_signatures(world, type_key)
    signers = {
        # Issue 15's chains: the servant and supervisor complete_data names, then head of HR.
        "email_account_request": [world.officer, world.ict_head, world.hr_head],
        "concept_note": [
            world.officer,
            world.system_owner,
            world.ict_head,
            world.accounting_officer,
        ],
    }[type_key]
    for signer in signers:
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.officer, document_id, "submit"))
    return document_id


def form_body(
    type_key: str, data: dict[str, Any], *, title: str, blank_rows: int = 0, **extra
) -> dict[str, str]:
    """What a browser posts for the edit form showing ``data`` (plus blank rows per table)."""
    definition = get_type(type_key)
    body: dict[str, str] = {"title": title}
    for item in definition.items():
        if isinstance(item, Table):
            rows = data.get(item.key) or []
            for index in range(len(rows) + blank_rows):
                row = rows[index] if index < len(rows) else {}
                for column in item.columns:
                    value = row.get(column.key)
                    body[f"{item.key}-{index}-{column.key}"] = "" if value is None else str(value)
            body[f"{item.key}-rows"] = str(len(rows) + blank_rows)
        else:
            value = data.get(item.key)
            body[item.key] = "" if value is None else str(value)
    body.update(extra)
    return body


def stored(document_id: str) -> Document:
    return Document.objects.get(pk=document_id)

"""One source for each limit, walked over every text column of every app (issue 9.5).

Every ``CharField`` and ``TextField`` of our models is accounted for here, once:
- written by people over the API: a value at the limit is stored whole, and one character more
  is a 400 naming the field that changes nothing (on PostgreSQL the column itself would refuse
  it, so a limit the API did not enforce was a 500 there);
- written by people in the admin (institutions, their people's titles, the agency's identity):
  the admin's own form gives the error beside the field and saves nothing;
- written by the code: the longest value the code can write fits the column.
A column added without an entry here fails ``test_every_text_column_is_accounted_for``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import RequestFactory

from approvals.checklist_services import NOTE_MAX
from approvals.deadlines import steps
from approvals.models import (
    FIELD_COMMENT_MAX,
    ChecklistMark,
    MailboxProvisioning,
    Review,
    Signature,
)
from approvals.provisioning import MAILBOX_TEXT_MAX
from forms_templates.printing.render import PDF_A
from forms_templates.registry import all_types, get_type
from portal.word import FILENAME_MAX
from tests.helpers import PASSWORD, act, create_project, drive, make_user, new_document
from workflow.agency import AgencyIdentity
from workflow.attachments.names import NAME_MAX
from workflow.attachments.types import FILE_TYPES
from workflow.lifecycle import ACTIONS
from workflow.limits import TEXT_MAX
from workflow.models import (
    AuditEvent,
    Document,
    Institution,
    Membership,
    Project,
    Role,
    Status,
)
from workflow.second_factor import DEVICE_NAME

pytestmark = pytest.mark.django_db

OUR_APPS = ("forms_templates", "workflow", "similar", "approvals", "notifications", "portal")


def _columns() -> set[str]:
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def _max_length(label: str) -> int:
    app_model, field = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(field).max_length


# --- written by people over the API ---------------------------------------------------------


@dataclass
class Case:
    """One text a person sends: ``send(value)`` is the request, ``stored()`` what was kept,
    ``state()`` what a refusal must leave as it was; the 400 names ``names``."""

    send: Callable[[str], Any]
    stored: Callable[[], Any]
    state: Callable[[], Any]
    names: tuple[str, ...]


def _events(document) -> Callable[[], tuple]:
    def state():
        stored = Document.objects.get(pk=document.pk)
        return (
            stored.status,
            stored.version,
            AuditEvent.objects.filter(document=document).count(),
            Review.objects.filter(document=document).count(),
            list(ChecklistMark.objects.filter(document=document).values_list("note", flat=True)),
        )

    return state


def _project_case(field: str, body: Callable[[str], dict]) -> Callable[[Any], Case]:
    def make(world):
        client = world.client(world.officer)
        latest = Project.objects.order_by("-created_at")
        return Case(
            send=lambda value: client.post("/api/v1/projects/", body(value), format="json"),
            stored=lambda: getattr(latest.first(), field, None),
            state=lambda: list(Project.objects.values_list("pk", flat=True)),
            names=tuple(body("").keys())[-1:],
        )

    return make


def _existing_system(value: str) -> dict:
    earlier = {"approval_reference": value, "approval_date": "2021-07-15"}
    return {"name": "Mfumo", "existing_system": earlier}


def _document_title(world) -> Case:
    project = create_project(world)
    client = world.client(world.officer)
    body = {"type": "concept_note", "project": str(project.pk)}
    return Case(
        send=lambda v: client.post("/api/v1/documents/", {**body, "title": v}, format="json"),
        stored=lambda: Document.objects.order_by("-created_at").first().title,
        state=lambda: list(Document.objects.values_list("pk", "title")),
        names=("title",),
    )


def _action_case(start: str, who: str, action: str, name: str, extra: dict, stored):
    def make(world):
        document = drive(world, new_document(world), start)
        user = getattr(world, who)
        return Case(
            send=lambda value: act(world, user, document.pk, action, {**extra, name: value}),
            stored=lambda: stored(document),
            state=_events(document),
            names=(name,),
        )

    return make


def _review(document) -> Review | None:
    return Review.objects.filter(document=document).order_by("-created_at").first()


def _declined(document) -> str | None:
    row = Signature.objects.filter(document=document, status="declined").first()
    return row.reason if row else None


def _withdrawn(document) -> str | None:
    event = AuditEvent.objects.filter(document=document, action="withdraw").first()
    return event.payload["reason"] if event else None


def _field_comment(world) -> Case:
    document = drive(world, new_document(world), "under_review")
    key = next(iter(get_type("concept_note").items())).key

    def send(value):
        body = {"comment": "Rekebisha", "field_comments": {key: value}}
        return act(world, world.reviewer, document.pk, "request-changes", body)

    return Case(
        send=send,
        stored=lambda: (_review(document).field_comments or {}).get(key),
        state=_events(document),
        names=("field_comments", f"field_comments.{key}"),
    )


def _checklist_note(world) -> Case:
    document = drive(world, new_document(world), "under_review")
    key = get_type("concept_note").checklist[0].key
    client = world.client(world.reviewer)
    path = f"/api/v1/documents/{document.pk}/checklist/"
    return Case(
        send=lambda v: client.patch(path, {"marks": {key: {"mark": "met", "note": v}}}, "json"),
        stored=lambda: (
            ChecklistMark.objects.filter(document=document).values_list("note", flat=True)[:1].get()
        ),
        state=_events(document),
        names=(f"marks.{key}",),
    )


MAIL_DOMAIN = "@afya.go.tz"  # the world's ministry of health's mail domain


def _as_address(value: str) -> str:
    """``value`` as an address of the same length in the institution's domain."""
    return value[: len(value) - len(MAIL_DOMAIN)] + MAIL_DOMAIN


def _mailbox_case(action: str, name: str, extra: dict, address: bool = False):
    """A mail administrator's text on an approved mailbox request they claimed."""

    def make(world):
        admin = make_user("mail_admin_limits", world.ega, Role.MAIL_ADMIN)
        document = drive(world, new_document(world, "email_account_request"), "approved")
        client = world.client(admin)
        path = f"/api/v1/documents/{document.pk}/mailbox/"
        assert client.post(path + "claim/", {}, format="json").status_code == 200

        def row():
            return MailboxProvisioning.objects.get(document=document)

        def stored():
            value = getattr(row(), name)
            # The address back in the shape sent: its domain as that many x's.
            return value.removesuffix(MAIL_DOMAIN) + "x" * len(MAIL_DOMAIN) if address else value

        def send(value):
            body = {**extra, name: _as_address(value) if address else value}
            return client.post(path + f"{action}/", body, format="json")

        return Case(
            send=send,
            stored=stored,
            state=lambda: (*_events(document)(), row().status, row().address, row().reason),
            names=(name,),
        )

    return make


OVERRIDE = {"override_reason": "Imehakikiwa kwa barua"}
BY_PEOPLE: dict[str, tuple[Callable[[], int], Callable[[Any], Case]]] = {
    "workflow.Project.name": (
        lambda: _max_length("workflow.Project.name"),
        _project_case("name", lambda v: {"name": v}),
    ),
    "workflow.Project.description": (
        lambda: _max_length("workflow.Project.description"),
        _project_case("description", lambda v: {"name": "Mfumo", "description": v}),
    ),
    "workflow.Project.existing_approval_reference": (
        lambda: _max_length("workflow.Project.existing_approval_reference"),
        _project_case("existing_approval_reference", _existing_system),
    ),
    "workflow.Document.title": (lambda: _max_length("workflow.Document.title"), _document_title),
    "approvals.Signature.reason": (
        lambda: TEXT_MAX,
        _action_case("awaiting_signatures", "officer", "decline", "reason", {}, _declined),
    ),
    "approvals.Review.comment": (
        lambda: TEXT_MAX,
        _action_case(
            "under_review",
            "reviewer",
            "reject",
            "reason",
            {},
            lambda d: _review(d) and _review(d).comment,
        ),
    ),
    "approvals.Review.comment (approve)": (
        lambda: TEXT_MAX,
        _action_case(
            "under_review",
            "reviewer",
            "approve",
            "comment",
            OVERRIDE,
            lambda d: _review(d) and _review(d).comment,
        ),
    ),
    "approvals.Review.checklist_override": (
        lambda: TEXT_MAX,
        _action_case(
            "under_review",
            "reviewer",
            "approve",
            "override_reason",
            {},
            lambda d: _review(d) and _review(d).checklist_override,
        ),
    ),
    "approvals.Review.field_comments": (lambda: FIELD_COMMENT_MAX, _field_comment),
    "approvals.ChecklistMark.note": (lambda: NOTE_MAX, _checklist_note),
    "approvals.MailboxProvisioning.address": (
        lambda: _max_length("approvals.MailboxProvisioning.address"),
        _mailbox_case("provision", "address", {}, address=True),
    ),
    "approvals.MailboxProvisioning.note": (
        lambda: MAILBOX_TEXT_MAX,
        _mailbox_case("provision", "note", {"address": "asha.juma" + MAIL_DOMAIN}),
    ),
    "approvals.MailboxProvisioning.reason": (
        lambda: MAILBOX_TEXT_MAX,
        _mailbox_case("refuse", "reason", {}),
    ),
    "workflow.AuditEvent.payload (withdraw reason)": (
        lambda: TEXT_MAX,
        _action_case("submitted", "officer", "withdraw", "reason", {}, _withdrawn),
    ),
}


def _error_names(errors: Any, prefix: str = "") -> set[str]:
    names: set[str] = set()
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            names |= {path} | _error_names(value, path)
    return names


@pytest.mark.parametrize("label", sorted(BY_PEOPLE))
def test_a_persons_text_at_its_limit_is_stored_and_one_more_is_a_400(world, label):
    limit_of, make = BY_PEOPLE[label]
    limit = limit_of()
    case = make(world)
    before = case.state()

    response = case.send("y" * (limit + 1))
    assert response.status_code == 400, (label, response.status_code, response.content)
    assert set(case.names) & _error_names(response.json()), response.json()
    assert str(limit) in str(response.json())
    assert case.state() == before

    response = case.send("x" * limit)
    assert response.status_code in (200, 201), (label, response.content)
    assert case.stored() == "x" * limit


# --- written by people in the admin ---------------------------------------------------------

BY_ADMIN = {
    "workflow.Institution": ("code", "name_sw", "name_en", "mail_domains"),
    "workflow.Membership": ("title",),
    "workflow.AgencyIdentity": ("name_sw", "name_en", "reference_prefix", "seal_name"),
}


def _admin_instance(world, model):
    if model is Institution:
        return world.moh
    if model is Membership:
        return Membership.objects.get(user=world.officer)
    return AgencyIdentity.objects.first() or AgencyIdentity.objects.create()


def _admin_form(model, instance, **changes):
    superuser = get_user_model().objects.filter(username="mkuu").first()
    superuser = superuser or get_user_model().objects.create_superuser(
        "mkuu", "m@ega.go.tz", PASSWORD
    )
    request = RequestFactory().post("/")
    request.user = superuser
    form_class = admin.site._registry[model].get_form(request, obj=instance)
    unbound = form_class(instance=instance)
    data = {}
    for name in unbound.fields:
        value = unbound[name].value()
        data[name] = "" if value is None else value
    data.update(changes)
    return form_class(data=data, instance=instance)


@pytest.mark.parametrize(
    ("model_label", "field"), [(m, f) for m, fields in BY_ADMIN.items() for f in fields]
)
def test_an_admin_text_over_its_limit_is_refused_beside_the_field(world, model_label, field):
    model = apps.get_model(model_label)
    instance = _admin_instance(world, model)
    limit = model._meta.get_field(field).max_length
    before = model.objects.filter(pk=instance.pk).values(field).get()

    form = _admin_form(model, instance, **{field: "N" * (limit + 1)})
    assert not form.is_valid()
    assert field in form.errors and str(limit) in str(form.errors[field])
    assert model.objects.filter(pk=instance.pk).values(field).get() == before


AT_LIMIT = [
    (Membership, "title"),
    (Institution, "name_sw"),
    (Institution, "name_en"),
    (AgencyIdentity, "name_sw"),
    (AgencyIdentity, "name_en"),
    (AgencyIdentity, "seal_name"),
]


@pytest.mark.parametrize(("model", "field"), AT_LIMIT)
def test_an_admin_text_at_its_limit_is_stored(world, model, field):
    instance = _admin_instance(world, model)
    limit = model._meta.get_field(field).max_length
    form = _admin_form(model, instance, **{field: "m" * limit})
    assert form.is_valid(), form.errors
    form.save()
    assert getattr(model.objects.get(pk=instance.pk), field) == "m" * limit


# --- written by the code --------------------------------------------------------------------


def _choices_fit(label: str) -> Callable[[], bool]:
    def check():
        app_model, name = label.rsplit(".", 1)
        field = apps.get_model(app_model)._meta.get_field(name)
        return max(len(str(value)) for value, _label in field.flatchoices) <= field.max_length

    return check


def _fits(label: str, longest: Callable[[], int]) -> Callable[[], bool]:
    return lambda: longest() <= _max_length(label)


def _reference_longest() -> int:
    prefix = _max_length("workflow.AgencyIdentity.reference_prefix")
    code = max(len(definition.code) for definition in map(get_type, all_types()))
    number = len(str(2**31 - 1))  # the counter is a PositiveIntegerField
    return prefix + 1 + code + 1 + 4 + 1 + number


def _message_id_longest() -> int:
    from django.conf import settings

    return len(f"<{'0' * 32}@>") + len(urlsplit(settings.SITE_URL).hostname or "idhini.localhost")


def _attachment_storage_name() -> int:
    extension = max(len(ext) for t in FILE_TYPES.values() for ext in t.extensions)
    return 36 + 1 + 32 + 1 + extension  # "<document uuid>/<32 hex>.<extension>"


# What the audit records besides the transitions (their names are ACTIONS' keys).
AUDITED_BESIDES = ("create", "edit", "checklist", "seal", "attachment-add", "attachment-remove")
HASH = 64  # a SHA-256 in hex
HASH_TAGGED = len("sha256:") + HASH
_USER = get_user_model()
BY_CODE: dict[str, Callable[[], bool]] = {
    "workflow.Document.reference": _fits("workflow.Document.reference", _reference_longest),
    "similar.SearchEntry.reference": _fits("similar.SearchEntry.reference", _reference_longest),
    "workflow.Document.type": _fits(
        "workflow.Document.type", lambda: max(len(t.key) for t in map(get_type, all_types()))
    ),
    "workflow.ReferenceCounter.code": _fits(
        "workflow.ReferenceCounter.code",
        lambda: max(len(t.code) for t in map(get_type, all_types())),
    ),
    "approvals.ChecklistMark.criterion": _fits(
        "approvals.ChecklistMark.criterion",
        lambda: max(len(c.key) for t in map(get_type, all_types()) for c in t.checklist),
    ),
    "workflow.Document.verification_code": _fits("workflow.Document.verification_code", lambda: 16),
    "workflow.DocumentVersion.title": lambda: (
        _max_length("workflow.DocumentVersion.title") == _max_length("workflow.Document.title")
    ),
    "similar.SearchEntry.title": lambda: (
        _max_length("similar.SearchEntry.title") == _max_length("workflow.Document.title")
    ),
    "similar.SearchEntry.title_key": lambda: (
        _max_length("similar.SearchEntry.title_key") == _max_length("workflow.Document.title")
    ),
    # The uploaded name is cut to fit (workflow/attachments/names.display_name), as is the Word
    # upload's (portal/word.py), the subject and the delivery error.
    "workflow.Attachment.name": lambda: _max_length("workflow.Attachment.name") == NAME_MAX,
    "portal.WordUpload.filename": lambda: _max_length("portal.WordUpload.filename") == FILENAME_MAX,
    "notifications.Outbox.subject": lambda: _max_length("notifications.Outbox.subject") == 300,
    "workflow.Attachment.storage_name": _fits(
        "workflow.Attachment.storage_name", _attachment_storage_name
    ),
    "workflow.Attachment.content_type": _fits(
        "workflow.Attachment.content_type",
        lambda: max(len(t.content_type) for t in FILE_TYPES.values()),
    ),
    "approvals.SealedPdf.pdf_variant": _fits("approvals.SealedPdf.pdf_variant", lambda: len(PDF_A)),
    "approvals.Signature.role": _fits(
        "approvals.Signature.role",
        lambda: max(len(s.role) for t in map(get_type, all_types()) for s in t.signatories),
    ),
    "notifications.Reminder.step": _fits(
        "notifications.Reminder.step", lambda: max(len(step.key) for step in steps().values())
    ),
    "workflow.AuditEvent.action": _fits(
        "workflow.AuditEvent.action",
        lambda: max(len(name) for name in [*ACTIONS, *AUDITED_BESIDES]),
    ),
    "workflow.AuditEvent.actor_username": lambda: (
        _max_length("workflow.AuditEvent.actor_username")
        == _USER._meta.get_field("username").max_length
    ),
    "notifications.Outbox.to_email": lambda: (
        _max_length("notifications.Outbox.to_email") == _USER._meta.get_field("email").max_length
    ),
    # The address to create, read from the approved request and cut to the column
    # (approvals.provisioning.mailbox_open); the device's name is second_factor.DEVICE_NAME.
    "approvals.MailboxProvisioning.requested_address": lambda: (
        _max_length("approvals.MailboxProvisioning.requested_address")
        == _max_length("approvals.MailboxProvisioning.address")
    ),
    "workflow.RecoveryCodes.name": _fits("workflow.RecoveryCodes.name", lambda: len(DEVICE_NAME)),
    "notifications.Outbox.message_id": _fits(
        "notifications.Outbox.message_id", _message_id_longest
    ),
}
# Hashes: a SHA-256 in hex, or tagged "sha256:<hex>" where the algorithm is part of the value.
HASHED = {
    "workflow.Document.content_hash": HASH_TAGGED,
    "workflow.DocumentVersion.content_hash": HASH_TAGGED,
    "approvals.Signature.content_hash": HASH_TAGGED,
    "approvals.SealedPdf.content_hash": HASH_TAGGED,
    "portal.WordUpload.previous_hash": HASH_TAGGED,
    "portal.WordUpload.result_hash": HASH_TAGGED,
    "workflow.Document.audit_head": HASH,
    "workflow.Attachment.sha256": HASH,
    "workflow.AuditEvent.prev_hash": HASH,
    "workflow.AuditEvent.hash": HASH,
    "approvals.SealedPdf.sha256": HASH,
    "approvals.SealedPdf.certificate_fingerprint": HASH,
    "workflow.RecoveryCode.digest": HASH,  # an HMAC-SHA256 in hex (workflow.recovery_codes)
}
for _label, _length in HASHED.items():
    BY_CODE[_label] = _fits(_label, lambda length=_length: length)
for _label in (
    "workflow.Membership.role",
    "workflow.Project.stage",
    "workflow.Document.status",
    "workflow.Attachment.kind",
    "workflow.AgencyIdentity.jurisdiction",
    "approvals.Signature.status",
    "approvals.Review.decision",
    "approvals.SealedPdf.lang",
    "approvals.ChecklistMark.mark",
    "notifications.Preference.language",
    "notifications.Notification.kind",
    "notifications.Outbox.language",
    "notifications.Outbox.kind",
    "notifications.Outbox.status",
    "similar.SearchEntry.status",
    "approvals.MailboxProvisioning.status",
):
    BY_CODE[_label] = _choices_fit(_label)
for _label in ("workflow.AuditEvent.from_status", "workflow.AuditEvent.to_status"):
    BY_CODE[_label] = _fits(_label, lambda: max(len(value) for value in Status.values))

# Text without a column limit: written by the code (the e-mail, the search index, the worker's
# error cut to notifications.delivery.ERROR_MAX) or by people through a limit BY_PEOPLE proves.
UNLIMITED = {
    "notifications.Outbox.body_text",
    "notifications.Outbox.body_html",
    "notifications.Outbox.last_error",
    "similar.SearchEntry.heading",
    "similar.SearchEntry.body",
    "similar.SearchEntry.extra",
}


def _column_of(label: str) -> str:
    return label.split(" (", 1)[0]


def test_every_text_column_is_accounted_for():
    admin_columns = {f"{model}.{field}" for model, fields in BY_ADMIN.items() for field in fields}
    people = {_column_of(label) for label in BY_PEOPLE} & _columns()
    groups = [people, admin_columns, set(BY_CODE), UNLIMITED]
    assert sum(len(group) for group in groups) == len(set().union(*groups)), "listed twice"
    assert set().union(*groups) == _columns()


@pytest.mark.parametrize("label", sorted(BY_CODE))
def test_what_the_code_writes_fits_its_column(label):
    assert BY_CODE[label](), label

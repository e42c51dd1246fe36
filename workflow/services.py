"""Writes of the engine: projects, documents and their answers (the lifecycle's transitions are
approvals.transitions: they write signatures and reviews, which this app may not import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_templates.definitions import DocumentType, current_lang
from forms_templates.diff import TITLE, changed_fields
from forms_templates.docx import DocxError, FileTooLarge, read_docx
from forms_templates.registry import all_types, get_type
from forms_templates.swahili import concords
from forms_templates.validation import merge_data, validate_data
from workflow.audit import audit_record
from workflow.exceptions import Conflict, Forbidden, Invalid, TooLarge
from workflow.existing_systems import clean_existing_system
from workflow.gating import gating_check, one_per_project_conflict
from workflow.hashing import content_hash
from workflow.limits import TEXT_MAX
from workflow.models import (
    EDITABLE_STATUSES,
    Document,
    Project,
    Stage,
    Status,
)
from workflow.roles import user_context
from workflow.selectors import DocumentId, document_get_visible, visible_projects

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _limit(model, field: str) -> int:
    """A text's limit is its column's: the service refuses (400) what the database would."""
    return model._meta.get_field(field).max_length


def _clean_title(title: Any, *, field: str = "title", limit: int | None = None) -> str:
    limit = limit or _limit(Document, "title")
    if not isinstance(title, str):
        raise Invalid(_("Invalid title."), errors={field: [_("The title must be text.")]})
    title = title.strip()
    if not title:
        raise Invalid(_("Invalid title."), errors={field: [_("The title may not be blank.")]})
    if len(title) > limit:
        raise Invalid(
            _("Invalid title."),
            errors={
                field: [
                    _("The title is too long: at most %(limit)d characters.") % {"limit": limit}
                ]
            },
        )
    return title


# --- Projects -------------------------------------------------------------------------------


def project_create(
    *, name: str, description: str = "", existing_system: Any = None, by: User
) -> Project:
    """A project of the officer's institution. With ``existing_system`` (the earlier approval's
    letter reference and date) it is a system running before Idhini: it starts in
    implementation, and its progress and final reports need no concept note approved here."""
    ctx = user_context(by)
    if not ctx.is_officer:
        raise Forbidden(_("Only an institution's project officers can create projects."))
    name = _clean_title(name, field="name", limit=_limit(Project, "name"))
    limit = _limit(Project, "description")
    if not isinstance(description, str) or len(description) > limit:
        raise Invalid(
            _("Invalid description."),
            errors={
                "description": [
                    _("The description must be text of at most %(limit)d characters.")
                    % {"limit": limit}
                ]
            },
        )
    earlier = clean_existing_system(existing_system)
    return Project.objects.create(
        institution=ctx.institution,
        name=name,
        description=description.strip(),
        created_by=by,
        stage=Stage.IMPLEMENTATION if earlier else Stage.CONCEPT,
        existing_approval_reference=earlier.reference if earlier else "",
        existing_approval_date=earlier.date if earlier else None,
    )


# --- Documents ------------------------------------------------------------------------------


def _project_for(definition: DocumentType, project_id: Any, by: User) -> Project | None:
    """The caller's project a ``definition`` document goes into (None for a type without)."""
    if not definition.needs_project:
        if project_id not in (None, ""):
            raise Invalid(
                _("No project expected."),
                errors={
                    "project": [_("This type of document belongs to no project: leave it empty.")]
                },
            )
        return None
    if project_id in (None, ""):
        raise Invalid(
            _("A project is required."),
            errors={
                "project": [
                    _("A %(type)s belongs to a project.%(sw_subj)s%(sw_of)s")
                    % {
                        "type": definition.name.get(current_lang()),
                        **concords(definition.key, current_lang()),
                    }
                ]
            },
        )
    try:
        return visible_projects(by).get(pk=UUID(str(project_id)))
    except (ValueError, Project.DoesNotExist):
        raise Invalid(
            _("Unknown project."),
            errors={"project": [_("No such project in your institution.")]},
        ) from None


def document_create(*, type: str, title: str, project_id: Any, by: User) -> Document:
    ctx = user_context(by)
    definition = get_type(type) if isinstance(type, str) else None
    if definition is None:
        raise Invalid(
            _("Unknown document type."),
            errors={
                "type": [
                    _("Unknown document type “%(type)s”. Known types: %(known)s.")
                    % {"type": type, "known": ", ".join(all_types())}
                ]
            },
        )
    if not ctx.is_institution_staff:
        raise Forbidden(_("Only institution staff can prepare documents."))
    if definition.needs_project and not ctx.is_officer:
        raise Forbidden(_("Only project officers can prepare project documents."))
    title = _clean_title(title)
    project = _project_for(definition, project_id, by)
    try:
        with transaction.atomic():
            if project is not None:
                # Serialise document creation per project so gating checks see each other, and
                # check against the project as it is now (its stage).
                project = Project.objects.select_for_update().get(pk=project.pk)
            gating_check(definition=definition, project=project)
            document = Document(
                type=definition.key,
                title=title,
                project=project,
                institution=ctx.institution,
                author=by,
                data={},
                form_version=definition.form_version,
                content_hash=content_hash(type=definition.key, title=title, data={}),
                status_changed_at=timezone.now(),
            )
            document.save()
            audit_record(document=document, action="create", actor=by, to_status=Status.DRAFT)
            document.save(update_fields=["audit_seq", "audit_head"])
    except IntegrityError:
        # Only the one-per-project constraints can fail here (the row lock above makes it rare).
        raise one_per_project_conflict(definition) from None
    return document


def lock_document(*, document_id: DocumentId, by: User) -> Document:
    """The document, row-locked for this transaction; 404 when the caller may not see it."""
    return document_get_visible(
        document_id=document_id,
        by=by,
        queryset=Document.objects.select_for_update().prefetch_related("signatures"),
    )


def document_update(
    *, document_id: DocumentId, by: User, title: Any = None, data: Any = None, source: str = "api"
) -> Document:
    """PATCH: ``data`` keys are merged into the stored data. Editing a frozen version starts a
    new version, and any earlier signatures stop counting."""
    with transaction.atomic():
        document = lock_document(document_id=document_id, by=by)
        _ensure_editable(document, by)
        definition = get_type(document.type)
        changes: dict[str, Any] = {}
        if data is not None:
            errors = validate_data(definition, data)
            if errors:
                raise Invalid(_("Some answers are not valid."), errors={"data": errors})
            changes = data
        new_title = _clean_title(title) if title is not None else document.title
        new_data = merge_data(document.data, changes)
        new_hash = content_hash(
            type=document.type,
            title=new_title,
            data=new_data,
            attachments=document.attachment_manifest,
        )
        if new_hash == document.content_hash:
            return document
        fields_changed = changed_fields(
            definition,
            old_title=document.title,
            old_data=document.data,
            new_title=new_title,
            new_data=new_data,
        )
        if document.version_frozen:
            document.version += 1
            document.version_frozen = False
        document.title = new_title
        document.data = new_data
        document.content_hash = new_hash
        audit_record(
            document=document,
            action="edit",
            actor=by,
            from_status=document.status,
            to_status=document.status,
            payload={
                # The keys the request sent; changed_fields: those whose answer differs.
                "fields": sorted(changes),
                "changed_fields": fields_changed,
                "title_changed": TITLE in fields_changed,
                "content_hash": new_hash,
                "source": source,
            },
        )
        document.save()
    return document


def document_replace_data(
    *, document_id: DocumentId, by: User, data: dict[str, Any], source: str
) -> Document:
    """Replace all of a draft's data (the Word import): like PATCH, but nothing is merged."""
    with transaction.atomic():
        document = lock_document(document_id=document_id, by=by)
        cleared = {key: None for key in document.data if key not in data}
        return document_update(
            document_id=document.pk, by=by, data={**cleared, **data}, source=source
        )


def clean_text(value: Any, *, field: str, required: bool, limit: int = TEXT_MAX) -> str:
    """A reason or comment: stripped text of at most ``limit`` characters, not blank if required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(
            _("Invalid %(field)s.") % {"field": field}, errors={field: [_("Must be text.")]}
        )
    value = value.strip()
    if required and not value:
        raise Invalid(
            _("%(field)s is required.") % {"field": field},
            errors={field: [_("This field is required: say why.")]},
        )
    if len(value) > limit:
        raise Invalid(
            _("Invalid %(field)s.") % {"field": field},
            errors={field: [_("At most %(limit)d characters.") % {"limit": limit}]},
        )
    return value


# --- Word import ----------------------------------------------------------------------------


def _ensure_editable(document: Document, by: User) -> None:
    """409 unless a draft or returned for changes, then 403 unless the author's (every edit)."""
    if document.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("A document can be edited only as a draft or when changes are requested."),
            code="not_editable",
        )
    if document.author_id != by.pk:
        raise Forbidden(_("Only the author can edit this document."))


def document_check_editable(*, document_id: DocumentId, by: User) -> Document:
    """404 / 409 / 403 as an edit would answer, without a lock: cheap enough to ask before an
    upload's body is read."""
    document = document_get_visible(document_id=document_id, by=by)
    _ensure_editable(document, by)
    return document


def document_import_docx(*, document_id: DocumentId, by: User, content: bytes) -> Document:
    """Replace a draft's data with the answers of a filled Word template (or an export).

    The file is checked and read outside the transaction (it may take a moment); the data is
    derived and replaced under the row lock, against the data stored at that moment. Refusals:
    404/409/403 as PATCH; 413 over the size limit; 400 ``{"file": [...]}`` for a file that is
    not a usable template, 400 ``{"data": {field: [...]}}`` for answers that are not valid.
    """
    document = document_check_editable(document_id=document_id, by=by)
    definition = get_type(document.type)
    try:
        form = read_docx(definition, content, max_bytes=settings.UPLOAD_MAX_BYTES)
    except FileTooLarge as exc:
        raise TooLarge(exc.message, code=exc.code) from None
    except DocxError as exc:
        raise Invalid(exc.message, code=exc.code, errors={"file": [exc.message]}) from None
    with transaction.atomic():
        document = lock_document(document_id=document.pk, by=by)
        _ensure_editable(document, by)
        try:
            data = form.to_data(current=document.data)
        except DocxError as exc:
            errors = {"data": exc.errors} if exc.errors else {"file": [exc.message]}
            raise Invalid(exc.message, code=exc.code, errors=errors) from None
        return document_replace_data(document_id=document.pk, by=by, data=data, source="docx")

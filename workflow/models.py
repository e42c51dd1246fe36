"""The engine's data: institutions, people's roles, projects, documents, versions, audit events."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forms_templates.forms import TITLE_MAX
from forms_templates.registry import all_types

# Role, Status and SignatureStatus are imported from here by most of the code.
from workflow.choices import Role, SignatureStatus, Status  # noqa: F401
from workflow.limits import TEXT_MAX
from workflow.mail_domains import parse_mail_domains, validate_mail_domains

QUEUE_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
FINAL_STATUSES = (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)


class Stage(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    IMPLEMENTATION = "implementation", _("Implementation")
    COMPLETED = "completed", _("Completed")


class Institution(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_sw = models.CharField(_("name (Swahili)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    is_agency = models.BooleanField(
        _("is the agency"), default=False, help_text=_("The e-Government Agency, which reviews.")
    )
    mail_domains = models.CharField(
        _("mail domains"),
        max_length=500,
        blank=True,
        validators=[validate_mail_domains],
        help_text=_(
            "The institution's own e-mail domains, separated by commas (e.g. moh.go.tz). "
            "A mailbox request must ask for an address in one of them; with none set, "
            "no mailbox request can go for signature."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.code} — {self.name_sw}"

    def name(self, lang: str = "sw") -> str:
        return self.name_en if lang == "en" else self.name_sw

    def mail_domain_list(self) -> tuple[str, ...]:
        return parse_mail_domains(self.mail_domains)

    def clean(self) -> None:
        self.mail_domains = ", ".join(self.mail_domain_list())


class Membership(models.Model):
    """Who holds which role where. A person belongs to one institution; roles may be several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["institution", "role"], name="membership_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.institution.code}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.institution_id is None or self.user_id is None:
            return
        elsewhere = Membership.objects.filter(user_id=self.user_id).exclude(
            institution_id=self.institution_id
        )
        if elsewhere.exists():
            raise ValidationError(
                {"institution": _("This person already belongs to another institution.")}
            )
        is_agency = Institution.objects.filter(pk=self.institution_id, is_agency=True).exists()
        if (self.role == Role.REVIEWER) != is_agency:
            raise ValidationError(
                {
                    "role": _(
                        "Reviewers belong to the agency; officers and signatories to institutions."
                    )
                }
            )


class Project(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.CONCEPT
    )
    # An existing system: approved before Idhini, by the letter with this reference and date.
    # Its progress and final reports need no concept note approved here.
    existing_approval_reference = models.CharField(
        _("earlier approval's reference"), max_length=100, blank=True
    )
    existing_approval_date = models.DateField(_("earlier approval's date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["institution", "-created_at"], name="project_inst_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_existing_system(self) -> bool:
        return bool(self.existing_approval_reference)


def _type_constraints() -> list[models.BaseConstraint]:
    """The document types' project rules the database can hold, derived from the registry:
    which types may have no project, and one in flight per project where a type says so."""
    types = all_types().values()
    project_or_exempt = Q(project__isnull=False)
    for definition in types:
        if not definition.needs_project:
            project_or_exempt |= Q(type=definition.key)
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(condition=project_or_exempt, name="document_project_required")
    ]
    for definition in types:
        if definition.one_per_project:
            constraints.append(
                models.UniqueConstraint(
                    fields=["project"],
                    condition=Q(type=definition.key)
                    & ~Q(status__in=[Status.WITHDRAWN, Status.REJECTED]),
                    name=f"document_one_{definition.key}",
                )
            )
    return constraints


class Document(models.Model):
    """A document's current state. ``status`` changes only through workflow.lifecycle."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True, null=True, blank=True)
    type = models.CharField(_("type"), max_length=40)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="documents")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_documents"
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # True once this version was sent for signature: its snapshot is immutable, and the next
    # edit starts a new version.
    version_frozen = models.BooleanField(default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # The version of its type's form it was filled against (DocumentType.form_version): what
    # it is asked to answer and checked against. Documents stored before a form changed keep
    # theirs, so they validate and print as they did (workflow 0009 gives the stored ones 1).
    form_version = models.PositiveSmallIntegerField(_("form version"), default=1)
    content_hash = models.CharField(_("content hash"), max_length=80)
    # The current annexes as the content hash covers them (workflow.hashing.attachment_manifest),
    # kept with the row so that hashing an edit or checking the required kinds costs no query.
    attachment_manifest = models.JSONField(default=list, blank=True)
    next_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_documents",
    )
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # How often it came back for changes: the dashboard reads it here, with no join. Kept by
    # the database itself (approvals 0007: a trigger on every review row written or deleted).
    returns_for_changes = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Head of the per-document audit hash chain: a deleted last event is detectable.
    audit_seq = models.PositiveIntegerField(default=0)
    audit_head = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="document_status_valid"
            ),
            # From the types' definitions: a new type with other rules is a new migration.
            *_type_constraints(),
        ]
        indexes = [
            # The agency's review queue: oldest submission first.
            models.Index(
                fields=["last_submitted_at"],
                condition=Q(status__in=[Status.SUBMITTED, Status.UNDER_REVIEW]),
                name="document_queue_idx",
            ),
            models.Index(fields=["institution", "-updated_at"], name="document_inst_idx"),
            models.Index(
                fields=["next_signer"],
                condition=Q(status=Status.AWAITING_SIGNATURES),
                name="document_inbox_idx",
            ),
            models.Index(fields=["project", "type", "status"], name="document_gating_idx"),
            models.Index(fields=["status", "-updated_at"], name="document_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or self.title


class DocumentVersion(models.Model):
    """An immutable snapshot, frozen when a version is sent for signature."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    data = models.JSONField(default=dict)
    # The annexes this version was signed with: its document's attachment_manifest when frozen.
    attachments = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A document version is immutable.")
        super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """Append-only, hash-chained per document: ``manage.py verify_audit`` finds any tampering."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    version = models.PositiveIntegerField()
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["document", "seq"]
        constraints = [models.UniqueConstraint(fields=["document", "seq"], name="audit_unique_seq")]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class ReferenceCounter(models.Model):
    """Numbers references per type and year: EGA/CN/2026/0007."""

    code = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}/{self.year}: {self.last}"


# In their own modules (the app's models are all read from here): the agency's identity (with
# current_agency()), annexes (workflow/attachments/), the recovery codes.
from workflow.agency import AgencyIdentity  # noqa: E402
from workflow.attachments.models import Attachment  # noqa: E402
from workflow.recovery_codes import RecoveryCode, RecoveryCodes  # noqa: E402

__all__ = [
    "AgencyIdentity",
    "Attachment",
    "AuditEvent",
    "Document",
    "DocumentVersion",
    "Institution",
    "Membership",
    "Project",
    "RecoveryCode",
    "RecoveryCodes",
    "ReferenceCounter",
    "Role",
    "Stage",
    "Status",
]

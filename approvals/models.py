"""Where people approve: signatures (bound to a version's content hash), agency reviews and
the reviewers' marks on the review checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.models import Document, SignatureStatus


class Signature(models.Model):
    """One signatory's place in one signing round of one version.

    A new round (a new request for signatures) retires the previous round's rows (``active``
    false) rather than deleting them: who signed what stays on record.
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    version = models.PositiveIntegerField()
    role = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    status = models.CharField(
        max_length=16, choices=SignatureStatus.choices, default=SignatureStatus.PENDING
    )
    content_hash = models.CharField(max_length=80)
    signed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # Who signed, when it was not the signatory: their acting officer ("kaimu") under a
    # delegation (approvals.delegation). Null: the signatory themself, or not signed yet.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delegation = models.ForeignKey(
        "Delegation", on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "order"],
                condition=Q(active=True),
                name="signature_one_active_per_order",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(signed_at__isnull=False),
                name="signature_decided_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["signer", "status"],
                condition=Q(active=True),
                name="signature_signer_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.role} ({self.status})"


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


# The longest comment a reviewer may leave beside one field (the review's ``field_comments``).
FIELD_COMMENT_MAX = 2000


class Review(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    version = models.PositiveIntegerField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    field_comments = models.JSONField(default=dict, blank=True)
    # An approval given although the checklist had criteria unmarked or not met: why.
    checklist_override = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "created_at"]
        indexes = [
            # The dashboard: decisions per week, and how often documents come back.
            models.Index(fields=["created_at"], name="review_created_idx"),
            models.Index(
                fields=["document"],
                condition=Q(decision="changes_requested"),
                name="review_returns_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.decision}"


def _sealed_pdf_path(instance: SealedPdf, filename: str) -> str:
    return f"sealed/{instance.document_id}/{filename}"


class SealedPdf(models.Model):
    """The approved document as issued: rendered once, sealed with the agency's certificate, and
    served as stored on every later download. One per document and print language (Swahili at
    approval; English the first time someone asks for it)."""

    class Language(models.TextChoices):
        SWAHILI = "sw", "Kiswahili"
        ENGLISH = "en", "English"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="sealed_pdfs")
    lang = models.CharField(_("language"), max_length=5, choices=Language.choices)
    file = models.FileField(_("file"), upload_to=_sealed_pdf_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    version = models.PositiveIntegerField(_("document version"))
    content_hash = models.CharField(_("content hash"), max_length=80)
    certificate_fingerprint = models.CharField(_("sealing certificate (SHA-256)"), max_length=64)
    pdf_variant = models.CharField(_("PDF variant"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "lang"]
        verbose_name = _("sealed PDF")
        verbose_name_plural = _("sealed PDFs")
        constraints = [
            models.UniqueConstraint(fields=["document", "lang"], name="sealed_pdf_one_per_lang"),
            models.CheckConstraint(
                condition=Q(lang__in=["sw", "en"]), name="sealed_pdf_lang_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} ({self.lang}) {self.sha256[:12]}"


class Mark(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class ChecklistMark(models.Model):
    """A reviewer's current mark on one criterion of the type's checklist, for one version.

    Marks belong to the version reviewed: a new version starts with none (the last version's
    marks are shown as hints, approvals.checklist_selectors). Reviewers mark in turn; the row
    says who set its current mark and when, and every change is an audit event ("checklist").
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="checklist_marks")
    version = models.PositiveIntegerField(_("document version"))
    criterion = models.CharField(_("criterion"), max_length=60)
    mark = models.CharField(_("mark"), max_length=10, choices=Mark.choices)
    note = models.TextField(_("note"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        ordering = ["document", "version", "id"]
        verbose_name = _("checklist mark")
        verbose_name_plural = _("checklist marks")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version", "criterion"], name="checklist_mark_one_per_version"
            ),
            models.CheckConstraint(
                condition=Q(mark__in=["met", "not_met", "na"]), name="checklist_mark_valid"
            ),
            # A "not met" tells the author what is missing: its note becomes their comment.
            models.CheckConstraint(
                condition=~Q(mark="not_met") | ~Q(note=""), name="checklist_not_met_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version} {self.criterion}: {self.mark}"


class Delegation(models.Model):
    """A signatory away names an acting officer ("kaimu") of the same institution, who signs in
    their place on the dates from ``starts_on`` to ``ends_on`` (both included, the agency's
    local dates). Withdrawing ends it early; the row stays as the record of who did what."""

    institution = models.ForeignKey(
        "workflow.Institution", on_delete=models.PROTECT, related_name="delegations"
    )
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_given"
    )
    acting = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_held"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["principal", "starts_on"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        # The institution's administrator: a member of the institution holding this permission
        # (given in Django admin) names acting officers for any of its signatories.
        permissions = [("manage_delegations", _("Can name acting officers in the institution"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("acting")), name="delegation_not_to_self"
            ),
        ]
        indexes = [
            models.Index(
                fields=["acting", "starts_on"],
                condition=Q(withdrawn_at__isnull=True),
                name="delegation_acting_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.principal} -> {self.acting} ({self.starts_on}..{self.ends_on})"


class Provisioning(models.TextChoices):
    WAITING = "waiting", _("Waiting for a mail administrator")
    CLAIMED = "claimed", _("Being created by a mail administrator")
    PROVISIONED = "provisioned", _("Mailbox created")
    REFUSED = "refused", _("Refused by the mail administrators")


OPEN_PROVISIONING = (Provisioning.WAITING, Provisioning.CLAIMED)


class MailboxProvisioning(models.Model):
    """What happens to an approved mailbox request in the mail system (approvals.provisioning).

    Its own row, not more document statuses: the approved document stays final and its sealed
    PDF unchanged; the mail administrators' steps are audited on the document all the same."""

    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, primary_key=True, related_name="mailbox"
    )
    status = models.CharField(
        max_length=16, choices=Provisioning.choices, default=Provisioning.WAITING
    )
    requested_address = models.CharField(_("requested address"), max_length=254, blank=True)
    address = models.CharField(_("address created"), max_length=254, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("waiting since"))
    status_changed_at = models.DateTimeField(_("status changed"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailbox provisioning")
        verbose_name_plural = _("mailbox provisioning")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="provisioned") | ~Q(address=""),
                name="provisioned_has_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""), name="refused_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="claimed") | Q(assignee__isnull=False),
                name="claimed_has_assignee",
            ),
        ]
        indexes = [
            # The mail administrators' queue: what is still open, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(status__in=["waiting", "claimed"]),
                name="mailbox_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.status}"

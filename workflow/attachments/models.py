"""The annex row: which file a document carries from which version, under which random name."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forms_templates.attachment_kinds import AttachmentKind


class Attachment(models.Model):
    """An annex of a document: a file whose type was decided from its content, kept in the
    ``attachments`` storage under a random name (never the uploaded name).

    It belongs to the versions from ``version`` on. Removed from a version that was never
    signed, the row and the file go; removed later, it stays on record for the versions that
    were signed with it (``removed_in_version``: the first version without it).
    """

    NAME_MAX = 150

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(
        "workflow.Document", on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=AttachmentKind.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    storage_name = models.CharField(_("name in storage"), max_length=200, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("added in version"))
    removed_in_version = models.PositiveIntegerField(_("removed in version"), null=True, blank=True)

    class Meta:
        ordering = ["document", "created_at"]
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"
            ),
            # The same file twice among a document's current annexes is a mistake.
            models.UniqueConstraint(
                fields=["document", "sha256"],
                condition=Q(removed_in_version__isnull=True),
                name="attachment_unique_current_file",
            ),
        ]
        indexes = [models.Index(fields=["document", "created_at"], name="attachment_doc_idx")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.name}"

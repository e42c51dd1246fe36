"""What the pages keep beside a document: the answers typed in its form that the schema refuses
(so that a draft always saves), and each Word upload with the answers it replaced (for *undo*).

Neither is the document's content: ``Document.data`` holds only answers valid against the type's
JSON Schema, exactly as the API's PATCH would store them, and the API never sees these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Document


class DraftAnswers(models.Model):
    """The form's own state of a document: answers typed but not valid (kept with the stored
    value they would replace, ``{item: {"value", "base"}}``: an entry whose base is no longer what
    is stored was overtaken by a newer save, through the API or a Word upload, and is dropped),
    the sections saved at least once, and a revision that every save of the form increases —
    with the document's ``updated_at`` it is the version a page's save must start from."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="draft_answers"
    )
    answers = models.JSONField(default=dict, blank=True)
    sections_saved = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answers kept in the form")
        verbose_name_plural = _("answers kept in the form")

    def __str__(self) -> str:
        return f"{self.document_id} r{self.revision}"


class WordUpload(models.Model):
    """A filled Word file uploaded through the page: what it changed, and the answers it replaced
    (restored by *undo* while nothing has changed since)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="word_uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    previous_data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=80)
    result_hash = models.CharField(max_length=80)
    changes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "-created_at"]
        verbose_name = _("Word upload")
        verbose_name_plural = _("Word uploads")

    def __str__(self) -> str:
        return f"{self.document_id} {self.filename}"

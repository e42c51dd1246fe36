"""The index of projects a new project may duplicate: one row per project of any institution.

A project is in the index while its concept note is submitted, under review or approved, or when
it is registered as an existing system (approved before Idhini). ``similar.indexing`` keeps the
rows in step, in the transaction of the change.

On PostgreSQL the migration adds, outside Django's model, a generated column ``search`` (a
``tsvector`` of ``heading``, ``body`` and ``extra`` with weights A, B and C, each parsed with the
``simple`` and the ``english`` configuration, accents removed) with a GIN index, and a trigram GIN
index on ``title_key``. A later migration that changes the type of those text columns must drop and
re-create the column (PostgreSQL refuses to alter a column a generated column reads).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forms_templates.forms import TITLE_MAX
from workflow.models import Document, Institution, Project, Status


class EntryStatus(models.TextChoices):
    SUBMITTED = Status.SUBMITTED.value, Status.SUBMITTED.label
    UNDER_REVIEW = Status.UNDER_REVIEW.value, Status.UNDER_REVIEW.label
    APPROVED = Status.APPROVED.value, Status.APPROVED.label
    EXISTING = "existing", _("Existing system")


class SearchEntry(models.Model):
    project = models.OneToOneField(
        Project, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    # The concept note the text comes from (none for an existing system).
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=32, choices=EntryStatus.choices)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    # The project's name, shown in a result; its significant words (similar.text.words) are
    # what trigram likeness compares: "Mfumo wa ..." in every title would make all alike.
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_key = models.CharField(max_length=TITLE_MAX, blank=True)
    heading = models.TextField(blank=True)  # weight A: the names
    body = models.TextField(blank=True)  # weight B: the problem and the solution
    extra = models.TextField(blank=True)  # weight C: the systems named, the description
    # Each field's text, to say where a result matched.
    fields = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("similar-systems index entry")
        verbose_name_plural = _("similar-systems index")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="search_entry_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

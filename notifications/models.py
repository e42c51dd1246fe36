"""Who is told what: in-app notifications, the e-mail outbox, language preferences, reminders.

Rows here are written in the same transaction as the transition that caused them (see
notifications.receivers), so a transition and its notifications commit together or not at all.
E-mail leaves through the outbox: a row is claimed by a conditional UPDATE, sent, and marked sent,
so a second delivery of the same row sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.models import AuditEvent, Document


class Language(models.TextChoices):
    SWAHILI = "sw", _("Swahili")
    ENGLISH = "en", _("English")


class Preference(models.Model):
    """A person's notification settings. No row: Swahili."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SWAHILI
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


class Kind(models.TextChoices):
    SIGNATURE_REQUESTED = "signature_requested", _("Your signature is needed")
    SIGNATURE_DECLINED = "signature_declined", _("A signatory declined")
    FULLY_SIGNED = "fully_signed", _("All signatories have signed")
    SUBMITTED = "submitted", _("Submitted for review")
    RESUBMITTED = "resubmitted", _("Resubmitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SIGNED_FOR_YOU = "signed_for_you", _("Your acting officer signed for you")
    MAILBOX_WAITING = "mailbox_waiting", _("A mailbox to create")
    MAILBOX_PROVISIONED = "mailbox_provisioned", _("Mailbox created")
    MAILBOX_REFUSED = "mailbox_refused", _("Mailbox refused")
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")


class Notification(models.Model):
    """One in-app message to one person. Its text is composed when read, in the reader's
    language, from ``kind`` and ``payload`` (see notifications.messages)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    # The audit event that caused it. No database constraint: the audit trail is checked by
    # verify_audit, and a notification must not stand in the way of investigating a tampered one.
    event = models.ForeignKey(
        AuditEvent,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind} · {self.document_id}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Outbox(models.Model):
    """One e-mail to one address. Written with its notification, without its text: the first
    delivery composes the subject and bodies from the notification, in ``language``, and keeps
    them (notifications.delivery). Once sent, what is here is exactly what was sent.

    ``due_at`` means two things: for a pending row, when the sweep may enqueue it (again); for a
    sending row, when its claim (lease) expires and another worker may take it over.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_email = models.CharField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Empty until composed (an e-mail's subject never is).
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # Stable per row: if a crash repeats a send, the receiving side sees the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("due"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mail outbox")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutboxStatus.values), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]
        indexes = [
            # The sweep: rows not yet done, by when they are due.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]),
                name="outbox_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_email} · {self.kind} · {self.status}"


class Reminder(models.Model):
    """That ``recipient`` was reminded about ``document`` waiting in ``step`` on ``date``.

    The unique constraint makes "one reminder per overdue item per person per day" hold even
    when the daily task runs twice.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=16)  # approvals.deadlines Step.key
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    escalated = models.BooleanField(default=False)
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "step", "recipient", "date"], name="reminder_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["date"], name="reminder_date_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.step} → {self.recipient} ({self.date})"

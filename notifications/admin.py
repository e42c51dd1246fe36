"""Admin: the outbox and notifications are a record (read-only, but a failed e-mail can be sent
again once the person's address is fixed); preferences are editable."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, Outbox, OutboxStatus, Preference, Reminder
from notifications.outbox import outbox_resend_failed


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "to_email",
        "kind",
        "language",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to_email", "message_id", "subject"]
    date_hierarchy = "created_at"
    list_select_related = False
    fields = [
        "to_email",
        "recipient",
        "language",
        "kind",
        "subject_shown",
        "status",
        "attempts",
        "last_error",
        "due_at",
        "created_at",
        "sent_at",
        "failed_at",
        "message_id",
        "notification",
        "body_shown",
    ]
    readonly_fields = fields

    actions = ["resend_failed"]

    # An e-mail is composed when it is sent (notifications.delivery): until then, say so; one
    # that failed unwritten (its notification gone, or its template failing every try) never
    # will be unless sent again, and its last error says why.
    NOT_YET_WRITTEN = _("(written when it is sent)")
    NEVER_WRITTEN = _("(not written: see the last error)")

    @admin.display(description=_("subject"))
    def subject_shown(self, obj: Outbox) -> str:
        return obj.subject or self._unwritten(obj)

    @admin.display(description=_("text"))
    def body_shown(self, obj: Outbox) -> str:
        return obj.body_text or self._unwritten(obj)

    def _unwritten(self, obj: Outbox) -> str:
        return self.NEVER_WRITTEN if obj.status == OutboxStatus.FAILED else self.NOT_YET_WRITTEN

    @admin.display(description=_("last error"))
    def error(self, obj: Outbox) -> str:
        return obj.last_error[:120]

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_outbox")

    @admin.action(
        description=_("Send failed e-mails again, to the person's current address"),
        permissions=["resend"],
    )
    def resend_failed(self, request, queryset) -> None:
        selected = queryset.count()
        queued = outbox_resend_failed(outbox_ids=queryset.values("pk"))
        self.message_user(
            request,
            _("%(queued)d of %(selected)d e-mail(s) queued again (only failed ones are).")
            % {"queued": queued, "selected": selected},
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "kind", "document", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username"]
    list_select_related = ["recipient", "document"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "recipient",
        "kind",
        "document",
        "event",
        "actor",
        "payload",
        "created_at",
        "read_at",
    ]
    fields = readonly_fields


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["date", "document", "step", "recipient", "escalated"]
    list_filter = ["step", "escalated", "date"]
    list_select_related = ["document", "recipient"]
    readonly_fields = [
        "document",
        "step",
        "recipient",
        "date",
        "escalated",
        "notification",
        "created_at",
    ]
    fields = readonly_fields


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]

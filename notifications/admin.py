"""Admin: the outbox and notifications are a record (read-only); preferences are editable."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, Outbox, Preference, Reminder


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
        "subject",
        "status",
        "attempts",
        "last_error",
        "due_at",
        "created_at",
        "sent_at",
        "failed_at",
        "message_id",
        "notification",
        "body_text",
    ]
    readonly_fields = fields

    @admin.display(description=_("last error"))
    def error(self, obj: Outbox) -> str:
        return obj.last_error[:120]


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

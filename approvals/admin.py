from django.contrib import admin

from approvals.models import (
    ChecklistMark,
    Delegation,
    MailboxProvisioning,
    Review,
    SealedPdf,
    Signature,
)


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["document", "order", "role", "signer", "status", "signed_at", "active"]
    list_filter = ["status", "active", "role"]
    readonly_fields = [f.name for f in Signature._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["document", "decision", "reviewer", "created_at"]
    list_filter = ["decision"]
    readonly_fields = [f.name for f in Review._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SealedPdf)
class SealedPdfAdmin(admin.ModelAdmin):
    """Issued files are a record: read-only, never deleted from here."""

    list_display = ["document", "lang", "sha256", "size", "created_at"]
    list_filter = ["lang"]
    search_fields = ["sha256", "document__reference", "document__verification_code"]
    readonly_fields = [f.name for f in SealedPdf._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChecklistMark)
class ChecklistMarkAdmin(admin.ModelAdmin):
    """Marks change only through the review (each change is in the audit trail): read-only."""

    list_display = ["document", "version", "criterion", "mark", "marked_by", "marked_at"]
    list_filter = ["mark"]
    search_fields = ["document__reference", "criterion"]
    readonly_fields = [f.name for f in ChecklistMark._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Read only: delegations are made and withdrawn through approvals.delegation (the page or
    the API), which checks the dates, the institution and overlaps."""

    list_display = ["principal", "acting", "starts_on", "ends_on", "withdrawn_at", "institution"]
    list_filter = ["institution"]
    readonly_fields = [f.name for f in Delegation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailboxProvisioning)
class MailboxProvisioningAdmin(admin.ModelAdmin):
    """Read only: the mail administrators' steps go through their pages (audited)."""

    list_display = ["document", "status", "requested_address", "address", "assignee", "created_at"]
    list_filter = ["status"]
    search_fields = ["requested_address", "address", "document__reference"]
    readonly_fields = [f.name for f in MailboxProvisioning._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

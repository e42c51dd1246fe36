from django.contrib import admin

from approvals.models import Review, SealedPdf, Signature


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

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from workflow.models import (
    Attachment,
    AuditEvent,
    Document,
    DocumentVersion,
    Institution,
    Membership,
    Project,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sw", "name_en", "is_agency", "mail_domains"]
    search_fields = ["code", "name_sw", "name_en"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "role", "title"]
    list_filter = ["institution", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "institution"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "stage", "existing_approval_reference", "created_at"]
    list_filter = ["institution", "stage"]
    search_fields = ["name"]
    readonly_fields = ["stage"]
    autocomplete_fields = ["institution"]


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "title", "content_hash", "created_by", "created_at"]
    exclude = ["data", "attachments"]

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    """Annexes are added and removed only through the API (checked files, the content hash)."""

    model = Attachment
    extra = 0
    can_delete = False
    fields = [
        "name",
        "kind",
        "content_type",
        "size",
        "sha256",
        "version",
        "removed_in_version",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AuditInline(admin.TabularInline):
    model = AuditEvent
    extra = 0
    can_delete = False
    fields = ["seq", "action", "actor_username", "from_status", "to_status", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Status and content are read-only here: only the lifecycle changes them."""

    list_display = ["reference", "title", "type", "institution", "status", "version", "updated_at"]
    list_filter = ["status", "type", "institution"]
    search_fields = ["reference", "title"]
    list_select_related = ["institution"]
    readonly_fields = [
        "reference",
        "type",
        "project",
        "institution",
        "author",
        "status",
        "version",
        "version_frozen",
        "data",
        "content_hash",
        "attachment_manifest",
        "next_signer",
        "assignee",
        "verification_code",
        "submitted_at",
        "last_submitted_at",
        "approved_at",
        "returns_for_changes",
        "audit_seq",
        "audit_head",
    ]
    inlines = [VersionInline, AttachmentInline, AuditInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# API tokens per person (their own module: sign-in security) and the agency's identity (its own
# module: the emblem's upload checks).
from workflow import admin_agency, admin_tokens  # noqa: E402, F401

"""API tokens in admin, per person: when issued, when they expire, whether they still work.
The key itself is never shown. Deleting a token revokes it (as POST /api/v1/auth/logout/ does);
a new one is issued by the token exchange, not here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from workflow.recovery_codes import RecoveryCodes
from workflow.tokens import token_expires_at, token_is_expired

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ApiTokenAdmin(TokenAdmin):
    list_display = ("user", "created", "expires_at", "state")
    list_select_related = ("user",)
    fields = ("user", "created", "expires_at", "state")
    readonly_fields = fields

    @admin.display(description=_("Expires"))
    def expires_at(self, token):
        return token_expires_at(token)

    @admin.display(description=_("State"))
    def state(self, token):
        return _("expired") if token_is_expired(token) else _("valid")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Recovery codes: how many a person has left; never the codes (only their digests are kept).
# Deleting the row voids them (someone who lost the phone and the codes enrols again). The
# django-otp plain-text StaticDevice is not used (its rows were moved to digests).
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)


@admin.register(RecoveryCodes)
class RecoveryCodesAdmin(admin.ModelAdmin):
    list_display = ("user", "left")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "left")
    readonly_fields = fields

    @admin.display(description=_("Codes left"))
    def left(self, device):
        return device.codes.count()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""The agency's identity in admin: one row, its emblem uploaded as an image.

The upload goes through the annexes' checks (type from the bytes, polyglots refused, Pillow
with a pixel limit in a limited child) and is then re-encoded by us as a PNG of at most
``EMBLEM_MAX_SIDE`` pixels, so what the PDF and the Word file embed is never the uploaded bytes.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from workflow.agency import AgencyIdentity
from workflow.attachments.inspect import inspect_upload
from workflow.attachments.types import FileRefused

EMBLEM_MAX_BYTES = 1024 * 1024
EMBLEM_MAX_SIDE = 600


def _reencode(content: bytes) -> bytes:
    """Runs in a limited child: the checked image as a fresh PNG, scaled down if large."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        image.thumbnail((EMBLEM_MAX_SIDE, EMBLEM_MAX_SIDE))
        converted = image.convert("RGBA")
        out = io.BytesIO()
        converted.save(out, format="PNG", optimize=True)
    return out.getvalue()


def emblem_png(content: bytes) -> bytes:
    """The PNG to keep for an uploaded emblem; :class:`forms.ValidationError` naming why not."""
    from forms_templates.printing.sandbox import SandboxError, run_limited

    try:
        inspected = inspect_upload(content, max_bytes=EMBLEM_MAX_BYTES)
    except FileRefused as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from None
    if inspected.file_type.key not in ("png", "jpeg"):
        raise forms.ValidationError(
            _("The emblem must be a PNG or JPEG image."), code="not_an_image"
        )
    try:
        return run_limited(_reencode, content, timeout=20, memory_mb=512)
    except SandboxError:
        raise forms.ValidationError(
            _("The image could not be converted within the limits."), code="too_complex"
        ) from None


class AgencyIdentityForm(forms.ModelForm):
    emblem = forms.FileField(
        label=_("emblem"),
        required=False,
        help_text=_(
            "PNG or JPEG, at most 1 MB; it is printed at the top of every document. Empty: keep "
            "the current one."
        ),
    )
    remove_emblem = forms.BooleanField(label=_("use Idhini's own emblem"), required=False)

    class Meta:
        model = AgencyIdentity
        fields = ["name_sw", "name_en", "jurisdiction", "reference_prefix", "seal_name"]

    def clean_emblem(self):
        upload = self.cleaned_data.get("emblem")
        if not upload:
            return None
        if upload.size > EMBLEM_MAX_BYTES:
            raise forms.ValidationError(_("The emblem must be at most 1 MB."), code="too_large")
        return emblem_png(upload.read())

    def save(self, commit: bool = True):
        row = super().save(commit=False)
        if self.cleaned_data.get("remove_emblem"):
            row.emblem_png = None
        elif self.cleaned_data.get("emblem"):
            row.emblem_png = self.cleaned_data["emblem"]
        if commit:
            row.save()
        return row


@admin.register(AgencyIdentity)
class AgencyIdentityAdmin(admin.ModelAdmin):
    form = AgencyIdentityForm
    list_display = ("name_sw", "name_en", "jurisdiction", "reference_prefix", "updated_at")
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not AgencyIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

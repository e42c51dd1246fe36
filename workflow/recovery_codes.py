"""Recovery codes kept as keyed digests, never as the codes themselves.

django-otp's ``StaticDevice`` stores its tokens as typed, so anyone who reads the database (a
backup, a replica, an admin page) holds working second factors. Here a person's ten codes are
one django-otp :class:`~django_otp.models.Device` (so ``django_otp.verify_token`` verifies them
under the device row's lock, once) whose :class:`RecoveryCode` rows hold only an HMAC-SHA256 of
each code, keyed by ``SECRET_KEY`` (``SECRET_KEY_FALLBACKS`` are tried too, so rotating the
key does not void the codes). A code has 50 random bits; without the key its digest cannot be
tested offline, and with it the lockout (django-axes) still counts every wrong try online.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # 32 symbols, no 0/o, 1/l
_KEY_SALT = "idhini.recovery-code"


def new_code() -> str:
    """Ten symbols (50 bits), shown as ``xxxxx-xxxxx``; typed with or without the dash."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def digests_of(cleaned: str) -> list[str]:
    """The digest of a cleaned code (no dash, lower case) under the key and each fallback."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(_KEY_SALT, cleaned, secret=key, algorithm="sha256").hexdigest() for key in keys
    ]


class RecoveryCodes(Device):
    """A person's set of recovery codes (one device; its codes are spent one by one)."""

    class Meta:
        app_label = "workflow"
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        cleaned = "".join(str(token).split()).replace("-", "").lower()
        if not cleaned:
            return False
        deleted, _rows = self.codes.filter(digest__in=digests_of(cleaned)).delete()
        return deleted > 0


class RecoveryCode(models.Model):
    """One unused recovery code, as its digest (deleted when used)."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        app_label = "workflow"
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.digest[:8]}…"

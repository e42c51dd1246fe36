"""The agency's identity as an administrator sets it (one row, edited in admin).

:func:`current_agency` is what every output reads: pages, e-mails, the Word file, the PDF, the
seal and new references. Each process keeps a copy for at most 60 s (``CACHE_SECONDS``); saving the
row changes a version number in the cache, so with a shared cache (``IDHINI_CACHE_URL``) every
process reads the new row at its next use, and with per-process caches within 60 s.
"""

from __future__ import annotations

import time
import uuid

from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from forms_templates.definitions import T
from forms_templates.identity import DEFAULT, HEADINGS, Agency

VERSION_KEY = "idhini:agency-identity:version"
CACHE_SECONDS = 60


class AgencyIdentity(models.Model):
    class Jurisdiction(models.TextChoices):
        MAINLAND = "mainland", _("Tanzania mainland (JAMHURI YA MUUNGANO WA TANZANIA)")
        ZANZIBAR = "zanzibar", _("Zanzibar (SERIKALI YA MAPINDUZI YA ZANZIBAR)")

    name_sw = models.CharField(_("name (Swahili)"), max_length=200, default=DEFAULT.name.sw)
    name_en = models.CharField(_("name (English)"), max_length=200, default=DEFAULT.name.en)
    jurisdiction = models.CharField(
        _("government heading"),
        max_length=20,
        choices=Jurisdiction.choices,
        default=Jurisdiction.MAINLAND,
        help_text=_("The heading printed over every document and Word file."),
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        default=DEFAULT.reference_prefix,
        validators=[RegexValidator(r"^[A-Z]{2,10}$", _("Two to ten capital letters, e.g. EGA."))],
        help_text=_("Starts every new reference: EGA/CN/2026/0001. Existing ones keep theirs."),
    )
    seal_name = models.CharField(
        _("name on the seal"),
        max_length=200,
        blank=True,
        help_text=_("What a PDF reader shows as the signer. Empty: the name in both languages."),
    )
    # A PNG we re-encoded ourselves (admin checks and converts the upload); small, so it lives
    # in the row and every host has it.
    emblem_png = models.BinaryField(_("emblem (PNG)"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency identity")
        verbose_name_plural = _("agency identity")

    def __str__(self) -> str:
        return self.name_sw

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row: the agency there is
        super().save(*args, **kwargs)

    def as_agency(self) -> Agency:
        return Agency(
            name=T(self.name_sw, self.name_en),
            heading=HEADINGS[self.jurisdiction],
            reference_prefix=self.reference_prefix,
            seal_name=self.seal_name,
            emblem_png=bytes(self.emblem_png) if self.emblem_png else None,
        )


# This process's copy: (the version it was read at, when, the value). The shared cache holds
# only the version, which a save changes, so every process re-reads the row at its next use.
_memo: tuple[str | None, float, Agency] | None = None


def current_agency() -> Agency:
    """The agency as configured now (the mainland authority until an administrator sets it).

    No query while this process's copy is current (the version in the cache unchanged and the
    copy younger than ``CACHE_SECONDS``): pages and e-mails read it freely."""
    global _memo
    version = cache.get(VERSION_KEY)
    now = time.monotonic()
    if _memo is not None and _memo[0] == version and now - _memo[1] < CACHE_SECONDS:
        return _memo[2]
    row = AgencyIdentity.objects.filter(pk=1).first()
    agency = row.as_agency() if row else DEFAULT
    _memo = (version, now, agency)
    return agency


@receiver(post_save, sender=AgencyIdentity)
@receiver(post_delete, sender=AgencyIdentity)
def _forget(**kwargs) -> None:
    global _memo
    _memo = None
    _bump()
    # Again once it is committed: a process that read the old row in between reads it anew.
    transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)

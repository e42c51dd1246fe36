"""An institution's own mail domains: the addresses its mailbox requests may ask for."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A host name of letters, digits and hyphens, with a dot and a top-level name: moh.go.tz.
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SEPARATORS = re.compile(r"[\s,;]+")


def parse_mail_domains(value: str) -> tuple[str, ...]:
    """``"moh.go.tz, @afya.go.tz"`` -> ``("moh.go.tz", "afya.go.tz")``: lower case, no ``@``,
    each once, in the order given."""
    names = (name.strip().lstrip("@").lower() for name in _SEPARATORS.split(value or ""))
    return tuple(dict.fromkeys(name for name in names if name))


def validate_mail_domains(value: str) -> None:
    wrong = [name for name in parse_mail_domains(value) if not _DOMAIN.match(name)]
    if wrong:
        raise ValidationError(
            _("Not a mail domain: %(names)s. Write domains like moh.go.tz, separated by commas.")
            % {"names": ", ".join(wrong)},
            code="invalid_mail_domain",
        )

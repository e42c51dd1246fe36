"""Projects registered as existing systems: approved before Idhini, by a letter the officer names.

``{"existing_system": {"approval_reference", "approval_date"}}`` at a project's creation. The
limits are the model's (workflow.models.Project), so the API and the database agree.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.exceptions import Invalid
from workflow.models import Project

FIELD = "existing_system"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class EarlierApproval:
    reference: str
    date: datetime.date


def reference_max_length() -> int:
    return Project._meta.get_field("existing_approval_reference").max_length


def _refuse(errors: dict[str, Any]) -> Invalid:
    return Invalid(_("Invalid existing system."), errors={FIELD: errors})


def _reference(value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse({"approval_reference": [_("The reference must be text.")]})
    value = value.strip()
    if not value:
        raise _refuse(
            {"approval_reference": [_("Give the reference of the earlier approval's letter.")]}
        )
    limit = reference_max_length()
    if len(value) > limit:
        raise _refuse(
            {
                "approval_reference": [
                    _("The reference is too long: at most %(limit)d characters.") % {"limit": limit}
                ]
            }
        )
    return value


def _date(value: Any) -> datetime.date:
    message = _("The date of the earlier approval, written YYYY-MM-DD (e.g. 2021-07-15).")
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise _refuse({"approval_date": [message]})
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise _refuse({"approval_date": [_("%(date)s is not a date.") % {"date": value}]}) from None
    if day > timezone.localdate():
        raise _refuse({"approval_date": [_("The earlier approval cannot be dated in the future.")]})
    return day


def clean_existing_system(value: Any) -> EarlierApproval | None:
    """The earlier approval named by ``value`` (None: a new project); 400 naming the field."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Invalid(
            _("Invalid existing system."),
            errors={FIELD: [_('Give an object: {"approval_reference": …, "approval_date": …}.')]},
        )
    allowed = {"approval_reference", "approval_date"}
    errors: dict[str, list[str]] = {
        key: [_("Unknown field. Allowed: %(allowed)s.") % {"allowed": ", ".join(sorted(allowed))}]
        for key in sorted(set(value) - allowed, key=str)
    }
    for key in sorted(allowed - set(value)):
        errors[key] = [_("This field is required.")]
    if errors:
        raise _refuse(errors)
    return EarlierApproval(
        reference=_reference(value["approval_reference"]), date=_date(value["approval_date"])
    )


def existing_system_representation(project: Project) -> dict[str, str] | None:
    if not project.is_existing_system:
        return None
    return {
        "approval_reference": project.existing_approval_reference,
        "approval_date": project.existing_approval_date.isoformat()
        if project.existing_approval_date
        else None,
    }

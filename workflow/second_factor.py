"""The second factor for those who sign and decide: a TOTP app (django-otp's ``TOTPDevice``)
and ten recovery codes (``workflow.recovery_codes``: a django-otp device keeping only keyed
digests of the codes), each usable once.

Who is asked: anyone with a confirmed authenticator; and, when ``IDHINI_REQUIRE_2FA`` is on,
every holder of a role that signs for the institution (the roles the document types' signing
chains name: system owner, head of ICT, head of procurement, head of human resources,
accounting officer), every agency reviewer and mail administrator, who cannot sign or decide
until enrolled. The servant and supervisor a mailbox request names sign as themselves, not by
role, and are asked only once they enrol. Where: at sign-in (after the password), at the token
exchange, and with the password at signing and at approving (:func:`require_code`). A wrong
code counts for the lockout like a wrong password (django-axes), so guessing codes is stopped
the same way.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from forms_templates.registry import all_types
from forms_templates.signatories import by_role
from workflow.exceptions import Forbidden, Invalid
from workflow.models import Membership, Role
from workflow.recovery_codes import RecoveryCode, RecoveryCodes, digests_of, new_code
from workflow.roles import forget_authenticator, remembered_authenticator, user_context
from workflow.signin import LockedOut, _django_request, lockout_message

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RECOVERY_CODES = 10
DEVICE_NAME = "idhini"
# The agency's own deciders; the institutions' signing roles are read from the types.
_AGENCY_ROLES = {Role.REVIEWER, Role.MAIL_ADMIN}


def deciding_roles() -> set[str]:
    """The roles 2FA is required of: each role a type's signing chain names (not the author,
    and not the people a form names), and the agency's reviewers and mail administrators."""
    signing = {
        signatory.role
        for definition in all_types().values()
        for signatory in definition.all_signatories()  # earlier forms' chains too
        if by_role(signatory)
    }
    return (signing & set(Role.values)) | _AGENCY_ROLES


class EnrolmentRequired(Forbidden):
    """2FA is required for this person and they have no authenticator yet (403)."""

    default_code = "otp_enrolment_required"


def is_required_for(user: User) -> bool:
    """``IDHINI_REQUIRE_2FA`` is on and the person signs or decides."""
    if not settings.REQUIRE_2FA or user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, role__in=deciding_roles()).exists()


def has_authenticator(user: User) -> bool:
    # Read with the person's roles, in the statement that reads them (workflow.roles): the
    # token's, or user_context's, which the request needs anyway.
    remembered = remembered_authenticator(user)
    if remembered is None and user is not None and user.is_authenticated:
        user_context(user)
        remembered = remembered_authenticator(user)
    if remembered is not None:
        return remembered
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def code_needed(user: User) -> bool:
    """Whether a code is asked of this person (at sign-in, signing, approving)."""
    return has_authenticator(user) or is_required_for(user)


def _clean(code: Any) -> str:
    return "".join(str(code).split()).replace("-", "").lower() if isinstance(code, str) else ""


def code_matches(user: User, code: Any) -> bool:
    """The code from the authenticator, or an unused recovery code (which is then spent).
    django-otp verifies under its device row's lock, so a code is accepted once."""
    cleaned = _clean(code)
    if not cleaned:
        return False
    # Six digits: the app's code; anything else: a recovery code (ten letters and digits).
    model = TOTPDevice if cleaned.isdigit() and len(cleaned) == 6 else RecoveryCodes
    devices = model.objects.filter(user_id=user.pk, confirmed=True)
    return any(verify_token(user, device.persistent_id, cleaned) for device in devices)


def check_code(*, request: Any, user: User, code: Any) -> None:
    """Verify ``code`` for ``user``: 400 ``{"otp": [...]}`` when missing or wrong (counted by
    the lockout), 429 when locked out. Callers run it before any row lock."""
    from axes.handlers.proxy import AxesProxyHandler

    django_request = _django_request(request)
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(django_request, credentials):
        raise LockedOut(lockout_message())
    if not _clean(code):
        raise Invalid(
            _("The code from your authenticator app is needed."),
            code="otp_required",
            errors={"otp": [_("Enter the 6-digit code from your authenticator app.")]},
        )
    if code_matches(user, code):
        return
    user_login_failed.send(sender=__name__, credentials=credentials, request=django_request)
    if getattr(django_request, "axes_locked_out", False):
        raise LockedOut(lockout_message())
    raise Invalid(
        _("Wrong code."),
        code="wrong_otp",
        errors={"otp": [_("The code is not correct, or it was already used. Try the next one.")]},
    )


def require_code(
    *, request: Any, user, otp: Any, preflight: Callable[[], None] | None = None
) -> None:
    """The hook of the transitions that sign or decide (``sign``, ``approve``): nothing when
    no code is asked of this person; 403 when one is required and they have not enrolled;
    otherwise :func:`check_code`. ``preflight`` (the transition's lock-free refusals) runs
    first when a code is asked, so someone else's document is a 403, not a code prompt."""
    enrolled = has_authenticator(user)
    if not enrolled and not is_required_for(user):
        return
    if preflight is not None:
        preflight()
    if enrolled:
        check_code(request=request, user=user, code=otp)
    else:
        raise EnrolmentRequired(
            _(
                "A second factor is required for you: set up your authenticator app first "
                "(your account page, “Two-step verification”)."
            )
        )


# --- Enrolment ------------------------------------------------------------------------------


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up (unconfirmed until a code from it is typed back)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The secret as the apps want it typed: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def enrol_confirm(*, user: User, code: Any) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes
    (shown once), or None when the code is wrong. Earlier devices are replaced."""
    device = pending_device(user)
    if not _clean(code) or not device.verify_token(_clean(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        forget_authenticator(user)
        return recovery_codes_renew(user=user)


def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new recovery codes, returned once to be shown and kept only as digests; the old
    ones stop working."""
    with transaction.atomic():
        RecoveryCodes.objects.filter(user_id=user.pk).delete()
        device = RecoveryCodes.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        codes = [new_code() for _ in range(RECOVERY_CODES)]
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=digests_of(_clean(code))[0]) for code in codes
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user_id=user.pk).count()


def second_factor_remove(*, user: User) -> None:
    """Remove the person's authenticator and recovery codes (they enrol again to sign)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        RecoveryCodes.objects.filter(user_id=user.pk).delete()
        forget_authenticator(user)

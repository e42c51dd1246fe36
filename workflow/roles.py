"""Who a person is to Idhini: their institution and roles, and whether they have a confirmed
authenticator (workflow.second_factor), read once per request in one statement: with the
token by workflow.tokens, else here from the user's row.

Nothing is kept across requests: a role changed in the admin counts from the next request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.sql import Reusable, column_names
from workflow.models import Institution, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_CACHE_ATTR = "_idhini_context"
_AUTHENTICATOR_ATTR = "_idhini_has_authenticator"
_INSTITUTION_FIELDS = column_names(Institution)
_INSTITUTION_PK = _INSTITUTION_FIELDS.index(Institution._meta.pk.attname)


@dataclass(frozen=True)
class UserContext:
    user_id: int | None
    institution: Institution | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def institution_id(self) -> int | None:
        return self.institution.pk if self.institution else None

    @property
    def is_agency(self) -> bool:
        return bool(self.institution and self.institution.is_agency)

    @property
    def is_reviewer(self) -> bool:
        return self.is_agency and Role.REVIEWER in self.roles

    @property
    def is_mail_admin(self) -> bool:
        """Creates approved mailboxes in the Government Mailing System (approvals.provisioning)."""
        return self.is_agency and Role.MAIL_ADMIN in self.roles

    @property
    def is_institution_staff(self) -> bool:
        return self.institution is not None and not self.institution.is_agency

    @property
    def is_officer(self) -> bool:
        return self.is_institution_staff and Role.OFFICER in self.roles


def user_context(user: User) -> UserContext:
    """The caller's institution and roles (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return UserContext(user_id=None)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    return _FROM_USER.remember(user, _BY_USER.rows(user.pk), start=0)


class ContextColumns:
    """What :func:`user_context` and :func:`remembered_authenticator` need, as columns of a
    statement that reads something else too (the token, the user): ``to_user`` is the path
    from the statement's model to the user ("" from the user, "user__" from a token). The rows
    come one per membership, oldest first (no membership: one row of nulls), each ending in
    these columns."""

    def __init__(self, *, to_user: str):
        via = f"{to_user}memberships__"
        self.order_by = f"{via}id"
        self.names = [
            f"{via}role",
            *(f"{via}institution__{name}" for name in _INSTITUTION_FIELDS),
            "idhini_authenticator",
        ]
        confirmed = TOTPDevice.objects.filter(
            user_id=OuterRef(f"{to_user}pk" if to_user else "pk"), confirmed=True
        )
        self.annotations = {"idhini_authenticator": Exists(confirmed)}

    def values(self, queryset, *before: str):
        """``queryset`` (one person's) as rows of the columns ``before``, then these."""
        queryset = queryset.annotate(**self.annotations).order_by(self.order_by)
        return queryset.values_list(*before, *self.names)

    def remember(self, user: User, rows: list, *, start: int) -> UserContext:
        """The context from ``rows`` (these columns from ``start``), kept on ``user`` for the
        request with whether they have an authenticator."""
        memberships = []
        for row in rows:
            role, *institution = row[start : start + 1 + len(_INSTITUTION_FIELDS)]
            if role is not None:
                memberships.append((role, institution))
        institution = None
        if memberships:
            institution = Institution.from_db(
                DEFAULT_DB_ALIAS, _INSTITUTION_FIELDS, memberships[0][1]
            )
        roles = frozenset(
            role
            for role, values in memberships
            if values[_INSTITUTION_PK] == getattr(institution, "pk", None)
        )
        context = UserContext(user_id=user.pk, institution=institution, roles=roles)
        setattr(user, _CACHE_ATTR, context)
        setattr(user, _AUTHENTICATOR_ATTR, bool(rows[0][-1]) if rows else None)
        return context


_FROM_USER = ContextColumns(to_user="")
# No user has this id (the placeholder of the compiled statement, config.sql.Reusable), and
# it is in every database's integer range (out of range, Django would compile no statement).
_BY_USER = Reusable(
    lambda pk: _FROM_USER.values(get_user_model().objects.filter(pk=pk)), placeholder=-(2**31) + 1
)


def remembered_authenticator(user: User) -> bool | None:
    """Whether ``user`` has a confirmed authenticator, as read with their context in this
    request; None when not read (workflow.second_factor then asks the database)."""
    return getattr(user, _AUTHENTICATOR_ATTR, None)


def forget_authenticator(user: User) -> None:
    """After enrolling or removing the second factor: read it again when next asked."""
    if getattr(user, _AUTHENTICATOR_ATTR, None) is not None:
        delattr(user, _AUTHENTICATOR_ATTR)  # request.user is a lazy object: no __dict__ of its own

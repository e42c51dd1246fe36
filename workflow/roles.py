"""Who a person is to Idhini: their institution and roles, read once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workflow.models import Institution, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_CACHE_ATTR = "_idhini_context"


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
    memberships = list(
        Membership.objects.filter(user_id=user.pk).select_related("institution").order_by("id")
    )
    institution = memberships[0].institution if memberships else None
    roles = frozenset(
        m.role for m in memberships if m.institution_id == getattr(institution, "pk", None)
    )
    context = UserContext(user_id=user.pk, institution=institution, roles=roles)
    setattr(user, _CACHE_ATTR, context)
    return context

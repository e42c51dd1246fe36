"""Acting signatories ("kaimu"): a signatory who will be away names an acting officer of the
same institution for a range of dates, and the acting officer signs in their place.

Who may sign a pending signature is decided here, in ``signer_for``: the signatory themself, or
their acting officer on a day of a delegation that was not withdrawn. The sign service asks it
(under the row lock, and once before it without) and records both people.

No chains: an acting officer does not pass the delegation on. Naming someone who has named
their own acting officer on overlapping dates (A → B while B → C), or naming one's own acting
officer while acting for someone (B → C while A → B), is a 400 naming who and when; and
``signer_for`` resolves one level only (C never signs A's signature, whatever the rows say).

A withdrawal is written on the row (who, when) and, as a ``delegation-withdrawn`` audit event,
on each document then waiting for the signatory's signature: their history shows from when the
acting officer could no longer sign it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from approvals.models import Delegation, Signature, SignatureStatus
from workflow.audit import audit_record
from workflow.exceptions import Conflict, Forbidden, Invalid, NotFound
from workflow.models import Document, Membership, Role, Status
from workflow.roles import user_context

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# The roles that sign by holding them (issue 15's chains): each may name an acting officer.
SIGNATORY_ROLES = (
    Role.SYSTEM_OWNER,
    Role.HEAD_OF_ICT,
    Role.HEAD_OF_PROCUREMENT,
    Role.HEAD_OF_HR,
    Role.ACCOUNTING_OFFICER,
)
MANAGE_PERMISSION = "approvals.manage_delegations"


@dataclass(frozen=True)
class SignerPlace:
    """``by`` may sign: as the signatory (``delegation`` None) or as their acting officer."""

    delegation: Delegation | None

    @property
    def acting(self) -> bool:
        return self.delegation is not None

    def admit(self, document: Document, *, by: User) -> None:
        """Before the permission check: the lifecycle's sign permission reads
        ``acting_signer_id`` to admit the acting officer."""
        if self.delegation is not None:
            document.acting_signer_id = by.pk

    def record(self, signature: Signature, *, by: User) -> dict[str, Any]:
        """Mark who signed on ``signature``; the audit payload's extra keys."""
        if self.delegation is None:
            return {}
        signature.signed_by, signature.delegation = by, self.delegation
        return {"acting_for": self.delegation.principal.username, "delegation": self.delegation.pk}


def _in_window(on: datetime.date) -> Q:
    return Q(withdrawn_at__isnull=True, starts_on__lte=on, ends_on__gte=on)


def signer_for(
    *, signature: Signature | None, by: User, at: datetime.datetime
) -> SignerPlace | None:
    """Whether ``by`` may sign ``signature`` (a pending one) at ``at``; None: they may not."""
    if signature is None or signature.status != SignatureStatus.PENDING:
        return None
    if signature.signer_id == by.pk:
        return SignerPlace(delegation=None)
    delegation = (
        Delegation.objects.filter(_in_window(timezone.localdate(at)))
        .filter(principal_id=signature.signer_id, acting_id=by.pk)
        .select_related("principal")
        .first()
    )
    return SignerPlace(delegation=delegation) if delegation else None


def with_acting(documents: QuerySet[Document], user: User) -> QuerySet[Document]:
    """Annotate ``acting_signer_id`` (the caller's id where they act for the next signer today):
    the lifecycle's sign permission reads it, so ``allowed_actions`` costs no extra query."""
    if not user.is_authenticated:
        return documents
    return with_acting_for(documents, user.pk, timezone.localdate())


def with_acting_for(
    documents: QuerySet[Document], user_id: int, today: datetime.date
) -> QuerySet[Document]:
    """:func:`with_acting` for the person ``user_id`` on ``today`` (the detail's statement,
    compiled once with both as its parameters: approvals.detail_rows)."""
    held = Delegation.objects.filter(
        _in_window(today), acting_id=user_id, principal_id=OuterRef("next_signer_id")
    )
    return documents.annotate(
        acting_signer_id=Case(
            When(Exists(held), then=Value(user_id)), default=None, output_field=IntegerField()
        )
    )


def principals_acted_for(user: User) -> QuerySet:
    """Ids of the people ``user`` signs for today."""
    return Delegation.objects.filter(_in_window(timezone.localdate()), acting_id=user.pk).values(
        "principal_id"
    )


def delegation_status(delegation: Delegation) -> str:
    """upcoming, active, over, or withdrawn (ended early)."""
    today = timezone.localdate()
    if delegation.withdrawn_at is not None:
        return "withdrawn"
    if delegation.ends_on < today:
        return "over"
    return "active" if delegation.starts_on <= today else "upcoming"


# --- who may manage whose delegations ------------------------------------------------------


def _is_signatory(user: User, institution_id: int) -> bool:
    return Membership.objects.filter(
        user_id=user.pk, institution_id=institution_id, role__in=SIGNATORY_ROLES
    ).exists()


def can_manage(by: User, principal) -> bool:
    """The signatory themself, or a member of their institution with the administrator's
    permission (``approvals.manage_delegations``)."""
    context = user_context(by)
    if not context.is_institution_staff:
        return False
    if principal.pk == by.pk:
        return True
    return by.has_perm(MANAGE_PERMISSION) and user_context(principal).institution_id == (
        context.institution_id
    )


def delegations_for(user: User) -> QuerySet[Delegation]:
    """What ``user`` gave, holds, or (as the institution's administrator) manages."""
    mine = Q(principal_id=user.pk) | Q(acting_id=user.pk)
    context = user_context(user)
    if context.is_institution_staff and user.has_perm(MANAGE_PERMISSION):
        mine |= Q(institution_id=context.institution_id)
    return (
        Delegation.objects.filter(mine)
        .select_related("principal", "acting", "withdrawn_by")
        .order_by("-starts_on", "-pk")
    )


# --- services --------------------------------------------------------------------------------


def _date(value: Any, field: str) -> datetime.date:
    parsed = None
    if isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise Invalid(
            _("Invalid date."),
            errors={field: [_("Give a date as YYYY-MM-DD, e.g. 2027-01-15.")]},
        )
    return parsed


def _person(value: Any, field: str, institution_id: int | None):
    User = get_user_model()
    user = None
    if isinstance(value, str) and value.strip():
        user = User.objects.filter(username=value.strip(), is_active=True).first()
    if user is None or user_context(user).institution_id != institution_id:
        raise Invalid(
            _("Invalid person."),
            errors={field: [_("Name a person of the same institution (their username).")]},
        )
    return user


def _clean_window(starts: Any, ends: Any) -> tuple[datetime.date, datetime.date]:
    starts_on, ends_on = _date(starts, "starts_on"), _date(ends, "ends_on")
    if ends_on < starts_on:
        raise Invalid(
            _("The last day is before the first day."),
            errors={"ends_on": [_("The last day cannot be before the first day.")]},
        )
    if starts_on < timezone.localdate():
        raise Invalid(
            _("The delegation starts in the past."),
            errors={"starts_on": [_("The first day cannot be in the past.")]},
        )
    return starts_on, ends_on


def delegation_create(
    *, by: User, acting: Any, starts_on: Any, ends_on: Any, principal: Any = None
):
    """``principal`` (a username) defaults to the caller. Refusals are 400s naming the field."""
    context = user_context(by)
    principal_user = (
        by if principal in (None, "") else _person(principal, "principal", context.institution_id)
    )
    if not can_manage(by, principal_user):
        raise Forbidden(_("You may not name an acting officer for this person."))
    institution_id = user_context(principal_user).institution_id
    if not _is_signatory(principal_user, institution_id):
        raise Invalid(
            _("Only a signatory names an acting officer."),
            errors={"principal": [_("This person is not a signatory of the institution.")]},
        )
    acting_user = _person(acting, "acting", institution_id)
    if acting_user.pk == principal_user.pk:
        raise Invalid(
            _("A signatory cannot act for themself."),
            errors={"acting": [_("Name someone else: you cannot be your own acting officer.")]},
        )
    first, last = _clean_window(starts_on, ends_on)
    with transaction.atomic():
        # Two requests for the same signatory (or making a chain) at once: the locks on both
        # people's rows, in one order, make one wait, so it sees the other's delegation.
        pks = sorted({principal_user.pk, acting_user.pk})
        list(get_user_model().objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        overlapping = Q(withdrawn_at__isnull=True, starts_on__lte=last, ends_on__gte=first)
        _refuse_chain(principal_user, acting_user, overlapping)
        clash = Delegation.objects.filter(overlapping, principal_id=principal_user.pk).first()
        if clash is not None:
            raise Invalid(
                _("The dates overlap another delegation."),
                errors={
                    "starts_on": [
                        _("These dates overlap the delegation from %(start)s to %(end)s.")
                        % {"start": clash.starts_on.isoformat(), "end": clash.ends_on.isoformat()}
                    ]
                },
            )
        return Delegation.objects.create(
            institution_id=institution_id,
            principal=principal_user,
            acting=acting_user,
            starts_on=first,
            ends_on=last,
            created_by=by,
        )


def _refuse_chain(principal_user, acting_user, overlapping: Q) -> None:
    """400 when the delegation would make a chain on some of its days (see the module)."""
    away = (
        Delegation.objects.filter(overlapping, principal_id=acting_user.pk)
        .select_related("acting")
        .first()
    )
    if away is not None:
        raise Invalid(
            _("The acting officer is away on some of these days."),
            errors={
                "acting": [
                    _(
                        "%(person)s has named their own acting officer (%(other)s) from "
                        "%(start)s to %(end)s: an acting officer cannot pass it on. Name "
                        "someone else, or change the dates."
                    )
                    % _names(acting_user, away.acting, away)
                ]
            },
        )
    acts = (
        Delegation.objects.filter(overlapping, acting_id=principal_user.pk)
        .select_related("principal")
        .first()
    )
    if acts is not None:
        raise Invalid(
            _("The signatory is acting for someone else on some of these days."),
            errors={
                "starts_on": [
                    _(
                        "%(person)s is acting for %(other)s from %(start)s to %(end)s, and an "
                        "acting officer cannot pass it on: that delegation must be withdrawn "
                        "first, or choose other dates."
                    )
                    % _names(principal_user, acts.principal, acts)
                ]
            },
        )


def _names(person, other, delegation: Delegation) -> dict[str, str]:
    return {
        "person": person.get_full_name() or person.username,
        "other": other.get_full_name() or other.username,
        "start": delegation.starts_on.isoformat(),
        "end": delegation.ends_on.isoformat(),
    }


def _audit_withdrawal(delegation: Delegation, by: User) -> None:
    """The ``delegation-withdrawn`` event on each document waiting for the signatory's
    signature now (rows locked in one order; the caller's transaction)."""
    waiting = Signature.objects.filter(
        signer_id=delegation.principal_id, active=True, status=SignatureStatus.PENDING
    ).values("document_id")
    documents = (
        Document.objects.select_for_update()
        .filter(pk__in=waiting, status=Status.AWAITING_SIGNATURES)
        .order_by("pk")
    )
    payload = {
        "delegation": delegation.pk,
        "acting_for": delegation.principal.username,
        "acting": delegation.acting.username,
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
    }
    for document in documents:
        audit_record(
            document=document,
            action="delegation-withdrawn",
            actor=by,
            from_status=document.status,
            to_status=document.status,
            payload=payload,
        )
        document.save(update_fields=["audit_seq", "audit_head"])


def delegation_withdraw(*, delegation_id: Any, by: User) -> Delegation:
    """End a delegation now (or before it starts). Recorded on the row (who and when) and on
    each document waiting for the signatory's signature (an audit event)."""
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("principal", "acting")
            .filter(pk=delegation_id if str(delegation_id).isdigit() else None)
            .first()
        )
        if delegation is None or not (
            can_manage(by, delegation.principal) or delegation.acting_id == by.pk
        ):
            raise NotFound(_("No such delegation."))
        if delegation.withdrawn_at is not None:
            raise Conflict(_("This delegation was already withdrawn."), code="withdrawn")
        if delegation.ends_on < timezone.localdate():
            raise Conflict(_("This delegation is already over."), code="over")
        delegation.withdrawn_at = timezone.now()
        delegation.withdrawn_by = by
        delegation.save(update_fields=["withdrawn_at", "withdrawn_by"])
        _audit_withdrawal(delegation, by)
    return delegation

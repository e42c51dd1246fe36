"""Kaimu (acting signatory) on the person's own page (the notifications page): the delegations
they gave or hold, a form to name an acting officer for a range of dates, and withdraw. Plain
forms (no JavaScript needed) calling the same services as the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.delegation import (
    SIGNATORY_ROLES,
    delegation_create,
    delegation_status,
    delegation_withdraw,
    delegations_for,
)
from portal.views.common import errors_onto, refused
from workflow.exceptions import WorkflowError
from workflow.models import Membership
from workflow.roles import user_context

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _colleagues(user: User) -> list[tuple[str, str]]:
    institution_id = user_context(user).institution_id
    people = (
        get_user_model()
        .objects.filter(memberships__institution_id=institution_id, is_active=True)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [("", _("Choose a person"))] + [
        (person.username, person.get_full_name() or person.username) for person in people
    ]


class DelegationForm(forms.Form):
    acting = forms.CharField(
        label=gettext_lazy("Acting officer"),
        required=False,
        widget=forms.Select(attrs={"aria-describedby": "id_acting-hint"}),
    )
    starts_on = forms.CharField(
        label=gettext_lazy("First day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.CharField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "id_ends_on-hint"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["acting"].widget.choices = _colleagues(user)


STATUS_LABELS = {
    "upcoming": gettext_lazy("Upcoming"),
    "active": gettext_lazy("In force"),
    "over": gettext_lazy("Over"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def is_signatory(user: User) -> bool:
    return Membership.objects.filter(user_id=user.pk, role__in=SIGNATORY_ROLES).exists()


def delegation_context(request: HttpRequest, form: DelegationForm | None = None) -> dict:
    """The Kaimu section of the person's page (empty for someone who neither signs nor acts)."""
    user = request.user
    delegations = list(delegations_for(user))
    signatory = is_signatory(user)
    if not (signatory or delegations):
        return {}
    links = []
    if form is not None and form.errors:
        links = [
            {"href": f"#id_{name}", "text": str(error)}
            for name, errors in form.errors.items()
            for error in errors
        ]
    rows = [
        {
            "row": row,
            "status": delegation_status(row),
            "status_label": STATUS_LABELS[delegation_status(row)],
            "mine": row.principal_id == user.pk,
        }
        for row in delegations
    ]
    return {
        "delegations": rows,
        "delegation_form": (form or DelegationForm(user=user)) if signatory else None,
        "error_links": links,
    }


@login_required
@require_POST
def delegation_new(request: HttpRequest) -> HttpResponse:
    from portal.views.notifications import render_page

    form = DelegationForm(request.POST, user=request.user)
    form.is_valid()
    try:
        delegation = delegation_create(by=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        status = refused(request, exc)
        errors_onto(form, exc)
        return render_page(request, delegation_form=form, status=status)
    messages.success(
        request,
        _("%(person)s will sign in your place from %(start)s to %(end)s.")
        % {
            "person": delegation.acting.get_full_name() or delegation.acting.username,
            "start": delegation.starts_on.isoformat(),
            "end": delegation.ends_on.isoformat(),
        },
    )
    return redirect("web:notifications")


@login_required
@require_POST
def delegation_end(request: HttpRequest, pk: int) -> HttpResponse:
    from portal.views.notifications import render_page

    try:
        delegation_withdraw(delegation_id=pk, by=request.user)
    except WorkflowError as exc:
        return render_page(request, status=refused(request, exc))
    messages.success(request, _("The delegation was withdrawn."))
    return redirect("web:notifications")

"""The notifications page: what a person was told, in the language they read the pages in, and
the language of the e-mails they are sent.

The words come from ``notifications.messages.compose``, as in the e-mails and the API: one copy
of every text. Marking read is a POST (a button per notification, one for all); with htmx the
button swaps its notification, or the list, in place and the header's count with it.

Opening the document from an unread notification is a POST too ("open": mark it read, then go to
the document page), not a side effect of viewing the document page. GETs stay safe: mail
scanners, link prefetchers and a reload change nothing, and the document page, the busiest
page of all, stays a read that knows nothing of notifications. A notification already read
links to the document with a plain link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from notifications import people, selectors, services
from notifications.messages import Message, compose
from notifications.models import Language, Notification
from portal.htmx import answers_htmx, wants_part
from portal.views.common import PAGE_SIZE, errors_onto, refused
from portal.views.delegation import DelegationForm, delegation_context
from workflow.exceptions import NotFound, WorkflowError

# Each language by its own name, as the language switch in the header shows them.
EMAIL_LANGUAGES = [(Language.SWAHILI.value, "Kiswahili"), (Language.ENGLISH.value, "English")]


class EmailLanguageForm(forms.Form):
    # Any text is accepted here: preference_set decides what a language is.
    language = forms.CharField(
        label=gettext_lazy("Language of your e-mails"),
        required=False,
        widget=forms.RadioSelect(choices=EMAIL_LANGUAGES),
    )


@dataclass(frozen=True)
class Item:
    note: Notification
    message: Message

    @property
    def unread(self) -> bool:
        return self.note.read_at is None


def _item(note: Notification) -> Item:
    # compose reads the payload and the type definitions only: no query per notification.
    return Item(note, compose(note.kind, note.payload, note.document_id))


def _page_number(request: HttpRequest) -> int:
    """The list page a form was posted from (to go back to it); 1 for anything else."""
    try:
        number = int(request.POST.get("page", ""))
    except ValueError:
        return 1
    return number if 0 < number < 100_000 else 1


def _list_url(page_number: int) -> str:
    url = reverse("web:notifications")
    return f"{url}?page={page_number}" if page_number > 1 else url


def _mark_read(request: HttpRequest, pk: int) -> Notification:
    try:
        return services.notification_mark_read(notification_id=pk, by=request.user)
    except NotFound as exc:  # someone else's, or none: the same answer, and nothing changes
        raise Http404(exc.message) from None


def _results_context(request: HttpRequest, page_number: int | str | None) -> dict[str, Any]:
    """A page of the person's notifications: the one asked for (a GET), or the one a form was
    posted from."""
    notes = selectors.notifications_for(request.user)
    page = Paginator(notes, PAGE_SIZE).get_page(
        request.GET.get("page") if page_number is None else page_number
    )
    return {"page": page, "items": [_item(note) for note in page.object_list]}


def render_page(
    request: HttpRequest,
    *,
    form: EmailLanguageForm | None = None,
    delegation_form: DelegationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _results_context(request, None)
    if wants_part(request):
        context["htmx_part"] = True
        return render(request, "portal/_notification_results.html", context, status=status)
    context["language_form"] = form or EmailLanguageForm(
        initial={"language": people.language_of(request.user)}
    )
    context.update(delegation_context(request, delegation_form))
    return render(request, "portal/notifications.html", context, status=status)


@answers_htmx
@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    return render_page(request)


@answers_htmx
@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = _mark_read(request, pk)
    page_number = _page_number(request)
    if wants_part(request):
        context = {"item": _item(note), "page_number": page_number, "item_alone": True}
        return render(request, "portal/_notification_item.html", context)
    return redirect(_list_url(page_number))


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    note = _mark_read(request, pk)
    return redirect("web:document", pk=note.document_id)


@answers_htmx
@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.notification_mark_all_read(by=request.user)
    page_number = _page_number(request)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            marked,
        )
        % {"count": marked},
    )
    if wants_part(request):
        context = _results_context(request, page_number)
        context.update(htmx_part=True, swap_header=True)
        return render(request, "portal/_notification_results.html", context)
    return redirect(_list_url(page_number))


@login_required
@require_POST
def notification_language(request: HttpRequest) -> HttpResponse:
    form = EmailLanguageForm(request.POST)
    form.is_valid()  # one optional text: the service says what is wrong
    try:
        preference = services.preference_set(
            # A value the field itself refused (a NUL, say) is missing: the service says why.
            user=request.user,
            language=form.cleaned_data.get("language", ""),
        )
    except WorkflowError as exc:
        status = refused(request, exc)
        errors_onto(form, exc)
        return render_page(request, form=form, status=status)
    messages.success(
        request,
        _("Your e-mails will be in %(language)s.")
        % {"language": preference.get_language_display()},
    )
    return redirect("web:notifications")

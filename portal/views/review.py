"""The document page as the agency's staff see it: built for deciding.

The document on the left (on top, on a phone), the decision panel beside it and sticky: where
the document stands, the seal of an approved one, the comments typed beside the answers
collected, and the three decisions — one form, so nothing typed is lost whichever button is
pressed (portal.views.review_decide). portal.views.documents renders this page for agency staff.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from approvals.checklist_selectors import checklist_prefill
from approvals.deadlines import is_overdue
from approvals.models import Decision, Review
from approvals.seal_state import seal_state
from forms_templates.answers import answers, comment_label
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal.changes import changes_since, history
from portal.checklist import checklist_panel
from portal.review_forms import DECISIONS, FIELD_COMMENT_PREFIX, DecisionForm
from portal.similar import review_similar
from portal.views.annexes import annex_context
from portal.views.common import document_or_404
from workflow.humanize import duration
from workflow.lifecycle import allowed_actions
from workflow.models import Document, Status

TEMPLATE = "portal/review.html"


def _earlier_request(reviews: list[Review], document: Document) -> Review | None:
    """The last return for changes of an earlier version: its comments, beside the answers."""
    for review in reversed(reviews):
        if review.decision == Decision.CHANGES_REQUESTED:
            return review if review.version < document.version else None
    return None


def _facts(document: Document) -> dict[str, Any]:
    now = timezone.now()
    submitted = document.last_submitted_at
    return {
        "age": duration((now - submitted).total_seconds()) if submitted else "",
        "overdue": is_overdue(document, now),
        "resubmitted": bool(document.submitted_at and submitted != document.submitted_at),
        "reserved": document.status == Status.SUBMITTED and document.assignee_id is not None,
    }


def _prefill(document: Document) -> dict[str, str] | None:
    """A return for changes starts from the checklist's "not met" notes: their list in the
    comment, each note beside the answers it judges; the reviewer edits them before sending."""
    prefill = checklist_prefill(document=document)
    if not prefill.criteria:
        return None
    initial = {FIELD_COMMENT_PREFIX + key: text for key, text in prefill.field_comments.items()}
    return {"comment": prefill.comment, **initial}


def review_context(request: HttpRequest, document: Document, form: DecisionForm | None, panel=None):
    lang = current_lang()
    definition = get_type(document.type)
    reviews = list(document.reviews.select_related("reviewer").order_by("created_at", "pk"))
    for review in reviews:
        review.labelled_comments = [
            (comment_label(definition, key, lang), text)
            for key, text in (review.field_comments or {}).items()
        ]
    earlier = _earlier_request(reviews, document)
    actions = allowed_actions(document, request.user)
    deciding = [action for action in DECISIONS if action in actions]
    if deciding and form is None:
        form = DecisionForm(definition=definition, initial=_prefill(document))
    sections = answers(
        definition, document.data, lang, field_comments=earlier.field_comments if earlier else None
    )
    if deciding:
        for section in sections:
            for answer in section.answers:
                answer.comment_input = form[FIELD_COMMENT_PREFIX + answer.key]
    state, sealed = seal_state(document)
    role_names = {
        order: signatory.role_name.get(lang)
        for order, signatory in definition.signatories_in_order(document.form_version)
    }
    return {
        **annex_context(document, request.user, back="document", lang=lang),
        "document": document,
        "type_name": definition.name.get(lang),
        "sections": sections,
        "earlier": earlier,
        "facts": _facts(document),
        "signatures": [
            (signature, role_names.get(signature.order, signature.role))
            for signature in document.signatures.all()
            if signature.active
        ],
        "reviews": reviews,
        "events": history(document, definition),
        "other_actions": [a for a in ("claim", "release") if a in actions],
        "deciding": deciding,
        "form": form if deciding else None,
        "title_comment": form[FIELD_COMMENT_PREFIX + "title"] if deciding else None,
        "title_summary": _("Comment on the title"),
        "collected": form.collected() if deciding and form.is_bound else [],
        "seal": {"state": state, "file": sealed},
        # The decision's aids: the checklist (portal.checklist), the similar systems across
        # government (portal.similar) and what changed since the reviewer last saw it.
        "checklist": panel or checklist_panel(document, request.user, lang),
        "similar": review_similar(document, request.user, lang),
        "changes_since": changes_since(document, request.user),
    }


def render_review(
    request: HttpRequest,
    document: Document,
    *,
    form: DecisionForm | None = None,
    posted=None,
    panel=None,
    status: int = 200,
) -> HttpResponse:
    """``posted``: what an action posted elsewhere (portal.views.actions), kept in its boxes."""
    if form is None and posted is not None:
        form = DecisionForm(posted, definition=get_type(document.type))
        form.is_valid()
    context = review_context(request, document, form, panel)
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_GET
def seal_status(request: HttpRequest, pk) -> HttpResponse:
    """The seal's state alone: what the review page polls while the PDF is being prepared."""
    document = document_or_404(request.user, pk)
    state, sealed = seal_state(document)
    context = {"document": document, "seal": {"state": state, "file": sealed}}
    response = render(request, "portal/_seal_status.html", context)
    response["Cache-Control"] = "no-store"
    return response

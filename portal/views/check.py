"""*Check your answers* before sending for signature: ``/documents/<id>/check/``.

Every answer by section, each with a link to change it, and the annexes; every problem (a
required answer missing, an answer kept in the form that is not valid, a rule across fields
broken — also beside the answers it involves —, a required annex not attached) at the top,
linked to its input on its section's page. Sending is a POST here: it is refused while a
problem remains, then it is the same ``request-signatures`` as the API's and the document page's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from approvals.actions import perform
from forms_templates.answers import answers
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from forms_templates.rules import messages_by_field
from forms_templates.validation import missing_attachments
from portal.forms_sections import ErrorLink
from portal.next_steps import after_action
from portal.section_rules import rows_by_table
from portal.selectors import form_state
from portal.tasklist import ready_to_send, tasks_of
from portal.views.annexes import annex_context
from portal.views.common import document_or_404, refused
from portal.views.edit import not_editable
from workflow.exceptions import WorkflowError
from workflow.readiness import document_broken_rules


@login_required
@require_http_methods(["GET", "POST"])
def document_check(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    refusal = not_editable(request, document)
    if refusal is not None:
        return refusal
    definition = get_type(document.type)
    lang = current_lang()
    state = form_state(document)
    broken = document_broken_rules(document)
    tasks = tasks_of(document, state, lang, broken)
    annexes_missing = missing_attachments(definition, document.attachment_manifest)
    ready = ready_to_send(tasks) and not annexes_missing
    status = 200
    if request.method == "POST":
        if not ready:
            messages.error(request, _("Correct the problems listed below first."))
            status = 400
        else:
            try:
                sent = perform(
                    "request-signatures", document_id=document.pk, by=request.user, fields={}
                )
            except WorkflowError as exc:
                status = refused(request, exc, details=True)
            else:
                messages.success(request, after_action(sent, "request-signatures"))
                return redirect("web:document", pk=document.pk)

    def section_url(key: str) -> str:
        return reverse("web:document-section", kwargs={"pk": document.pk, "section": key})

    problems = [
        ErrorLink(f"{section_url(problem.section)}#{problem.anchor}", problem.text)
        for task in tasks
        for problem in task.problems + task.missing
    ] + [
        ErrorLink(reverse("web:document-edit", kwargs={"pk": document.pk}) + "#annexes", str(m))
        for m in annexes_missing
    ]
    sections = answers(definition, document.data, lang)
    by_field = messages_by_field(broken, lang)
    rule_rows = rows_by_table(broken)
    for section in sections:
        for answer in section.answers:
            answer.rule_messages = by_field.get(answer.key, [])
            answer.rule_rows = rule_rows.get(answer.key, set())
    context = {
        "document": document,
        "type_name": definition.name.get(lang),
        "sections": [(section, section_url(section.key)) for section in sections],
        "error_links": problems,
        "ready": ready,
        **annex_context(document, request.user, back="check", lang=lang),
        "signatories": [
            (order, signatory.role_name.get(lang))
            for order, signatory in definition.signatories_in_order(document.form_version)
        ],
    }
    return render(request, "portal/document_check.html", context, status=status)

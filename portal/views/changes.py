"""What changed between two versions of a document: ``/documents/<id>/changes/?from=1&to=2``.

Any two versions, chosen with a plain GET form (no JavaScript needed); by default the current
version against the one the viewer last signed or reviewed, else the one before. The diff is the
API's (``GET /api/v1/documents/{id}/versions/{a}/diff/{b}/``): fields, then tables row by row.
A version the document does not have is a 404 naming the versions it has, on the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal.changes import default_base, shown_diff
from portal.views.common import document_or_404
from workflow.exceptions import WorkflowError
from workflow.versions import document_version_diff, version_entries


@login_required
@require_GET
def document_changes(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    definition = get_type(document.type)
    entries = version_entries(document)
    base = default_base(document, request.user)
    wanted_from = request.GET.get("from") or str(base or document.version)
    wanted_to = request.GET.get("to") or str(document.version)
    context = {
        "document": document,
        "type_name": definition.name.get(current_lang()),
        "versions": entries,
        "wanted_from": wanted_from,
        "wanted_to": wanted_to,
        "diff": None,
        "error": "",
    }
    status = 200
    try:
        diff = document_version_diff(
            document_id=document.pk, by=request.user, from_version=wanted_from, to_version=wanted_to
        )
    except WorkflowError as exc:
        context["error"] = exc.message
        status = exc.status_code
    else:
        context["diff"] = shown_diff(definition, diff)
    return render(request, "portal/document_changes.html", context, status=status)

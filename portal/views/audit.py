"""One document's audit trail as CSV (to read) and JSON (to re-check the hash chain with
``scripts/verify_audit_export.py``), for whoever may see the document."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from portal.views.common import document_or_404
from workflow.audit_export import audit_trail, csv_rows


def _name(document, ext: str) -> str:
    stem = (document.reference or str(document.pk)).replace("/", "-")
    return f"{stem}-audit.{ext}"


@login_required
@require_GET
def audit_json(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    body = json.dumps(audit_trail(document), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_name(document, "json")}"'
    return response


@login_required
@require_GET
def audit_csv(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_name(document, "csv")}"'
    response.write("\ufeff")
    csv.writer(response).writerows(csv_rows(document))
    return response

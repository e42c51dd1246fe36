"""After signing: what was signed, as whom, what happens next, and the next document waiting for
this person's signature (or that nothing else waits)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from approvals import selectors
from approvals.models import Signature, SignatureStatus
from portal.next_steps import after_action, role_name
from portal.views.common import document_or_404


@login_required
@require_GET
def document_signed(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    mine = (
        Signature.objects.filter(
            document=document,
            active=True,
            signer=request.user,
            status=SignatureStatus.SIGNED,
            version=document.version,
        )
        .order_by("-signed_at")
        .first()
    )
    if mine is None:
        return redirect("web:document", pk=document.pk)
    waiting = selectors.signature_inbox(request.user).exclude(pk=document.pk)
    context = {
        "document": document,
        "signature": mine,
        "role": role_name(document, mine.order, mine.role),
        "what_next": after_action(document, "sign"),
        "next_document": waiting.first(),
        "waiting_count": waiting.count(),
    }
    return render(request, "portal/document_signed.html", context)

"""Helpers for the print tests: print contexts built without a database, field values that
must stay text, and readers of the produced PDFs."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from forms_templates.definitions import AUTHOR, T
from forms_templates.printing import PrintContext, PrintDecision, PrintSignatory
from forms_templates.registry import get_type
from tests.helpers import complete_data

# Field values that must stay text: markup, script, CSS, URLs to local files and to loopback.
PAYLOADS = {
    "img": '<img src="file:///etc/passwd">',
    "script": "<script>alert('x')</script>",
    "style": '<style>body{background:url("http://127.0.0.1:9/x.png")}</style>',
    "link": '<link rel="attachment" href="file:///etc/hostname">',
    "css_link": '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">',
    "entity": "&lt;b&gt;AT&amp;T&lt;/b&gt; {{ 7*7 }} {% now 'Y' %}",
}


def print_context(
    type_key: str,
    *,
    data: dict[str, Any] | None = None,
    rows: int = 1,
    approved: bool = True,
    lang: str = "sw",
    title: str = "Mfumo wa Kielektroniki wa Hospitali",
) -> PrintContext:
    """A print context without a database: every signatory signed, approved (or a draft)."""
    definition = get_type(type_key)
    moment = timezone.make_aware(dt.datetime(2026, 3, 14, 10, 30))
    signatories = tuple(
        PrintSignatory(
            order=order,
            title=signatory.title,
            role_name=signatory.role_name,
            name="Asha Mwinyi" if signatory.role == AUTHOR else f"Mtia sahihi {order}",
            status="signed" if approved else "pending",
            signed_at=moment if approved else None,
            content_hash="sha256:" + "ab" * 32 if approved else "",
        )
        for order, signatory in definition.signatories_in_order()
    )
    code = "ABCD-EFGH-JKLM-NPQR"
    return PrintContext(
        type_key=type_key,
        title=title,
        data=data if data is not None else complete_data(type_key, rows=rows),
        institution_code="MOH",
        institution_name=T("Wizara ya Afya", "Ministry of Health"),
        status="approved" if approved else "draft",
        status_label=T("Imeidhinishwa", "Approved") if approved else T("Rasimu", "Draft"),
        content_hash="sha256:" + "cd" * 32,
        version=1,
        reference=f"EGA/{definition.code}/2026/0001" if approved else None,
        approved=approved,
        approved_at=moment if approved else None,
        signatories=signatories,
        decision=PrintDecision("approved", T("Imeidhinishwa", "Approved"), "reviewer", moment)
        if approved
        else None,
        verification_code=code if approved else None,
        verification_url=f"http://testserver/verify/{code}/" if approved else None,
        lang=lang,
    )


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page (pypdf)."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded, for substring checks."""
    return " ".join(text.split())


def changed_byte(pdf: bytes, at: int | None = None) -> bytes:
    data = bytearray(pdf)
    index = len(data) // 2 if at is None else at
    data[index] = (data[index] + 1) % 256
    return bytes(data)

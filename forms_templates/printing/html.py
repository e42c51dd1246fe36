"""The print HTML of a document, built from its type's definition and a :class:`PrintContext`.

A pure function: the same context gives the same HTML, byte for byte (previews are cached by its
hash). Every value from the form goes into the page as escaped text through Django's
auto-escaping template; nothing from the data becomes markup, a style or a URL. The one piece of
markup made here is the QR code, drawn by segno from our own verification URL.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from forms_templates import labels as shared_labels
from forms_templates.definitions import CHECKLIST_GROUPS, DocumentType, Field, T, Table
from forms_templates.printing import labels
from forms_templates.printing.context import PrintContext
from forms_templates.registry import get_type

TEMPLATE = "forms_templates/print/document.html"

# Relative widths of table columns by field kind. A fixed table layout does not measure every
# cell to size the columns: a concept note with 150-row tables renders in half the time (1.9 s
# against 3.7 s with automatic widths, measured here).
_COLUMN_WEIGHT = {
    "text": 3.0,
    "long_text": 4.0,
    "email": 2.6,
    "phone": 2.0,
    "date": 1.7,
    "money": 1.8,
    "number": 1.2,
    "choice": 2.0,
}
_ROW_NUMBER_WIDTH = 6.0  # percent
_NUMERIC_KINDS = ("number", "money")


@dataclass(frozen=True)
class _Cell:
    text: str
    numeric: bool = False
    missing: bool = False


def format_date(value: Any, lang: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return str(value)
    return f"{value.day} {labels.MONTHS[lang][value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | None, lang: str) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date(), lang)}, {local:%H:%M} ({labels.TIME_ZONE_NOTE.get(lang)})"


def _format_number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def format_value(field: Field, value: Any, lang: str) -> str:
    """A field's answer as the text a reader sees."""
    if field.kind in _NUMERIC_KINDS:
        return _format_number(value)
    if field.kind == "date":
        return format_date(value, lang)
    if field.kind == "choice":
        for choice in field.choices:
            if choice.value == value:
                return choice.label.get(lang)
        return str(value)
    if isinstance(value, str):
        return value
    return str(value)


def _answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _cell(field: Field, value: Any, lang: str) -> _Cell:
    if not _answered(value):
        return _Cell("—", missing=True)
    return _Cell(format_value(field, value, lang), numeric=field.kind in _NUMERIC_KINDS)


def _table_view(table: Table, value: Any, lang: str) -> dict[str, Any]:
    rows = value if isinstance(value, list) else []
    weights = [_COLUMN_WEIGHT.get(column.kind, 2.0) for column in table.columns]
    total = sum(weights) or 1.0
    available = 100.0 - _ROW_NUMBER_WIDTH
    widths = [math.floor(available * weight / total * 100) / 100 for weight in weights]
    return {
        "kind": "table",
        "key": table.key,
        "label": table.label.get(lang),
        "columns": [
            {"label": column.label.get(lang), "numeric": column.kind in _NUMERIC_KINDS}
            for column in table.columns
        ],
        # Numbers we computed, never text from the data: safe inside a style attribute.
        "widths": [f"{width:.2f}%" for width in widths],
        "row_number_width": f"{_ROW_NUMBER_WIDTH:.2f}%",
        "rows": [
            [
                _cell(column, row.get(column.key) if isinstance(row, dict) else None, lang)
                for column in table.columns
            ]
            for row in rows
        ],
    }


def _sections_view(
    definition: DocumentType, data: dict[str, Any], lang: str, form_version: int | None = None
) -> list[dict]:
    sections = []
    newer = definition.newer_than(form_version) if form_version is not None else set()
    for section in definition.sections:
        items = [i for i in section.items if i.key not in newer or data.get(i.key) is not None]
        if not items:
            continue  # a section a later form added, unanswered here: printed as it was filed
        blocks: list[dict[str, Any]] = []
        for item in items:
            value = data.get(item.key)
            if isinstance(item, Table):
                blocks.append(_table_view(item, value, lang))
            elif item.kind == "long_text":
                # A block, not a table cell: long text must be free to break across pages.
                blocks.append(
                    {
                        "kind": "long_text",
                        "key": item.key,
                        "label": item.label.get(lang),
                        "value": _cell(item, value, lang),
                    }
                )
            else:
                field = {
                    "key": item.key,
                    "label": item.label.get(lang),
                    "value": _cell(item, value, lang),
                }
                if blocks and blocks[-1]["kind"] == "fields":
                    blocks[-1]["fields"].append(field)
                else:
                    blocks.append({"kind": "fields", "fields": [field]})
        sections.append(
            {
                "number": len(sections) + 1,
                "key": section.key,
                "title": section.title.get(lang),
                "blocks": blocks,
            }
        )
    return sections


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (vector, sized by the stylesheet)."""
    return segno.make(url, error="m").svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", svgclass="qr", lineclass=None
    )


def _signatories_view(context: PrintContext) -> list[dict[str, Any]]:
    lang = context.lang
    return [
        {
            "order": signatory.order,
            "title": signatory.title,
            "role_name": signatory.role_name,
            # "Imeandaliwa na: Afisa wa mradi"; a title that is the role itself, once.
            "role": {
                code: signatory.title.get(code)
                if signatory.title.get(code) == signatory.role_name.get(code)
                else f"{signatory.title.get(code)}: {signatory.role_name.get(code)}"
                for code in ("sw", "en")
            },
            "name": signatory.name or "—",
            "status": signatory.status,
            "status_label": labels.SIGNATURE_STATUS.get(
                signatory.status, labels.SIGNATURE_STATUS["pending"]
            ).get(lang),
            "signed_at": format_datetime(signatory.signed_at, lang)
            if signatory.status == "signed"
            else "",
            "content_hash": signatory.content_hash if signatory.status == "signed" else "",
            "acting_name": signatory.acting_name if signatory.status == "signed" else "",
        }
        for signatory in context.signatories
    ]


def _checklist_view(context: PrintContext) -> list[dict[str, Any]]:
    """The checklist's criteria by group, numbered through, each with its mark as printed."""
    lang = context.lang
    groups: list[dict[str, Any]] = []
    for number, item in enumerate(context.checklist, start=1):
        if not groups or groups[-1]["key"] != item.group:
            title = CHECKLIST_GROUPS.get(item.group, T(item.group, item.group))
            groups.append({"key": item.group, "title": title.get(lang), "rows": []})
        label = labels.CHECKLIST_MARKS.get(item.mark or "", labels.CHECKLIST_MARKS[""])
        groups[-1]["rows"].append(
            {
                "number": number,
                "text": item.text.get(lang),
                "mark": item.mark or "none",
                "label": label.get(lang),
                "note": item.note,
                "by": item.marked_by,
                "at": format_date(timezone.localtime(item.marked_at), lang)
                if item.marked_at
                else "",
            }
        )
    return groups


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _attachments_view(context: PrintContext) -> list[dict[str, Any]]:
    return [
        {
            "kind": attachment.kind_label.get(context.lang),
            "name": attachment.name,
            "size": format_size(attachment.size),
            "sha256": attachment.sha256,
        }
        for attachment in context.attachments
    ]


def build_html(context: PrintContext) -> str:
    """The print HTML of the document described by ``context``."""
    definition = get_type(context.type_key)
    if definition is None:
        raise ValueError(f"unknown document type {context.type_key!r}")
    lang = context.lang
    other = "en" if lang == "sw" else "sw"
    data = dict(context.data)
    decision = context.decision
    agency = context.agency
    bilingual = {
        name: agency.say(value)
        for module in (shared_labels, labels)  # the texts shared with the Word file, and ours
        for name, value in vars(module).items()
        if _is_text(value)
    }
    bilingual["REPUBLIC"] = agency.heading
    text = {name: value.get(lang) for name, value in bilingual.items()}
    page = {
        "lang": lang,
        "labels": text,
        "bilingual": bilingual,
        "watermark": None if context.approved else labels.WATERMARK,
        # Our own re-encoded PNG (admin), or the emblem file beside print.css.
        "emblem_src": emblem_data_uri(agency.emblem_png) if agency.emblem_png else "emblem.svg",
        "type_name": definition.name.get(lang),
        "type_name_other": definition.name.get(other),
        "title": context.title,
        "reference": context.reference or "",
        "institution": context.institution_name.get(lang),
        "institution_other": context.institution_name.get(other),
        "institution_code": context.institution_code,
        "project": context.project_name,
        "version": context.version,
        "status": context.status_label.get(lang),
        "approved": context.approved,
        "approved_at": format_datetime(context.approved_at, lang) if context.approved else "",
        "content_hash": context.content_hash,
        "sections": _sections_view(definition, data, lang, context.form_version),
        "signatories": _signatories_view(context),
        "attachments": _attachments_view(context),
        "decision": None
        if decision is None
        else {
            "label": decision.label.get(lang),
            "decision": decision.decision,
            "reviewer": decision.reviewer,
            "decided_at": format_datetime(decision.decided_at, lang),
            "comment": decision.comment,
            "checklist_override": decision.checklist_override,
        },
        "checklist": _checklist_view(context),
        "verification_code": context.verification_code if context.approved else None,
        "verification_url": context.verification_url if context.approved else None,
        "qr": mark_safe(qr_svg(context.verification_url))  # noqa: S308 - segno output, no data
        if context.approved and context.verification_url
        else None,
    }
    return render_to_string(TEMPLATE, page)


def emblem_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _is_text(value: Any) -> bool:
    return isinstance(value, T)


def html_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()

"""Printing a document: the print HTML from a definition and a plain print context, and its
rendering with WeasyPrint through a fetcher that reads only our own static files, inside time
and memory limits. Nothing here imports the engine (workflow) or approvals.

WeasyPrint takes most of a second to import: the names that need it load on first use, so
importing this package (URL configuration, the approvals app) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from forms_templates.printing.context import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PrintAttachment,
    PrintContext,
    PrintDecision,
    PrintMark,
    PrintSignatory,
)
from forms_templates.printing.html import build_html, html_digest

_LAZY = {
    "PRINT_STATIC_ROOT": "forms_templates.printing.fetcher",
    "FetchRefused": "forms_templates.printing.fetcher",
    "SafeURLFetcher": "forms_templates.printing.fetcher",
    "PDF_A": "forms_templates.printing.render",
    "PdfAttachment": "forms_templates.printing.render",
    "RenderError": "forms_templates.printing.render",
    "render_in_process": "forms_templates.printing.render",
    "render_pdf": "forms_templates.printing.render",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "PDF_A",
    "PRINT_STATIC_ROOT",
    "FetchRefused",
    "PdfAttachment",
    "PrintAttachment",
    "PrintContext",
    "PrintDecision",
    "PrintMark",
    "PrintSignatory",
    "RenderError",
    "SafeURLFetcher",
    "build_html",
    "html_digest",
    "render_in_process",
    "render_pdf",
]

"""The archive's exports: the filtered list as CSV or Excel, in constant memory.

CSV is written row by row into the response (``StreamingHttpResponse``) as the rows come from
the database in chunks (approvals.archive_selectors.export_rows). Excel's XLSX is a zip that
can only be finished once every row is in it: XlsxWriter's ``constant_memory`` mode writes each
row to a temporary file at once (memory holds one row), and the finished file is sent in chunks
from disk (``FileResponse``); the temporary file disappears when the response is closed.

Cells are written as text or numbers, never as formulas: a title typed as ``=HYPERLINK(...)``
stays text in Excel (XlsxWriter ``strings_to_formulas`` off; in CSV a leading ``'``).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import xlsxwriter
from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from workflow.models import Status

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Type"),
        _("Institution (code)"),
        _("Institution"),
        _("Project"),
        _("Status"),
        _("Version"),
        _("First submitted"),
        _("Last submitted"),
        _("Decided"),
        _("Reviewer"),
        _("Verification code"),
        _("Link"),
    ]


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def cells(row: dict[str, Any], lang: str, labels: dict[str, str]) -> list[Any]:
    definition = get_type(row["type"])
    final = row["status"] in (Status.APPROVED, Status.REJECTED)
    return [
        row["reference"] or "",
        row["title"],
        definition.name.get(lang) if definition else row["type"],
        row["institution__code"],
        row["institution__name_en"] if lang == "en" else row["institution__name_sw"],
        row["project__name"] or "",
        labels.get(row["status"], row["status"]),
        row["version"],
        _when(row["submitted_at"]),
        _when(row["last_submitted_at"]),
        _when(row["approved_at"] or (row["status_changed_at"] if final else None)),
        row["reviewer"] or "",
        row["verification_code"] or "",
        f"{settings.SITE_URL}/documents/{row['pk']}/",
    ]


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in Status.choices}


class _Line:
    """csv.writer writes into this; each row is handed on as it is written."""

    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    lang, labels = current_lang(), _labels()
    writer = csv.writer(_Line())
    yield "\ufeff"  # a BOM: Excel then reads the file as UTF-8 (Swahili names, dashes)
    yield writer.writerow(columns())
    for row in rows:
        yield writer.writerow([_safe(cell) for cell in cells(row, lang, labels)])


def csv_response(rows: Iterable[dict[str, Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows: Iterable[dict[str, Any]], filename: str, sheet: str) -> FileResponse:
    # Closed (and so deleted) by the response once sent, or here if writing fails.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        _write_xlsx(handle, rows, sheet)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _write_xlsx(handle, rows: Iterable[dict[str, Any]], sheet: str) -> None:
    lang, labels = current_lang(), _labels()
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    header = columns()
    worksheet.write_row(0, 0, header, workbook.add_format({"bold": True}))
    worksheet.freeze_panes(1, 0)
    for index, width in enumerate([18, 40, 24, 10, 28, 28, 18, 8, 17, 17, 17, 14, 22, 30]):
        worksheet.set_column(index, index, width)
    number = 0
    for number, row in enumerate(rows, start=1):
        worksheet.write_row(number, 0, cells(row, lang, labels))
    worksheet.autofilter(0, 0, max(number, 1), len(header) - 1)
    workbook.close()

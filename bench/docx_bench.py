"""Word templates, exports and imports: time per document type and for large tables.

Run: ``python -m bench`` (all benchmarks), ``python -m bench docx`` or
``python -m bench.docx_bench``. Every figure is the median of several runs, with a ratio to a
baseline measured in the same run: a bare python-docx document with the same number of
paragraphs and table rows, plain text, default style (for building), and python-docx's own
``cell.text`` walk over every table cell of the same file (for reading). Not a test: it asserts
nothing. Most of a small file's unzipped size is python-docx's default styles part.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from bench import median_seconds, setup_django

RUNS = 5


def _setup() -> None:
    setup_django()


def _median(function: Callable[[], Any], runs: int = RUNS) -> float:
    return median_seconds(function, runs)


def _shape(content: bytes) -> tuple[int, list[tuple[int, int]]]:
    import docx

    document = docx.Document(io.BytesIO(content))
    body = document.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = sum(1 for child in body if child.tag == f"{w}p")
    tables = [(len(t.rows), len(t.columns)) for t in document.tables]
    return paragraphs, tables


def _bare(paragraphs: int, tables: list[tuple[int, int]]) -> bytes:
    """The baseline: python-docx's plainest document of the same shape."""
    import docx

    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph("Aya")
    for rows, columns in tables:
        table = document.add_table(rows=0, cols=columns)
        for _ in range(rows):
            for cell in table.add_row().cells:
                cell.text = "Jibu"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _naive_read(content: bytes) -> int:
    """The baseline reader: python-docx's table API, cell.text of every cell."""
    import docx

    document = docx.Document(io.BytesIO(content))
    return sum(
        len(cell.text) for table in document.tables for row in table.rows for cell in row.cells
    )


def _line(label: str, ours: float, base: float) -> str:
    return (
        f"  {label:<34} {ours * 1000:9.1f} ms   baseline {base * 1000:8.1f} ms"
        f"   x{ours / base:5.2f}"
    )


def _case(name: str, definition, data, info, *, template: bool = True) -> list[str]:
    from forms_templates.docx import build_docx, inspect_docx, read_docx

    content = build_docx(definition, data=data, info=info)
    paragraphs, tables = _shape(content)
    rows = sum(r for r, _c in tables)
    bare = _bare(paragraphs, tables)
    t_bare = _median(lambda: _bare(paragraphs, tables))
    t_export = _median(lambda: build_docx(definition, data=data, info=info))
    t_guard = _median(lambda: inspect_docx(content, max_bytes=10**9))
    t_import = _median(lambda: read_docx(definition, content, max_bytes=10**9).to_data(data))
    t_naive = _median(lambda: _naive_read(content))
    inspection = inspect_docx(content, max_bytes=10**9)
    lines = [
        f"{name}: {len(content) / 1024:.0f} KB, {paragraphs} paragraphs, {len(tables)} tables, "
        f"{rows} table rows; unzipped {inspection.uncompressed_bytes / 1024:.0f} KB, "
        f"{inspection.xml_elements} XML elements (bare file {len(bare) / 1024:.0f} KB)",
    ]
    if template:
        blank = build_docx(definition)
        shape = _shape(blank)
        lines.append(
            _line(
                "template build (uncached)",
                _median(lambda: build_docx(definition)),
                _median(lambda: _bare(*shape)),
            )
        )
    lines += [
        _line("export (filled)", t_export, t_bare),
        _line("import: guard only", t_guard, t_naive),
        _line("import: guard + read + validate", t_import, t_naive),
    ]
    return lines


def _big_data(definition, rows: int, text: int, long_text: int) -> dict[str, Any]:
    from forms_templates.definitions import Table
    from forms_templates.docx.values import parse

    def value(field, index):
        if field.kind == "text":
            return (f"Safu {index} — maelezo ya mfano ya jedwali " * 20)[
                : min(text, field.max_chars())
            ]
        if field.kind == "long_text":
            line = "Mstari wa maelezo marefu, wenye herufi za Kiswahili na café 😀. "
            body = "\n".join(line for _ in range(long_text // len(line) + 1))
            return body[: min(long_text, field.max_chars())]
        sample = {
            "number": "12",
            "money": "1,500,000",
            "date": "2027-01-15",
            "email": "afisa@afya.go.tz",
            "phone": "+255 22 212 3456",
        }
        if field.kind == "choice":
            return field.choices[index % len(field.choices)].value
        return parse(field, sample[field.kind])

    data: dict[str, Any] = {}
    for item in definition.items():
        if isinstance(item, Table):
            data[item.key] = [
                {column.key: value(column, index) for column in item.columns}
                for index in range(min(rows, item.max_rows))
            ]
        else:
            data[item.key] = value(item, 0)
    return data


def main() -> None:
    _setup()
    from forms_templates.definitions import T
    from forms_templates.docx import ExportInfo, ZipLimits
    from forms_templates.registry import all_types, get_type

    info = ExportInfo(
        title="Benchmark",
        institution=T("Wizara ya Afya", "Ministry of Health"),
        reference="EGA/CN/2026/0001",
        version=1,
        status=T("Rasimu", "Draft"),
    )
    print(f"Word templates, exports and imports (median of {RUNS} runs)")
    for key, definition in all_types().items():
        data = _big_data(definition, rows=3, text=60, long_text=400)
        for line in _case(f"{key} (3 rows a table)", definition, data, info):
            print(line)
    definition = get_type("completion_report")
    data = _big_data(definition, rows=200, text=60, long_text=400)
    for line in _case(
        "completion_report, 200 rows in each table", definition, data, info, template=False
    ):
        print(line)
    data = _big_data(get_type("concept_note"), rows=200, text=60, long_text=400)
    for line in _case(
        "concept_note, 200 rows in each table", get_type("concept_note"), data, info, template=False
    ):
        print(line)

    # The largest schema-valid document: every table at its row limit, every text at its length
    # limit. The guard's limits must leave room for it.
    from forms_templates.docx import build_document, inspect_docx, read_docx

    limits = ZipLimits()
    worst = None
    for key, definition in all_types().items():
        data = _big_data(definition, rows=10**6, text=10**6, long_text=10**6)
        started = time.perf_counter()
        content = build_document(definition, data, info)
        built = time.perf_counter() - started
        inspection = inspect_docx(content, max_bytes=10**9)
        started = time.perf_counter()
        read_docx(definition, content, max_bytes=10**9).to_data(data)
        read = time.perf_counter() - started
        print(
            f"largest {key}: {len(content) / 1024 / 1024:.1f} MB zipped, "
            f"{inspection.uncompressed_bytes / 1024 / 1024:.1f} MB unzipped, "
            f"{inspection.xml_elements} XML elements; export {built:.1f} s, import {read:.1f} s"
        )
        if worst is None or inspection.xml_elements > worst[1]:
            worst = (key, inspection.xml_elements, inspection.uncompressed_bytes, len(content))
    print(
        f"guard limits: {limits.max_xml_elements} XML elements, "
        f"{limits.max_total_bytes // 1024 // 1024} MB unzipped; largest legitimate: "
        f"{worst[1]} elements ({worst[1] / limits.max_xml_elements:.0%}), "
        f"{worst[2] / 1024 / 1024:.1f} MB ({worst[2] / limits.max_total_bytes:.0%}), "
        f"{worst[3] / 1024 / 1024:.1f} MB zipped (upload limit 10 MB)"
    )


if __name__ == "__main__":
    main()

"""Rendering the print of every type: A4 pages whose text holds every section, numbered pages,
tables that break across pages with their header repeated, very long text, and the time and
memory limits of the renderer."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from forms_templates.definitions import LONG_TEXT_MAX, Table
from forms_templates.printing import RenderError, build_html, render_pdf
from forms_templates.printing.sandbox import SandboxError, run_limited
from forms_templates.registry import ORDER, get_type
from tests.forms_templates.print_support import flat, pdf_text, print_context
from tests.helpers import complete_data, sample_value

A4 = (595.28, 841.89)  # points


@pytest.mark.parametrize("type_key", ORDER)
def test_every_type_prints_every_section_on_numbered_a4_pages(type_key):
    definition = get_type(type_key)
    context = print_context(type_key, rows=2)

    pdf = render_pdf(build_html(context))

    reader = PdfReader(io.BytesIO(pdf))
    pages = [flat(text) for text in pdf_text(pdf)]
    text = " ".join(pages)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Ukurasa {number} kati ya {total} / Page {number} of {total}" in page
    assert flat(definition.name.sw) in text
    assert context.reference in text
    for section in definition.sections:
        assert flat(section.title.sw) in text, section.key
        for item in section.items:
            assert flat(item.label.sw) in text, item.key
    assert "Jibu 0 — sahihi" in text or type_key == "email_account_request"
    # The signature page: each signatory, the decision, the verification code.
    # A long document may put the verification box on a page of its own after the signatures.
    start = max(n for n, page in enumerate(pages) if "Sahihi / Signatures" in page)
    signature_page = " ".join(pages[start:])
    assert start >= len(pages) - 2
    for _order, signatory in definition.signatories_in_order():
        assert flat(signatory.role_name.sw) in signature_page
        assert flat(signatory.role_name.en) in signature_page
    assert "sha256:" + "ab" * 32 in signature_page.replace(" ", "")
    assert "Imeidhinishwa" in signature_page and "reviewer" in signature_page
    assert context.verification_code in signature_page
    assert "RASIMU" not in text


def test_english_prints_english_labels_and_page_numbers():
    definition = get_type("email_account_request")

    pdf = render_pdf(build_html(print_context("email_account_request", lang="en")))

    text = flat(" ".join(pdf_text(pdf)))
    assert "Page 1 of" in text
    for section in definition.sections:
        assert flat(section.title.en) in text
    assert flat(definition.sections[0].title.sw) not in text


def test_a_draft_prints_the_watermark_on_every_page():
    pdf = render_pdf(build_html(print_context("concept_note", rows=3, approved=False)))

    pages = pdf_text(pdf)
    assert len(pages) > 1
    assert all("RASIMU / DRAFT" in page for page in pages)


def test_hundreds_of_rows_break_across_pages_with_the_header_repeated():
    definition = get_type("terms_of_reference")
    table = next(item for item in definition.items() if item.key == "requirements")
    data = complete_data("terms_of_reference")
    data["requirements"] = [
        {column.key: sample_value(column, row) for column in table.columns} for row in range(300)
    ]
    data["requirements"][-1]["requirement"] = "Hitaji la mwisho kabisa"

    pdf = render_pdf(build_html(print_context("terms_of_reference", data=data)))

    pages = [flat(text) for text in pdf_text(pdf)]
    header = flat(table.columns[0].label.sw)
    with_rows = [page for page in pages if "Jibu 1" in page and "Lazima" in page]
    assert len(pages) >= 6
    assert len(with_rows) >= 4
    assert all(header in page and "Na." in page for page in with_rows)
    assert "Hitaji la mwisho kabisa" in " ".join(pages)
    assert "300" in " ".join(pages)


def test_very_long_text_and_unbroken_words_render_across_pages():
    data = complete_data("email_account_request")
    words = ("Maelezo marefu sana ya sababu za ombi hili. " * 400)[: LONG_TEXT_MAX - 3000]
    data["justification"] = words + "X" * 2500 + " mwisho"
    data["full_name"] = "N" * 500

    pdf = render_pdf(build_html(print_context("email_account_request", data=data)))

    pages = pdf_text(pdf)
    assert len(pages) >= 4
    assert "mwisho" in flat(" ".join(pages))


def test_every_table_of_every_type_has_its_header_row():
    for type_key in ORDER:
        definition = get_type(type_key)
        page = build_html(print_context(type_key))
        tables = [item for item in definition.items() if isinstance(item, Table)]
        assert page.count("<thead>") == len(tables), type_key


def test_a_render_past_its_time_limit_is_stopped():
    html = build_html(print_context("concept_note", rows=100))

    with pytest.raises(RenderError) as refused:
        render_pdf(html, timeout=0.05)

    assert refused.value.kind == "timeout"


def test_a_render_past_its_memory_limit_is_stopped():
    # The limit is on growth of the address space: a document this long (four times the row
    # limit) needs hundreds of megabytes more, far beyond any free heap the test process may
    # already hold.
    html = build_html(print_context("concept_note", rows=2000))

    with pytest.raises(RenderError) as refused:
        render_pdf(html, memory_mb=1)

    assert refused.value.kind in ("memory", "crashed")


def _boom():
    raise ValueError("a failure in the child")


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def test_the_sandbox_reports_a_failure_and_returns_a_result():
    assert run_limited(_allocate, 8, timeout=10, memory_mb=256) == 8 * 1024 * 1024
    with pytest.raises(SandboxError, match="ValueError: a failure in the child"):
        run_limited(_boom, timeout=10, memory_mb=256)
    with pytest.raises(SandboxError) as refused:
        run_limited(_allocate, 512, timeout=10, memory_mb=64)
    assert refused.value.kind == "memory"

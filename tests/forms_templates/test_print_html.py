"""The print HTML: built from the definition and a plain print context, every form value escaped,
the draft watermark on anything not approved, the QR code pointing at our verification page."""

from __future__ import annotations

import html as html_lib
import re

import pytest
import segno

from forms_templates.printing import build_html, html_digest
from forms_templates.printing.html import format_date, format_value, qr_svg
from forms_templates.registry import ORDER, get_type
from tests.forms_templates.print_support import PAYLOADS, print_context
from tests.helpers import complete_data


def test_every_field_value_is_escaped_text():
    data = complete_data("email_account_request")
    data.update(
        full_name=PAYLOADS["img"],
        job_title=PAYLOADS["script"],
        department=PAYLOADS["style"],
        check_number=PAYLOADS["link"],
        justification=PAYLOADS["css_link"] + "\n" + PAYLOADS["entity"],
        supervisor_name=PAYLOADS["entity"],
    )

    page = build_html(print_context("email_account_request", data=data, title=PAYLOADS["script"]))

    for payload in PAYLOADS.values():
        assert html_lib.escape(payload, quote=True) in page or html_lib.escape(payload) in page
    assert "<script" not in page
    assert '<img src="file:' not in page
    assert "<style>body" not in page
    assert re.findall(r"<link [^>]*>", page) == ['<link rel="stylesheet" href="print.css">']
    assert re.findall(r"<img [^>]*>", page) == ['<img class="emblem" src="emblem.svg" alt="">']


def test_a_template_tag_in_a_value_is_not_evaluated():
    data = complete_data("email_account_request")
    data["full_name"] = "{{ 7*7 }} {% now 'Y' %}"

    page = build_html(print_context("email_account_request", data=data))

    assert "{{ 7*7 }} {% now &#x27;Y&#x27; %}" in page


@pytest.mark.parametrize("type_key", ORDER)
def test_every_section_and_label_of_every_type_is_in_the_html(type_key):
    definition = get_type(type_key)

    page = html_lib.unescape(build_html(print_context(type_key)))

    assert definition.name.sw in page
    for section in definition.sections:
        assert section.title.sw in page
        for item in section.items:
            assert item.label.sw in page
            for column in getattr(item, "columns", ()):
                assert column.label.sw in page
    for _order, signatory in definition.signatories_in_order():
        assert signatory.role_name.sw in page and signatory.role_name.en in page
        assert signatory.title.sw in page and signatory.title.en in page


def test_english_is_chosen_per_print():
    definition = get_type("concept_note")

    page = html_lib.unescape(build_html(print_context("concept_note", lang="en")))

    assert '<html lang="en">' in page
    assert definition.sections[0].title.en in page
    assert definition.sections[0].title.sw not in page
    assert "Page" not in page  # page numbers come from the stylesheet, per named page
    assert 'class="lang-en"' in page


def test_a_draft_has_the_watermark_and_no_qr_code():
    page = build_html(print_context("concept_note", approved=False))

    assert '<div class="watermark">RASIMU / DRAFT</div>' in page
    assert "<svg" not in page
    assert "/verify/" not in page


def test_an_approved_print_has_the_qr_code_of_its_verification_url_and_no_watermark():
    context = print_context("concept_note")

    page = build_html(context)

    assert "watermark" not in page.split("<body", 1)[1]
    assert qr_svg(context.verification_url) in page
    assert context.verification_code in page
    assert context.verification_url in page
    matrix = segno.make(context.verification_url, error="m")
    assert matrix.designator  # the QR code segno drew encodes exactly that URL
    assert (
        matrix.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None) in page
    )


def test_the_same_context_gives_the_same_html():
    first = build_html(print_context("terms_of_reference", rows=3))
    second = build_html(print_context("terms_of_reference", rows=3))
    other = build_html(print_context("terms_of_reference", rows=4))

    assert first == second
    assert html_digest(first) == html_digest(second) != html_digest(other)


def test_values_are_formatted_for_people():
    definition = get_type("concept_note")
    money = next(item for item in definition.items() if getattr(item, "kind", "") == "money")
    choice = next(item for item in definition.items() if getattr(item, "kind", "") == "choice")

    assert format_value(money, 1500000, "sw") == "1,500,000"
    assert format_date("2027-01-15", "sw") == "15 Januari 2027"
    assert format_date("2027-01-15", "en") == "15 January 2027"
    assert format_value(choice, choice.choices[0].value, "en") == choice.choices[0].label.en
    assert format_value(choice, "unknown", "sw") == "unknown"


def test_unanswered_fields_and_empty_tables_say_so():
    page = build_html(print_context("concept_note", data={}))

    assert "Halijajibiwa" in page
    assert "Hakuna mistari iliyojazwa" in page

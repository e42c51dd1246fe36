"""The Word template of every type: generated from the definition, official in look, and read back
reliably after a person's edits — or refused with a message that says what is wrong."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from django.utils import translation

from forms_templates.definitions import Field, Section, Table
from forms_templates.docx import DocxError, build_docx, build_template, read_docx
from forms_templates.docx.wordxml import cell_text
from forms_templates.registry import ORDER, get_type
from tests.forms_templates import docx_files as files

W = files.W
TYPES = list(ORDER)


def all_text(content: bytes) -> str:
    document = files.open_docx(content)
    return "\n".join(t.text or "" for t in document.element.body.iter(f"{W}t"))


def read(definition, content, current=None):
    with translation.override("en"):
        return read_docx(definition, content).to_data(current)


def refusal(definition, content) -> DocxError:
    with translation.override("en"), pytest.raises(DocxError) as caught:
        read_docx(definition, content).to_data()
    return caught.value


@pytest.mark.parametrize("key", TYPES)
def test_every_type_has_a_template_that_looks_like_an_official_document(key):
    definition = get_type(key)
    content = build_template(definition)
    text = all_text(content)
    for expected in (
        "JAMHURI YA MUUNGANO WA TANZANIA",
        "[JINA LA TAASISI]",
        "[INSTITUTION NAME]",
        "Kichwa cha hati",
        "Document title",
        definition.name.sw.upper(),
        definition.name.en,
        "Maelekezo",
        definition.instructions.sw,
        definition.instructions.en,
    ):
        assert expected in text, expected
    for number, section in enumerate(definition.sections, start=1):
        assert f"{number}. {section.title.sw.upper()}" in text
        assert section.title.en in text
    for item in definition.items():
        assert item.label.sw in text and item.label.en in text
    for signatory in definition.signatories:
        assert f"{signatory.title.sw} / {signatory.title.en}" in text
    for line in ("Jina", "Name", "Cheo", "Title", "Sahihi", "Signature", "Tarehe", "Date"):
        assert line in text


@pytest.mark.parametrize("key", TYPES)
def test_every_field_and_column_has_its_key_hidden_in_the_file(key):
    definition = get_type(key)
    document = files.open_docx(build_template(definition))
    hidden = "".join(
        t.text
        for run in document.element.body.iter(f"{W}r")
        if run.find(f"{W}rPr/{W}vanish") is not None
        for t in run.iter(f"{W}t")
    )
    assert f"{{{{idhini:doc:{key}}}}}" in hidden
    for item in definition.items():
        if isinstance(item, Table):
            table = files.table_element(document, item.key)
            header = table.find(f"{W}tr")
            assert header.find(f"{W}trPr/{W}tblHeader") is not None  # repeats on every page
            for column in item.columns:
                assert f"{{{{idhini:column:{column.key}}}}}" in cell_text(header, hidden=True)
        else:
            assert f"{{{{idhini:field:{item.key}}}}}" in hidden
    assert document.core_properties.identifier == f"idhini:{key}"


def test_the_template_follows_the_definition_not_a_file_kept_in_step_by_hand():
    definition = get_type("email_account_request")
    extra = Section(
        key="device",
        title=definition.sections[0].title.__class__("Kifaa", "Device"),
        items=(Field("device_name", "text", definition.name.__class__("Jina la kifaa", "Device")),),
    )
    changed = dataclasses.replace(definition, sections=(*definition.sections, extra), extra={})
    text = all_text(build_docx(changed))
    assert "KIFAA" in text and "Jina la kifaa" in text
    assert "Jina la kifaa" not in all_text(build_template(definition))


@pytest.mark.parametrize("key", TYPES)
def test_a_blank_template_has_no_answers(key):
    definition = get_type(key)
    assert read(definition, build_template(definition)) == {}


@pytest.mark.parametrize("key", TYPES)
def test_a_template_filled_in_by_a_person_reads_back_as_they_meant_it(key):
    definition = get_type(key)
    content, expected = files.fill_like_a_person(build_template(definition), definition)
    assert read(definition, content) == expected


def test_rows_a_person_deletes_are_gone_and_the_rest_keep_their_order():
    definition = get_type("completion_report")
    content, expected = files.fill_like_a_person(build_template(definition), definition)
    document = files.open_docx(content)
    files.delete_row(document, "cost_items", 0)
    assert read(definition, files.save_docx(document))["cost_items"] == expected["cost_items"][1:]


@pytest.mark.parametrize(
    ("found", "expected"),
    [(a, b) for a in TYPES for b in TYPES if a != b],
)
def test_a_template_of_another_type_is_refused_by_name(found, expected):
    error = refusal(get_type(expected), build_template(get_type(found)))
    assert error.code == "wrong_type"
    assert get_type(found).name.en in error.message
    assert get_type(expected).name.en in error.message


def test_another_types_template_is_recognised_by_its_keys_when_its_type_mark_is_gone():
    found = get_type("terms_of_reference")
    document = files.open_docx(build_template(found))
    for t in document.element.body.iter(f"{W}t"):
        if t.text and "{{idhini:doc:" in t.text:
            t.text = ""
    document.core_properties.identifier = ""
    document.core_properties.category = ""
    error = refusal(get_type("concept_note"), files.save_docx(document))
    assert error.code == "wrong_type"
    assert "Terms of Reference" in error.message


def test_an_old_template_whose_fields_changed_is_refused_with_what_changed():
    current = get_type("email_account_request")
    sections = []
    for section in current.sections:
        if any(item.key == "check_number" for item in section.items):
            section = dataclasses.replace(
                section,
                items=(
                    *[i for i in section.items if i.key != "check_number"],
                    Field("fax", "phone", current.name.__class__("Faksi", "Fax")),
                ),
            )
        sections.append(section)
    old = dataclasses.replace(current, sections=tuple(sections), extra={})
    error = refusal(current, build_template(old))
    assert error.code == "outdated_template"
    assert "fax" in error.message
    assert "Check number" in error.message
    assert "Download a new template" in error.message


def test_an_old_template_whose_table_columns_changed_is_refused():
    current = get_type("terms_of_reference")
    sections = []
    for section in current.sections:
        items = []
        for item in section.items:
            if isinstance(item, Table) and item.key == "expertise":
                item = dataclasses.replace(item, columns=item.columns[:-1])
            items.append(item)
        sections.append(dataclasses.replace(section, items=tuple(items)))
    old = dataclasses.replace(current, sections=tuple(sections), extra={})
    error = refusal(current, build_template(old))
    assert error.code == "outdated_template"
    assert "Experts required" in error.message


def test_a_word_file_with_no_form_fields_is_refused():
    document = files.open_docx(files.save_docx(__import__("docx").Document()))
    document.add_paragraph("Barua ya kawaida, si fomu ya Idhini.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = ""
    error = refusal(get_type("concept_note"), files.save_docx(document))
    assert error.code == "no_fields"
    assert "no Idhini form fields" in error.message


def test_a_deleted_form_row_is_refused_rather_than_clearing_its_answer():
    definition = get_type("concept_note")
    document = files.open_docx(build_template(definition))
    row = files.answer_cell(document, "contact_email").getparent()
    row.getparent().remove(row)
    error = refusal(definition, files.save_docx(document))
    assert error.code == "outdated_template"
    assert "Contact e-mail" in error.message


def test_a_copied_form_row_is_refused():
    definition = get_type("concept_note")
    document = files.open_docx(build_template(definition))
    row = files.answer_cell(document, "project_owner").getparent()
    row.addnext(copy.deepcopy(row))
    error = refusal(definition, files.save_docx(document))
    assert error.code == "duplicate_field"
    assert "Project owner" in error.message


def test_text_typed_outside_the_answer_cells_is_refused_not_dropped():
    definition = get_type("concept_note")
    document = files.open_docx(build_template(definition))
    row = files.answer_cell(document, "beneficiaries").getparent()
    extra = copy.deepcopy(row)
    row.addnext(extra)
    for cell in extra.findall(f"{W}tc"):
        files.type_into(cell, "")
    files.type_into(extra.findall(f"{W}tc")[1], "Wananchi wa vijijini")
    error = refusal(definition, files.save_docx(document))
    assert error.code == "stray_text"
    assert "Wananchi wa vijijini" in error.message


def test_a_label_whose_hidden_key_was_lost_is_found_by_its_visible_label():
    definition = get_type("email_account_request")
    document = files.open_docx(build_template(definition))
    label = files.answer_cell(document, "job_title").getprevious()
    for run in list(label.iter(f"{W}r")):
        if run.find(f"{W}rPr/{W}vanish") is not None:
            run.getparent().remove(run)
    files.type_into(label.getnext(), "Afisa TEHAMA")
    assert read(definition, files.save_docx(document)) == {"job_title": "Afisa TEHAMA"}


def test_a_label_whose_key_became_visible_text_is_found_by_its_label():
    definition = get_type("email_account_request")
    document = files.open_docx(build_template(definition))
    label = files.answer_cell(document, "full_name").getprevious()
    for vanish in list(label.iter(f"{W}vanish")):
        vanish.getparent().remove(vanish)
    files.type_answer(document, "full_name", "Asha Mwinyi")
    assert read(definition, files.save_docx(document)) == {"full_name": "Asha Mwinyi"}


def _wrap(cell, tag: str):
    run = next(cell.iter(f"{W}r"))
    wrapper = run.makeelement(f"{W}{tag}", {})
    run.addprevious(wrapper)
    if tag == "sdt":
        content = wrapper.makeelement(f"{W}sdtContent", {})
        wrapper.append(content)
        content.append(run)
    else:
        wrapper.append(run)


def test_text_in_content_controls_links_and_tracked_insertions_is_read_and_deletions_are_not():
    definition = get_type("email_account_request")
    document = files.open_docx(build_template(definition))
    for key, tag in (("full_name", "sdt"), ("job_title", "hyperlink"), ("department", "ins")):
        files.type_answer(document, key, "Imeandikwa")
        _wrap(files.answer_cell(document, key), tag)
    files.type_answer(document, "supervisor_name", "Imefutwa")
    deleted = files.answer_cell(document, "supervisor_name")
    run = next(deleted.iter(f"{W}r"))
    for t in run.iter(f"{W}t"):
        t.tag = f"{W}delText"
    _wrap(deleted, "del")
    assert read(definition, files.save_docx(document)) == {
        "full_name": "Imeandikwa",
        "job_title": "Imeandikwa",
        "department": "Imeandikwa",
    }


def test_invalid_answers_are_refused_naming_the_field_and_the_row_as_counted_in_the_file():
    definition = get_type("completion_report")
    document = files.open_docx(build_template(definition))
    files.type_answer(document, "approved_budget", "mia tano")
    files.fill_row(document, "cost_items", 0, ["Seva", "1,000", "900", ""])
    files.fill_row(document, "cost_items", 2, ["Leseni", "2,000", "elfu mbili", ""])
    files.type_answer(document, "completion_date", "31/02/2027")
    with translation.override("en"), pytest.raises(DocxError) as caught:
        read_docx(definition, files.save_docx(document)).to_data()
    errors = caught.value.errors
    assert caught.value.code == "invalid"
    assert errors["approved_budget"] == ["Approved budget (TZS) must be a whole number."]
    assert errors["cost_items[3].actual_amount"] == [
        "Cost by item, row 3, Actual amount (TZS) must be a whole number."
    ]
    assert "completion_date" in errors


def test_tables_merged_into_one_by_word_or_libreoffice_still_read_by_their_keys():
    definition = get_type("concept_note")
    content, expected = files.fill_like_a_person(build_template(definition), definition)
    document = files.open_docx(content)
    budget = files.table_element(document, "budget_items")
    fields = files.answer_cell(document, "total_budget").getparent().getparent()
    spacer = budget.getnext()
    assert spacer.tag == f"{W}p" and spacer.getnext() is fields
    for row in fields.findall(f"{W}tr"):
        budget.append(row)  # the two tables become one: budget rows, then the form rows
    fields.getparent().remove(fields)
    spacer.getparent().remove(spacer)
    assert read(definition, files.save_docx(document)) == expected


def test_an_answer_that_looks_like_a_hidden_key_is_just_an_answer():
    definition = get_type("terms_of_reference")
    document = files.open_docx(build_template(definition))
    files.fill_row(document, "requirements", 0, ["{{idhini:field:background}}", "", "Must have"])
    files.fill_row(document, "requirements", 1, ["{{idhini:table:expertise}}", "", "Could"])
    files.type_answer(document, "background", "{{idhini:doc:concept_note}}")
    assert read(definition, files.save_docx(document)) == {
        "requirements": [
            {"requirement": "{{idhini:field:background}}", "priority": "must"},
            {"requirement": "{{idhini:table:expertise}}", "priority": "could"},
        ],
        "background": "{{idhini:doc:concept_note}}",
    }

"""LibreOffice as the second producer: files typed into by a script the way a person types, then
saved by LibreOffice (``soffice --headless --convert-to``), import exactly. Skipped without
LibreOffice (CI installs ``libreoffice-writer-nogui``, see .ci/apt-packages)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forms_templates.definitions import T
from forms_templates.docx import (
    DOCX_CONTENT_TYPE,
    ExportInfo,
    build_document,
    build_template,
    read_docx,
)
from forms_templates.registry import ORDER, get_type
from tests.forms_templates import docx_files as files
from tests.helpers import complete_data, new_document
from workflow.models import Document

pytestmark = pytest.mark.skipif(files.soffice() is None, reason="LibreOffice is not installed")

TYPES = list(ORDER)
RICH_TEXT = "Habari — “nukuu” ‘moja’ café Ñandú 😀\nmstari wa pili\tna tab\n\nmstari wa nne"


def rich_data(key: str) -> dict[str, Any]:
    data = complete_data(key, rows=3)
    definition = get_type(key)
    for item in definition.items():
        if getattr(item, "kind", None) == "long_text":
            data[item.key] = RICH_TEXT
    return data


@pytest.fixture(scope="module")
def filled_by_script() -> dict[str, tuple[bytes, dict[str, Any]]]:
    return {
        key: files.fill_like_a_person(build_template(get_type(key)), get_type(key)) for key in TYPES
    }


@pytest.fixture(scope="module")
def saved_by_libreoffice(filled_by_script) -> dict[str, bytes]:
    """Every filled file and every export, opened and saved again by LibreOffice (one run)."""
    inputs = {f"filled-{key}.docx": content for key, (content, _) in filled_by_script.items()}
    info = ExportInfo(title="Hati ya majaribio", institution=T("Wizara ya Afya", "MoH"))
    for key in TYPES:
        inputs[f"export-{key}.docx"] = build_document(get_type(key), rich_data(key), info)
    return files.libreoffice_convert(inputs, "docx:MS Word 2007 XML")


@pytest.fixture(scope="module")
def templates_made_by_libreoffice() -> dict[str, bytes]:
    """Each template taken through OpenDocument and back: LibreOffice wrote every byte."""
    odt = files.libreoffice_convert(
        {f"{key}.docx": build_template(get_type(key)) for key in TYPES}, "odt"
    )
    docx_again = files.libreoffice_convert(
        {
            f"{key}.odt": content
            for key, content in ((k.removesuffix(".docx"), v) for k, v in odt.items())
        },
        "docx:MS Word 2007 XML",
    )
    return {name.removesuffix(".odt"): content for name, content in docx_again.items()}


def strict(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("key", TYPES)
def test_a_file_filled_in_by_a_person_and_saved_by_libreoffice_imports_exactly(
    key, filled_by_script, saved_by_libreoffice
):
    _content, expected = filled_by_script[key]
    saved = saved_by_libreoffice[f"filled-{key}.docx"]
    assert b"LibreOffice" in files.entries(saved)["docProps/app.xml"]
    assert strict(read_docx(get_type(key), saved).to_data()) == strict(expected)


@pytest.mark.parametrize("key", TYPES)
def test_an_export_saved_by_libreoffice_imports_exactly(key, saved_by_libreoffice):
    data = rich_data(key)
    saved = saved_by_libreoffice[f"export-{key}.docx"]
    form = read_docx(get_type(key), saved)
    assert strict(form.to_data()) == strict(data)
    assert strict(form.to_data(current=data)) == strict(data)


@pytest.mark.parametrize("key", TYPES)
def test_a_template_written_by_libreoffice_can_be_filled_and_imported(
    key, templates_made_by_libreoffice
):
    definition = get_type(key)
    template = templates_made_by_libreoffice[key]
    assert b"LibreOffice" in files.entries(template)["docProps/app.xml"]
    assert read_docx(definition, template).to_data() == {}
    content, expected = files.fill_like_a_person(template, definition)
    assert strict(read_docx(definition, content).to_data()) == strict(expected)


@pytest.mark.django_db
def test_a_libreoffice_file_goes_through_the_api(world, filled_by_script, saved_by_libreoffice):
    document = new_document(world, "terms_of_reference")
    response = world.client(world.officer).post(
        f"/api/v1/documents/{document.pk}/import-docx/",
        {
            "file": SimpleUploadedFile(
                "hadidu.docx",
                saved_by_libreoffice["filled-terms_of_reference.docx"],
                content_type=DOCX_CONTENT_TYPE,
            )
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    expected = filled_by_script["terms_of_reference"][1]
    assert Document.objects.get(pk=document.pk).data == expected

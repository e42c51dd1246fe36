"""The guard in front of python-docx: hostile and broken files are refused from the zip
directory or while streaming, never inflated and never parsed with entities."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.utils import translation

from forms_templates.docx import FileTooLarge, UnsafeFile, ZipLimits, build_template, inspect_docx
from forms_templates.docx.safety import check_size
from forms_templates.registry import get_type
from tests.forms_templates import docx_files as files

LIMIT = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template(get_type("concept_note"))


@pytest.fixture(scope="module")
def bomb(template) -> bytes:
    return files.zip_bomb(template, megabytes=300)


def refused(content: bytes, *, limits: ZipLimits | None = None) -> tuple[UnsafeFile, float, int]:
    """The refusal, the seconds it took and the peak memory it needed."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with translation.override("en"), pytest.raises(UnsafeFile) as caught:
            if limits is None:
                inspect_docx(content, max_bytes=LIMIT)
            else:
                inspect_docx(content, max_bytes=LIMIT, limits=limits)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return caught.value, seconds, peak


def test_every_template_passes_the_guard(template):
    for key in ("concept_note", "email_account_request"):
        inspection = inspect_docx(build_template(get_type(key)), max_bytes=LIMIT)
        assert inspection.main_part == "word/document.xml"
        assert inspection.xml_elements > 100


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"Habari, hii si hati ya Word." * 20, "not_docx", "not a Word document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_docx", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "not_docx", ".doc"),
        (b"", "not_docx", "not a Word document"),
    ],
)
def test_a_file_that_is_not_word_is_refused_by_what_it_is(content, code, words):
    error, _seconds, _peak = refused(content)
    assert error.code == code
    assert words in error.message


def test_a_broken_zip_is_damaged(template):
    error, _seconds, _peak = refused(template[: len(template) // 2])
    assert error.code == "damaged"
    assert "damaged" in error.message


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(bomb):
    assert len(bomb) < 1024 * 1024  # a small file ...
    error, seconds, peak = refused(bomb)  # ... that would inflate to 300 MB
    assert error.code == "zip_bomb"
    assert "300.0 MB" in error.message
    assert seconds < 1
    assert peak < 8 * 1024 * 1024


def test_a_bomb_that_lies_about_its_size_is_cut_at_the_declared_size(template):
    bomb = files.lying_zip_bomb(template, megabytes=200)
    error, seconds, peak = refused(bomb)
    assert error.code == "damaged"  # the CRC does not match once 1,000 bytes were read
    assert seconds < 1
    assert peak < 8 * 1024 * 1024


def test_three_million_paragraphs_are_refused_before_anything_counts_them():
    content = files.paragraphs_bomb(3_000_000)
    assert len(content) < 100 * 1024
    error, seconds, _peak = refused(content)
    assert error.code == "zip_bomb"
    assert seconds < 1


def test_too_many_xml_elements_or_too_deep_nesting_stop_the_parse(template):
    error, _seconds, _peak = refused(template, limits=ZipLimits(max_xml_elements=500))
    assert error.code == "zip_bomb"
    error, _seconds, _peak = refused(template, limits=ZipLimits(max_xml_depth=5))
    assert error.code == "zip_bomb"


def test_too_many_entries_are_refused(template):
    error, _seconds, _peak = refused(files.with_many_entries(template, 1100))
    assert error.code == "zip_bomb"
    assert "too many parts" in error.message


@pytest.mark.parametrize("name", ["../../etc/cron.d/owned", "/etc/passwd", "word\\..\\x.xml"])
def test_a_part_name_that_leaves_the_package_is_refused(template, name):
    error, _seconds, _peak = refused(files.with_extra_entry(template, name))
    assert error.code == "unsafe_name"


def test_an_encrypted_entry_is_refused(template):
    error, _seconds, _peak = refused(files.with_encrypted_entry(template))
    assert error.code == "encrypted"


@pytest.mark.parametrize("make", [files.as_docm, files.with_macro_part_only])
def test_a_macro_enabled_file_is_refused(template, make):
    error, _seconds, _peak = refused(make(template))
    assert error.code == "macro"
    assert ".docm" in error.message


def test_a_file_that_links_outside_itself_is_refused_but_a_hyperlink_is_fine(template):
    error, _seconds, _peak = refused(files.with_external_template(template))
    assert error.code == "external_reference"
    assert "attacker.example" in error.message
    inspect_docx(files.with_external_hyperlink(template), max_bytes=LIMIT)


@pytest.mark.parametrize("make", [files.with_entity_expansion, files.with_external_entity])
def test_xml_with_a_dtd_or_entities_is_refused_unexpanded(template, make):
    error, seconds, peak = refused(make(template))
    assert error.code == "unsafe_xml"
    assert seconds < 1
    assert peak < 8 * 1024 * 1024


def test_a_spreadsheet_dressed_as_a_zip_is_not_a_word_document(template):
    error, _seconds, _peak = refused(files.spreadsheet(template))
    assert error.code == "not_docx"
    assert "spreadsheetml" in error.message


def test_the_size_check_names_the_limit():
    check_size(LIMIT, LIMIT)
    with translation.override("en"), pytest.raises(FileTooLarge) as caught:
        check_size(LIMIT + 1, LIMIT)
    assert caught.value.code == "too_large"
    assert "10.0 MB" in caught.value.message

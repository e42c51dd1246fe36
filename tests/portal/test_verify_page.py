"""The public verification page as a citizen or a clerk meets it (issue 10): the verdict on the
file they hold is the first and only thing at the top, nothing green unless that very file was
checked and is genuine, and a code from a paper copy can be typed at /verify/."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from approvals.models import SealedPdf
from tests.approvals.pdf_support import approve
from tests.forms_templates.print_support import changed_byte
from tests.portal.conftest import CHROMIUM

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")


@pytest.fixture
def sealed(world, django_capture_on_commit_callbacks) -> SealedPdf:
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    return SealedPdf.objects.select_related("document").get(document_id=document_id, lang="sw")


def top(html: str) -> str:
    """What comes before the upload form: the heading and the verdict."""
    return html.split('id="check-form"')[0]


def post(code: str, content: bytes, name: str = "hati.pdf"):
    return Client().post(f"/verify/{code}/", {"file": SimpleUploadedFile(name, content)})


def test_a_changed_file_is_red_at_the_top_and_nothing_on_the_page_is_green(sealed):
    code = sealed.document.verification_code
    page = post(code, changed_byte(sealed.file.read()))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Faili hili SI halali" in top(html) and "NOT genuine" in top(html)
    assert "bad-verdict" in top(html)
    # Nothing green anywhere: no genuine verdict, no tick, no green status badge.
    for green in ("good-verdict", "✔", 'class="ok"', "status approved", "Hati halali"):
        assert green not in html, green
    # The record is still there, below, under what the agency issued.
    record = html.split("Kilichotolewa na Mamlaka chini ya namba hii")[1]
    assert sealed.document.reference in record


def test_the_genuine_file_is_green_and_says_what_was_checked(sealed):
    page = post(sealed.document.verification_code, sealed.file.read())

    verdict = top(page.content.decode())
    assert "good-verdict" in verdict and "Faili ni halali" in verdict
    assert "baiti kwa baiti" in verdict and "Byte-for-byte identical" in verdict
    assert "Muhuri wa kidijitali wa Mamlaka unathibitika" in verdict
    assert sealed.sha256 in verdict


def test_a_file_that_is_no_pdf_is_unknown_not_genuine_and_not_forged(sealed):
    page = post(sealed.document.verification_code, b"hello", name="hati.txt")

    verdict = top(page.content.decode())
    assert page.status_code == 400
    assert "unknown-verdict" in verdict and "halikuweza kuhakikiwa" in verdict
    assert "good-verdict" not in verdict and "SI halali" not in verdict


def test_the_form_lands_the_reader_on_the_verdict(sealed):
    html = Client().get(f"/verify/{sealed.document.verification_code}/").content.decode()
    assert 'action="#verdict"' in html
    assert html.index('id="verdict"') < html.index('id="check-form"') < html.index('id="document"')


def test_a_code_typed_from_paper_is_found_in_any_case_with_or_without_dashes(sealed):
    code = sealed.document.verification_code
    start = Client().get("/verify/")
    assert start.status_code == 200
    assert 'name="code"' in start.content.decode()
    for typed in (code, code.lower(), code.replace("-", ""), f"  {code.replace('-', ' ')} "):
        found = Client().get("/verify/", {"code": typed})
        assert found.status_code == 302, typed
        assert found["Location"] == f"/verify/{code}/", typed
    # The code page itself takes a code as typed, and shows it as printed.
    loose = Client().get(f"/verify/{code.lower().replace('-', '')}/")
    assert loose.status_code == 302 and loose["Location"] == f"/verify/{code}/"


def test_a_code_that_cannot_be_one_is_a_400_saying_so(db):
    page = Client().get("/verify/", {"code": "12-34"})
    html = page.content.decode()
    assert page.status_code == 400
    assert (
        "Hii haiwezi kuwa namba ya uhakiki" in html and "This cannot be a verification code" in html
    )
    assert 'value="12-34"' in html


def test_an_unknown_code_offers_the_code_form_again(db):
    page = Client().get("/verify/ABCD-EFGH-JKLM-NPQR/")
    assert page.status_code == 404
    assert 'id="code-form"' in page.content.decode()


# --- In Chromium on a phone ---------------------------------------------------------------

browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


@pytest.fixture
def sealed_live(live_server, world, dev_seal) -> SealedPdf:
    # Sealed before Playwright starts its event loop in this thread (pyHanko starts its own).
    return SealedPdf.objects.select_related("document").get(document_id=approve(world), lang="sw")


@browser_only
@pytest.mark.parametrize(
    ("which", "verdict_class", "words"),
    [
        ("genuine", "good-verdict", "Faili ni halali"),
        ("changed", "bad-verdict", "Faili hili SI halali"),
        ("not a pdf", "unknown-verdict", "Faili halikuweza kuhakikiwa"),
    ],
)
def test_each_verdict_on_a_phone_is_what_the_reader_sees_first(
    live_server, sealed_live, chromium, tmp_path, which, verdict_class, words
):
    pdf = sealed_live.file.read()
    content = {"genuine": pdf, "changed": changed_byte(pdf), "not a pdf": b"hello"}[which]
    context = chromium.new_context(
        java_script_enabled=False, locale="sw-TZ", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/verify/{sealed_live.document.verification_code}/")
        page.set_input_files(
            "#file",
            files=[{"name": "hati.pdf", "mimeType": "application/pdf", "buffer": content}],
        )
        page.click("#check-form button")
        page.wait_for_load_state()
        verdict = page.locator("#verdict")
        assert verdict_class in verdict.get_attribute("class")
        assert words in verdict.inner_text()
        # The page landed on the verdict, and the verdict is inside the first screen.
        box = verdict.bounding_box()
        assert box is not None and 0 <= box["y"] < 844 and box["y"] + box["height"] <= 844
        assert page.url.endswith("#verdict")
        if which != "genuine":
            assert page.locator(".good-verdict, .ok").count() == 0
        page.screenshot(path=str(tmp_path / f"verify-{which}.png"), full_page=False)
    finally:
        context.close()

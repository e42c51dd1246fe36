"""htmx on the browser pages: with the ``HX-Request`` header a page answers with just the part
that changes (the list under the filters, one table of the edit form), without it with the whole
page — the same URL, the same parameters, the same checks. The real browser runs are in
test_web_browser.py."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import act, ok
from tests.portal.test_web_pages import make_documents, queries_for
from tests.portal.web_helpers import (
    api_document,
    awaiting_signatures,
    browser,
    form_body,
    stored,
    submitted,
)
from workflow.models import Status

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
VENDOR = Path(settings.BASE_DIR) / "config" / "static" / "vendor" / "htmx"


def text(response) -> str:
    return response.content.decode()


def varies_on_htmx(response) -> bool:
    return "HX-Request" in [v.strip() for v in response.get("Vary", "").split(",")]


def listed(page: str, *document_ids: str) -> set[str]:
    return {d for d in document_ids if f"/documents/{d}/" in page}


# --- The review queue --------------------------------------------------------------------------


def test_the_queue_filter_answers_htmx_with_only_the_list(world):
    waiting = submitted(world)
    mine = submitted(world)
    ok(act(world, world.reviewer, mine, "claim"))
    client = browser(world.reviewer)

    part = client.get("/?assignee=none", **HTMX)
    assert part.status_code == 200 and varies_on_htmx(part)
    body = text(part).strip()
    assert body.startswith('<div id="queue-results" class="results">')
    assert "<html" not in body and "<h1>" not in body and 'class="filters"' not in body
    assert listed(body, waiting, mine) == {waiting}
    # The list's own forms still carry their token.
    assert f'action="/documents/{waiting}/actions/claim/"' in body
    assert 'name="csrfmiddlewaretoken"' in body

    page = client.get("/?assignee=none")
    assert page.status_code == 200 and varies_on_htmx(page)
    full = text(page)
    assert "<html" in full and "<h1>Foleni ya uhakiki</h1>" in full
    assert '<option value="none" selected>' in full
    assert listed(full, waiting, mine) == {waiting}
    # The filter form asks for the list alone, the list is where it goes.
    form = full.split('<form method="get" class="filters"', 1)[1].split(">", 1)[0]
    assert 'hx-get="/"' in form and 'hx-target="#queue-results"' in form
    assert 'hx-push-url="true"' in form
    assert '<div id="queue-results" class="results">' in full


def test_queue_pages_answer_htmx_with_only_the_list_and_link_to_their_neighbours(world):
    make_documents(world, 30, Status.SUBMITTED)
    client = browser(world.reviewer)
    full = text(client.get("/?type=email_account_request"))
    assert 'href="?type=email_account_request&amp;page=2"' in full
    assert 'hx-get="/?type=email_account_request&amp;page=2"' in full

    part = client.get("/?type=email_account_request&page=2", **HTMX)
    body = text(part)
    assert part.status_code == 200 and varies_on_htmx(part)
    assert "<html" not in body
    assert body.count('actions/claim/"') == 5
    assert "Ukurasa 2 kati ya 2" in body
    assert 'hx-get="/?type=email_account_request&amp;page=1"' in body
    assert 'hx-get="/?type=email_account_request&amp;page=3"' not in body


def test_a_refused_filter_shows_its_message_in_the_list_and_not_on_the_next_page(world):
    client = browser(world.reviewer)
    part = client.get("/?status=draft", **HTMX)
    assert part.status_code == 400
    body = text(part)
    assert "<html" not in body and 'class="messages"' in body
    assert "Foleni ina hati zilizowasilishwa" in body
    assert "Foleni ina hati zilizowasilishwa" not in text(client.get("/"))


def test_a_history_restore_gets_the_whole_page(world):
    page = browser(world.reviewer).get(
        "/?assignee=none", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert page.status_code == 200 and "<html" in text(page)


def test_the_queue_list_alone_costs_fewer_queries_than_the_page(world):
    make_documents(world, 10, Status.SUBMITTED)
    client = browser(world.reviewer)
    client.get("/")
    whole = queries_for(client, "/")
    client.defaults.update(HTMX)
    part = queries_for(client, "/")
    assert len(part) < len(whole)


# --- The institution's dashboard ---------------------------------------------------------------


def test_the_dashboard_filter_answers_htmx_with_only_the_document_list(world):
    draft = api_document(world, title="Ombi la rasimu")
    sent = awaiting_signatures(world)
    client = browser(world.officer)

    part = client.get("/?status=awaiting_signatures", **HTMX)
    assert part.status_code == 200 and varies_on_htmx(part)
    body = text(part).strip()
    assert body.startswith('<div id="document-results" class="results">')
    assert listed(body, draft, sent) == {sent}
    # Not the inbox, the projects or the forms of the page around it.
    assert 'id="inbox"' not in body and 'action="/projects/new/"' not in body
    assert "<html" not in body

    page = client.get("/?status=awaiting_signatures")
    full = text(page)
    assert varies_on_htmx(page)
    assert 'id="inbox"' in full and 'action="/projects/new/"' in full
    assert '<div id="document-results" class="results">' in full
    assert 'hx-target="#document-results"' in full
    assert listed(full.split('id="documents"', 1)[1].split("</section>", 1)[0], draft, sent) == {
        sent
    }


# --- The edit form's "More rows" ---------------------------------------------------------------


def more_rows_body(**values: str) -> dict[str, str]:
    body = form_body(
        "concept_note",
        {"objectives": "Malengo yaliyoandikwa"},
        title="Dhana",
        blank_rows=3,
        more_rows="risks",
    )
    body.update(values)
    return body


def test_more_rows_answers_htmx_with_only_that_table_and_the_values_typed_in_it(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    before = stored(document_id)
    client = browser(world.officer)
    body = more_rows_body(**{"risks-0-risk": "Umeme kukatika", "risks-2-mitigation": "Jenereta"})

    part = client.post(f"/documents/{document_id}/edit/", body, **HTMX)
    assert part.status_code == 200 and varies_on_htmx(part)
    fragment = text(part).strip()
    assert fragment.startswith('<div class="table-field" id="field-risks">')
    assert fragment.count('class="table-field"') == 1
    assert 'name="risks-rows" value="6"' in fragment and 'name="risks-5-risk"' in fragment
    assert 'value="Umeme kukatika"' in fragment and "Jenereta" in fragment
    # Only this table: the rest of the form stays in the page as the person left it.
    assert "Malengo yaliyoandikwa" not in fragment and "milestones-" not in fragment
    assert "<html" not in fragment and "<form" not in fragment
    # The button asks for the same again, to the same URL, and replaces this table.
    assert f'hx-post="/documents/{document_id}/edit/"' in fragment
    assert 'hx-target="#field-risks"' in fragment and 'hx-swap="outerHTML"' in fragment

    page = client.post(f"/documents/{document_id}/edit/", body)
    full = text(page)
    assert page.status_code == 200 and varies_on_htmx(page)
    assert "<html" in full and "Malengo yaliyoandikwa</textarea>" in full
    assert 'name="risks-rows" value="6"' in full and 'value="Umeme kukatika"' in full
    assert 'name="milestones-rows" value="3"' in full

    after = stored(document_id)
    assert after.data == before.data == {} and after.updated_at == before.updated_at


def test_saving_through_htmx_is_still_a_save_and_a_full_navigation(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    body = more_rows_body(then="view")
    del body["more_rows"]
    response = browser(world.officer).post(f"/documents/{document_id}/edit/", body, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == f"/documents/{document_id}/"
    assert stored(document_id).data == {"objectives": "Malengo yaliyoandikwa"}


def test_an_htmx_request_that_is_redirected_becomes_a_full_navigation(world):
    # Signed out meanwhile: the login page, as a page, not inside the list.
    response = browser().get("/?type=concept_note", **HTMX)
    assert response.status_code == 204 and varies_on_htmx(response)
    assert response["HX-Redirect"] == "/accounts/login/?next=/%3Ftype%3Dconcept_note"
    assert browser().get("/", **HTMX).content == b""
    # Sent for signature meanwhile: "More rows" leads to the document page, and saves nothing.
    document_id = awaiting_signatures(world)
    before = stored(document_id)
    response = browser(world.officer).post(
        f"/documents/{document_id}/edit/", more_rows_body(), **HTMX
    )
    assert response.status_code == 204 and response["HX-Redirect"] == f"/documents/{document_id}/"
    after = stored(document_id)
    assert (after.data, after.version) == (before.data, before.version)
    # Without htmx, the same redirect as always.
    assert browser().get("/").status_code == 302


def test_more_rows_through_htmx_needs_the_csrf_token_the_form_carries(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    client.handler.enforce_csrf_checks = True
    page = text(client.get(f"/documents/{document_id}/edit/?all=1"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    url = f"/documents/{document_id}/edit/"
    assert client.post(url, more_rows_body(), **HTMX).status_code == 403
    part = client.post(url, more_rows_body(csrfmiddlewaretoken=token), **HTMX)
    assert part.status_code == 200 and 'name="risks-rows" value="6"' in text(part)
    # The button sits inside the form whose token htmx sends with it.
    form = page.split('class="document-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form and 'hx-post="' in form


# --- The vendored file -------------------------------------------------------------------------


def test_htmx_comes_from_our_own_static_files_deferred_and_small(world):
    page = text(browser(world.officer).get("/"))
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == [
        '<script defer src="/static/vendor/htmx/htmx.min.js">',
        '<script defer src="/static/idhini/htmx-errors.js">',
    ]
    assert "</script>" in page and re.search(r"<script[^>]*>\s*\S[^<]*</script>", page) is None
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)[1]
    for setting in (
        '"allowEval":false',
        '"includeIndicatorStyles":false',
        '"historyCacheSize":0',
        '"selfRequestsOnly":true',
        # Only the parts views answer on purpose are swapped; other refusals reload the page.
        '{"code":"40[09]","swap":true,"error":true},{"code":"...","swap":false,"error":true}',
    ):
        assert setting in config
    reloads = browser().get("/static/idhini/htmx-errors.js")
    assert b"window.location.reload()" in b"".join(reloads.streaming_content)
    script = (VENDOR / "htmx.min.js").read_bytes()
    assert b'version:"2.0.11"' in script
    assert len(gzip.compress(script, 9)) < 18_000
    assert "Zero-Clause BSD" in (VENDOR / "LICENSE").read_text()
    assert "2.0.11" in (VENDOR / "README.md").read_text()
    served = browser().get("/static/vendor/htmx/htmx.min.js")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == script


def test_the_public_verification_page_loads_no_script(world):
    page = text(browser().get("/verify/NO-SUCH-CODE/"))
    assert "<script" not in page and "htmx-config" not in page

"""What changed, in the pages: the comparison page for any two versions, the document page's
"what changed since version N", the history's edited fields, for the author, the signatory
signing again and the reviewer reading a resubmission. The diff is the API's own."""

from __future__ import annotations

import re

import pytest

from tests.helpers import PASSWORD, act, drive, new_document, ok
from tests.portal.web_helpers import browser
from workflow.models import Document
from workflow.services import document_update

pytestmark = pytest.mark.django_db

RISKS_V1 = [
    {"risk": "Kukatika kwa umeme", "likelihood": "high", "mitigation": "Jenereta ya akiba"},
    {"risk": "Mtandao kukosekana", "likelihood": "medium", "mitigation": "Laini mbili"},
    {"risk": "Wizi wa vifaa", "likelihood": "low", "mitigation": "Walinzi"},
]
# Row 1 unchanged, row 2 changed (a word and a choice), row 3 removed, a new row added.
RISKS_V2 = [
    RISKS_V1[0],
    {"risk": "Mtandao kukosekana", "likelihood": "high", "mitigation": "Laini tatu za mtandao"},
    {"risk": "Moto kwenye chumba cha seva", "likelihood": "low", "mitigation": "Vizima moto"},
]


def _returned_and_edited(world) -> Document:
    """A concept note signed, submitted, returned by the reviewer, and edited (version 2)."""
    document = new_document(world)
    document_update(document_id=document.pk, by=world.officer, data={"risks": RISKS_V1})
    drive(world, document, "changes_requested")
    document_update(document_id=document.pk, by=world.officer, data={"risks": RISKS_V2})
    return Document.objects.get(pk=document.pk)


def _rows(html: str) -> list[str]:
    """The comparison table's rows, as text with the tags' kinds kept (ins/del)."""
    table = re.search(r'<table class="list data changes">(.*?)</table>', html, re.S)
    assert table, "no comparison table"
    rows = re.findall(r"<tr class=\"change-(\w+)\">(.*?)</tr>", table.group(1), re.S)
    return [
        (kind, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()) for kind, body in rows
    ]


def _api_diff(world, user, document_id, a, b) -> list[dict]:
    url = f"/api/v1/documents/{document_id}/versions/{a}/diff/{b}/"
    return ok(world.client(user).get(url))["changes"]


def test_the_comparison_page_shows_the_api_diff_row_by_row_with_words_marked(world):
    document = _returned_and_edited(world)
    api = _api_diff(world, world.reviewer, document.pk, 1, 2)
    assert [(c["field"], c["kind"]) for c in api] == [
        ("risks[2].likelihood", "changed"),
        ("risks[2].mitigation", "changed"),
        ("risks[3].risk", "changed"),
        ("risks[3].mitigation", "changed"),
    ]

    response = browser(world.reviewer, "en").get(
        f"/documents/{document.pk}/changes/", {"from": "1", "to": "2"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html)
    assert len(rows) == len(api)
    assert [kind for kind, _ in rows] == [c["kind"] for c in api]
    assert rows[0] == ("changed", "Risks, row 2, Likelihood Changed Medium High")
    # Changed words: the old word deleted, the new ones inserted, each labelled for a screen
    # reader (not by colour alone).
    assert '<del><span class="visually-hidden">[removed: </span>mbili' in html
    assert '<ins><span class="visually-hidden">[added: </span>tatu' in html
    assert re.search(r'<a href="/documents/[^"]+/#answer-risks">Risks</a>', html)


def test_rows_added_and_removed_show_their_cells(world):
    document = new_document(world)
    document_update(document_id=document.pk, by=world.officer, data={"risks": RISKS_V1})
    drive(world, document, "changes_requested")
    added = {"risk": "Moto", "likelihood": "low", "mitigation": "Vizima moto"}
    document_update(
        document_id=document.pk,
        by=world.officer,
        data={"risks": [RISKS_V1[0], added, *RISKS_V1[1:2]]},
    )
    api = _api_diff(world, world.officer, document.pk, 1, 2)
    assert [(c["field"], c["kind"]) for c in api] == [
        ("risks[2]", "added"),
        ("risks[3]", "removed"),
    ]
    html = browser(world.officer, "en").get(f"/documents/{document.pk}/changes/?from=1&to=2")
    rows = _rows(html.content.decode())
    assert [kind for kind, _ in rows] == ["added", "removed"]
    assert (
        rows[0][1]
        == "Risks, row 2 Added Not answered Risk Moto Likelihood Low Mitigation Vizima moto"
    )
    assert "Wizi wa vifaa" in rows[1][1] and rows[1][1].endswith("Not answered")


def test_a_version_the_document_does_not_have_is_a_404_naming_its_versions(world):
    document = _returned_and_edited(world)
    client = browser(world.officer)
    for wanted in ({"from": "7", "to": "2"}, {"from": "abc", "to": "1"}):
        response = client.get(f"/documents/{document.pk}/changes/", wanted)
        assert response.status_code == 404
        assert 'id="error-summary"' in response.content.decode()
    english = browser(world.officer, "en").get(f"/documents/{document.pk}/changes/?from=7&to=2")
    assert "its versions are 1 to 2" in english.content.decode()


def test_an_outsider_cannot_compare_versions(world):
    document = _returned_and_edited(world)
    response = browser(world.officer_moe).get(f"/documents/{document.pk}/changes/?from=1&to=2")
    assert response.status_code == 404


def test_the_reviewer_of_a_resubmission_sees_what_changed_since_their_review(world):
    document = _returned_and_edited(world)
    drive(world, document, "submitted")
    html = browser(world.reviewer, "en").get(f"/documents/{document.pk}/").content.decode()
    assert 'id="decision-panel"' in html  # the review page
    panel = re.search(r'<section class="card changes-panel".*?</section>', html, re.S)
    assert panel and "What changed since version 1" in panel.group(0)
    assert '<a href="#answer-risks">Risks</a>' in panel.group(0)
    # Before the answers, and each edit in the history names what it changed.
    assert html.index('id="changes-since"') < html.index('id="answer-risks"')
    history = re.search(r'<section class="card" id="history".*?</section>', html, re.S).group(0)
    assert 'Answers changed: <a href="#answer-risks">Risks</a>' in history


def test_the_signatory_signing_again_sees_exactly_the_changed_fields_first(world):
    document = new_document(world)
    drive(world, document, "changes_requested")
    document_update(
        document_id=document.pk,
        by=world.officer,
        data={"problem_statement": "Tatizo jipya kabisa"},
        title="Dhana mpya",
    )
    ok(act(world, world.officer, document.pk, "request-signatures"))
    ok(act(world, world.officer, document.pk, "sign", {"password": PASSWORD}))
    html = browser(world.ict_head, "en").get(f"/documents/{document.pk}/").content.decode()
    panel = re.search(r'<section class="card changes-panel".*?</section>', html, re.S).group(0)
    fields = re.search(r'<ul class="changed-fields">(.*?)</ul>', panel, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", fields) == ["Title", "Problem statement"]
    # The summary and what changed come before the declaration and the password.
    assert html.index('id="summary"') < html.index('id="changes-since"') < html.index('id="sign"')


def test_the_history_names_the_fields_each_edit_changed(world):
    document = _returned_and_edited(world)
    html = browser(world.officer, "en").get(f"/documents/{document.pk}/").content.decode()
    history = re.search(r'<section class="card" id="history".*?</section>', html, re.S).group(0)
    assert 'Answers changed: <a href="#answer-risks">Risks</a>' in history
    assert "compare version 1 with 2" in history


def test_a_first_version_has_no_changes_panel(world):
    document = new_document(world)
    html = browser(world.officer).get(f"/documents/{document.pk}/").content.decode()
    assert 'id="changes-since"' not in html

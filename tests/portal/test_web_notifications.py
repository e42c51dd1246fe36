"""The notifications page and the header's count: a person's own notifications in the language
they read the pages in, marked read by POST (in place with htmx), opened by POST, and the
language of their e-mails. What the header's count costs every page is pinned here too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone, translation

from notifications.messages import compose
from notifications.models import Notification, Preference
from portal.dates import when
from tests.helpers import (
    PASSWORD,
    act,
    create_project,
    ok,
    returned_for_changes,
)
from tests.portal.test_web_pages import make_documents, queries_for
from tests.portal.web_helpers import awaiting_signatures, browser
from workflow.models import Status

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
UNREAD_TAG = '<span class="tag">Haijasomwa</span>'


def text(response) -> str:
    return response.content.decode()


def headline(note: Notification, language: str = "sw") -> str:
    with translation.override(language):
        return compose(note.kind, note.payload, note.document_id).headline


def item(page: str, note: Notification) -> str:
    """The HTML of one notification on the page ('' if it is not there)."""
    match = re.search(rf'<li id="notification-{note.pk}".*?</li>', page, re.S)
    return match[0] if match else ""


def header_link(page: str) -> str:
    return re.search(r'<a id="notifications-link".*?</a>', page, re.S)[0]


def the_officers_two(world) -> list[Notification]:
    """A concept note signed by everyone (the author is told), then returned for changes:
    the officer's two notifications, oldest first."""
    return returned_for_changes(world)[1]


def the_supervisors_turn(world) -> Notification:
    """An e-mail account request its servant (the officer) signed: their supervisor's turn
    (ict_head, as tests.helpers.complete_data names them)."""
    document_id = awaiting_signatures(world)
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    return Notification.objects.get(recipient=world.ict_head, document_id=document_id)


def copies(note: Notification, count: int) -> list[Notification]:
    """``count`` more of ``note`` for the same person, one minute apart, the last newest."""
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=note.recipient_id,
            kind=note.kind,
            document_id=note.document_id,
            payload={**note.payload, "title": f"Nakala {index}"},
        )
        for index in range(count)
    )
    start = timezone.now()
    for index, copy in enumerate(created):
        copy.created_at = start + timedelta(minutes=index + 1)
        Notification.objects.filter(pk=copy.pk).update(created_at=copy.created_at)
    return created


def unread(*notes: Notification) -> list[bool]:
    return [Notification.objects.get(pk=note.pk).read_at is None for note in notes]


# --- The list ----------------------------------------------------------------------------------


def test_the_page_lists_the_persons_own_notifications_newest_first_in_swahili(world):
    signed, returned = the_officers_two(world)
    theirs = the_supervisors_turn(world)
    page = text(browser(world.officer).get("/notifications/"))

    assert "<h1>Taarifa</h1>" in page
    assert headline(returned).startswith("Marekebisho yanahitajika: EGA/CN/")
    assert page.index(headline(returned)) < page.index(headline(signed))
    assert headline(theirs) not in page and item(page, theirs) == ""
    first = item(page, returned)
    assert UNREAD_TAG in first and 'class="notification unread"' in first
    assert "Ongeza bajeti" in first  # the reviewer's comment, quoted
    local = timezone.localtime(returned.created_at)
    assert f'<time datetime="{local.isoformat()}">{when(local, "sw")}</time>' in first
    # Opening it is a POST that marks it read; marking it read is another.
    assert f'action="/notifications/{returned.pk}/open/"' in first
    assert f'action="/notifications/{returned.pk}/read/"' in first
    assert first.count('name="csrfmiddlewaretoken"') == 2
    assert "Taarifa 2 hazijasomwa" in page
    assert 'action="/notifications/read-all/"' in page

    # The supervisor sees theirs alone.
    other = text(browser(world.ict_head).get("/notifications/"))
    assert item(other, theirs) and not item(other, signed) and not item(other, returned)
    assert headline(theirs).startswith("Sahihi yako inahitajika: ")
    assert headline(theirs) in other


def test_the_page_is_for_signed_in_people_and_is_a_get(world):
    response = browser().get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"
    assert browser(world.officer).post("/notifications/").status_code == 405
    assert "Huna taarifa zozote." in text(browser(world.reviewer2).get("/notifications/"))


def test_the_list_is_paginated_newest_first(world):
    signed, _returned = the_officers_two(world)
    made = copies(signed, 29)  # 31 in all
    client = browser(world.officer)
    first = text(client.get("/notifications/"))
    assert first.count('<li id="notification-') == 25
    assert first.index(f'id="notification-{made[-1].pk}"') < first.index(
        f'id="notification-{made[-2].pk}"'
    )
    assert "Ukurasa 1 kati ya 2" in first and 'href="?page=2"' in first
    second = text(client.get("/notifications/?page=2"))
    assert second.count('<li id="notification-') == 6
    assert item(second, signed) and not item(first, signed)
    # A form on page 2 goes back to page 2.
    assert 'name="page" value="2"' in item(second, signed)


# --- Marking read -------------------------------------------------------------------------------


def test_marking_one_read_sets_its_time_and_goes_back_to_the_page(world):
    signed, returned = the_officers_two(world)
    client = browser(world.officer)
    response = client.post(f"/notifications/{signed.pk}/read/", {"page": "2"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=2"
    assert unread(signed, returned) == [False, True]
    read_at = Notification.objects.get(pk=signed.pk).read_at
    # Again: nothing changes, not even the time.
    client.post(f"/notifications/{signed.pk}/read/")
    assert Notification.objects.get(pk=signed.pk).read_at == read_at

    page = text(client.get("/notifications/"))
    was_read = item(page, signed)
    assert UNREAD_TAG not in was_read and 'class="notification"' in was_read
    assert "/read/" not in was_read and "/open/" not in was_read
    assert f'href="/documents/{signed.document_id}/"' in was_read
    assert f"imesomwa {when(read_at, 'sw')}" in was_read
    assert UNREAD_TAG in item(page, returned)
    assert "Taarifa 1 haijasomwa" in page


def test_a_bad_page_number_goes_back_to_the_first_page(world):
    signed, _returned = the_officers_two(world)
    client = browser(world.officer)
    for page in ("-3x", "²", "0", "-2", "100000", ""):
        response = client.post(f"/notifications/{signed.pk}/read/", {"page": page})
        assert response["Location"] == "/notifications/", page


def test_marking_all_read_marks_the_callers_own_and_no_one_elses(world):
    signed, returned = the_officers_two(world)
    theirs = the_supervisors_turn(world)
    client = browser(world.officer)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert unread(signed, returned, theirs) == [False, False, True]
    page = text(client.get("/notifications/"))
    assert "Taarifa 2 zimewekwa kuwa zimesomwa." in page
    assert UNREAD_TAG not in page and 'action="/notifications/read-all/"' not in page
    assert "Taarifa 0 hazijasomwa" in page


def test_someone_elses_notification_is_not_found_and_stays_unread(world):
    signed, _returned = the_officers_two(world)
    client = browser(world.accounting_officer)
    for url in (f"/notifications/{signed.pk}/read/", f"/notifications/{signed.pk}/open/"):
        assert client.post(url).status_code == 404, url
        assert client.post(url, **HTMX).status_code == 404, url
    assert client.post("/notifications/999999/read/").status_code == 404
    assert unread(signed) == [True]


def test_marking_read_needs_a_post_and_the_csrf_token(world):
    signed, _returned = the_officers_two(world)
    client = browser(world.officer)
    client.handler.enforce_csrf_checks = True
    for url in (
        f"/notifications/{signed.pk}/read/",
        f"/notifications/{signed.pk}/open/",
        "/notifications/read-all/",
    ):
        assert client.get(url).status_code == 405, url
        refused = client.post(url)
        assert refused.status_code == 403, url
    assert unread(signed) == [True]
    # Our page for it: in Swahili, nothing inline for the CSP to block.
    assert "Fomu imepitwa na muda" in text(refused) and "<style" not in text(refused)
    assert "style-src 'self';" in refused["Content-Security-Policy"]
    page = text(client.get("/notifications/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    client.post(f"/notifications/{signed.pk}/read/", {"csrfmiddlewaretoken": token})
    assert unread(signed) == [False]


# --- Opening the document -------------------------------------------------------------------------


def test_opening_the_document_from_a_notification_marks_it_read(world):
    theirs = the_supervisors_turn(world)
    client = browser(world.ict_head)
    # Viewing the document page (a GET) changes nothing: prefetchers and scanners follow GETs.
    assert client.get(f"/documents/{theirs.document_id}/").status_code == 200
    assert unread(theirs) == [True]
    response = client.post(f"/notifications/{theirs.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{theirs.document_id}/"
    assert unread(theirs) == [False]
    page = text(client.get(response["Location"]))
    assert "<h1>Ombi</h1>" in page and header_link(page) == (
        '<a id="notifications-link" href="/notifications/">Taarifa</a>'
    )


# --- htmx: the item or the list swaps in place ------------------------------------------------


def test_marking_one_read_through_htmx_answers_with_that_item_and_the_new_counts(world):
    signed, returned = the_officers_two(world)
    client = browser(world.officer)
    part = client.post(f"/notifications/{returned.pk}/read/", {"page": "1"}, **HTMX)
    assert part.status_code == 200
    assert "HX-Request" in part["Vary"]
    body = text(part).strip()
    assert body.startswith(f'<li id="notification-{returned.pk}" class="notification">')
    assert UNREAD_TAG not in body and headline(returned) in body
    assert f'href="/documents/{returned.document_id}/"' in body
    assert "<html" not in body and item(body, signed) == ""
    # The counts that changed come with it, out of band: the summary and the header's link.
    assert '<div id="notification-summary" class="list-head" hx-swap-oob="true">' in body
    assert "Taarifa 1 haijasomwa" in body
    assert header_link(body) == (
        '<a id="notifications-link" href="/notifications/" hx-swap-oob="true">Taarifa'
        ' <span class="badge">1<span class="visually-hidden"> haijasomwa</span></span></a>'
    )
    assert unread(signed, returned) == [True, False]

    # The page's button asks for exactly that.
    page = text(client.get("/notifications/"))
    form = item(page, signed).split(f'action="/notifications/{signed.pk}/read/"', 1)[1]
    form = form.split(">", 1)[0]
    assert f'hx-post="/notifications/{signed.pk}/read/"' in form
    assert f'hx-target="#notification-{signed.pk}"' in form and 'hx-swap="outerHTML"' in form


def test_marking_all_read_through_htmx_answers_with_the_list(world):
    signed, returned = the_officers_two(world)
    client = browser(world.officer)
    part = client.post("/notifications/read-all/", {"page": "1"}, **HTMX)
    assert part.status_code == 200
    body = text(part).strip()
    assert body.startswith('<div id="notification-results" class="results">')
    assert "<html" not in body and "<h1>" not in body
    assert item(body, signed) and item(body, returned) and UNREAD_TAG not in body
    assert "Taarifa 2 zimewekwa kuwa zimesomwa." in body  # the message, in the list
    assert header_link(body) == (
        '<a id="notifications-link" href="/notifications/" hx-swap-oob="true">Taarifa</a>'
    )
    assert unread(signed, returned) == [False, False]
    # The message was shown; the next page does not repeat it.
    assert "zimewekwa kuwa zimesomwa" not in text(client.get("/notifications/"))


def test_the_list_answered_to_mark_all_read_pages_on_the_list_itself(world):
    signed, _returned = the_officers_two(world)
    copies(signed, 29)
    part = text(browser(world.officer).post("/notifications/read-all/", {"page": "1"}, **HTMX))
    assert 'hx-get="/notifications/?page=2"' in part  # not the POST's own address
    assert "read-all/?page" not in part


def test_a_return_for_changes_shows_the_reviewers_comments_on_the_fields(world):
    _signed, returned = the_officers_two(world)
    page = text(browser(world.officer).get("/notifications/"))
    entry = item(page, returned)
    assert "Ongeza bajeti" in entry
    assert "Maoni kuhusu sehemu" in entry and "Kifupi zaidi" in entry


def test_pages_of_the_list_answer_htmx_with_only_the_list(world):
    signed, _returned = the_officers_two(world)
    copies(signed, 29)
    client = browser(world.officer)
    full = text(client.get("/notifications/"))
    assert 'hx-get="/notifications/?page=2"' in full
    assert 'hx-target="#notification-results"' in full
    part = client.get("/notifications/?page=2", **HTMX)
    body = text(part).strip()
    assert part.status_code == 200 and "HX-Request" in part["Vary"]
    assert body.startswith('<div id="notification-results" class="results">')
    assert body.count('<li id="notification-') == 6 and item(body, signed)
    assert "<html" not in body and "email-language" not in body and "hx-swap-oob" not in body


# --- The header's count -------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_on_every_page(world):
    the_officers_two(world)
    client = browser(world.officer)
    badge = '<span class="badge">2<span class="visually-hidden"> hazijasomwa</span></span>'
    for url in ("/", "/projects/", "/notifications/"):
        assert badge in header_link(text(client.get(url))), url
    client.post("/notifications/read-all/")
    assert header_link(text(client.get("/"))) == (
        '<a id="notifications-link" href="/notifications/">Taarifa</a>'
    )
    # Signed out: no link, no count.
    assert "notifications-link" not in text(browser().get("/accounts/login/"))


def unread_count_queries(queries: list[str]) -> list[str]:
    return [sql for sql in queries if "notifications_notification" in sql]


def without_the_count():
    """These settings' templates without the header's count (as before it existed)."""
    templates = [dict(engine) for engine in settings.TEMPLATES]
    options = dict(templates[0]["OPTIONS"])
    options["context_processors"] = [
        name
        for name in options["context_processors"]
        if name != "portal.context_processors.unread_notifications"
    ]
    templates[0]["OPTIONS"] = options
    return override_settings(TEMPLATES=templates)


def test_the_header_count_costs_each_page_one_query_and_a_part_none(world):
    create_project(world)
    make_documents(world, 10, Status.AWAITING_SIGNATURES)
    the_officers_two(world)
    client = browser(world.officer)
    client.get("/")
    with_count = queries_for(client, "/")
    with without_the_count():
        before = queries_for(client, "/")
    assert len(with_count) == len(before) + 1, "\n".join(with_count)
    (count,) = unread_count_queries(with_count)
    assert "COUNT(" in count and '"read_at" IS NULL' in count
    assert unread_count_queries(before) == []
    # The dashboard's pin (tests/portal/test_web_pages.py says at most 12): one more than it was.
    assert (len(before), len(with_count)) == (10, 11)
    # The list under the filters, answered to htmx, has no header: no count.
    client.defaults.update(HTMX)
    assert unread_count_queries(queries_for(client, "/?status=awaiting_signatures")) == []


def test_the_notifications_page_costs_the_same_for_2_and_31_notifications(world):
    signed, _returned = the_officers_two(world)
    client = browser(world.officer)
    client.get("/notifications/")
    two = queries_for(client, "/notifications/")
    copies(signed, 29)
    many = queries_for(client, "/notifications/")
    assert len(two) == len(many), "\n".join(many)
    # The session, the person, the page's count and rows, the unread count (once, for the
    # header and the list's summary), the e-mail language; and the acting-signatory section
    # (approvals.delegation, on this page since issue 11.4): the person's membership and two
    # permission lookups (who may name an acting officer), the delegations, the signatory check.
    assert len(many) == 11, "\n".join(many)
    assert len([sql for sql in many if '"read_at" IS NULL' in sql]) == 1


# --- The e-mail language --------------------------------------------------------------------------


def checked(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="language" value="(\w+)"[^>]*checked', page)


def test_the_email_language_is_swahili_until_the_person_chooses_english(world):
    client = browser(world.officer)
    page = text(client.get("/notifications/"))
    form = page.split('id="email-language"', 1)[1].split("</form>", 1)[0]
    assert "Lugha ya barua pepe zako" in form
    assert "> Kiswahili</label>" in form and "> English</label>" in form
    assert checked(page) == ["sw"]

    response = client.post("/notifications/language/", {"language": "en"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert Preference.objects.get(user=world.officer).language == "en"
    page = text(client.get("/notifications/"))
    assert checked(page) == ["en"]
    assert "Barua pepe zako zitakuwa kwa Kiingereza." in page
    # The pages themselves stay in Swahili: that is the switch at the top.
    assert '<html lang="sw">' in page


def test_an_unknown_email_language_is_refused_and_nothing_changes(world):
    Preference.objects.create(user=world.officer, language="en")
    client = browser(world.officer)
    for body in ({"language": "fr"}, {}, {"language": "sw\x00"}):
        response = client.post("/notifications/language/", body)
        assert response.status_code == 400
        page = text(response)
        assert "Chagua mojawapo ya: sw, en." in page
        assert 'fieldset class="choices has-error"' in page
        assert "<h1>Taarifa</h1>" in page  # the page again, with the form and the list
        assert Preference.objects.get(user=world.officer).language == "en"
    assert Preference.objects.filter(user=world.accounting_officer).count() == 0
    assert client.get("/notifications/language/").status_code == 405


# --- Languages --------------------------------------------------------------------------------


def test_the_page_speaks_english_after_the_language_switch(world):
    _signed, returned = the_officers_two(world)
    client = browser(world.officer)
    assert headline(returned, "sw") in text(client.get("/notifications/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/notifications/"})
    page = text(client.get("/notifications/"))
    assert '<html lang="en">' in page and "<h1>Notifications</h1>" in page
    assert headline(returned, "en").startswith("Changes requested: EGA/CN/")
    assert headline(returned, "en") in page and headline(returned, "sw") not in page
    assert "2 unread notifications" in page and "Language of your e-mails" in page
    assert '<span class="tag">Unread</span>' in page
    assert header_link(page).startswith('<a id="notifications-link" href="/notifications/">')
    assert ">Notifications <span class=" in header_link(page)
    # The e-mail language is the person's own setting, not the page's.
    assert checked(page) == ["sw"]

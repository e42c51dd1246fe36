"""Error pages in the site's look and the person's language; password reset by e-mail and
password change in the site's look; the favicon."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from tests.helpers import PASSWORD
from tests.portal.web_helpers import browser


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [(None, "Ukurasa haupatikani"), ("en", "Page not found")]
)
def test_the_404_page_is_ours_in_the_persons_language(world, language, heading):
    response = browser(world.officer, language=language).get("/documents/not-there/")
    assert response.status_code == 404
    page = text(response)
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/static/portal/web.css"' in page and 'class="site"' in page
    assert "/accounts/logout/" in page  # the header of a signed-in person


@pytest.mark.django_db
def test_the_403_page_is_ours(world, settings):
    # The admin refuses an officer: Django's PermissionDenied, rendered with our 403.html.
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=world.officer.pk)
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Huwezi kufungua ukurasa huu" in text(response)


def test_the_500_page_needs_no_database_and_no_request_context():
    # No django_db mark: any query would fail this test.
    from django.utils import translation

    request = RequestFactory().get("/")
    with translation.override("sw"):
        page = text(server_error(request))
    assert "<h1>Hitilafu imetokea upande wetu</h1>" in page
    assert 'href="/static/portal/web.css"' in page
    with translation.override("en"):
        assert "Something went wrong on our side" in text(server_error(request))


@pytest.mark.django_db
def test_the_500_page_names_the_agency_as_set_and_the_built_in_one_without_a_database(world):
    # The name is configuration (issue 15.5), like every other page's footer; a 500 may come
    # from the database itself, so then the page names the built-in identity and still renders.
    from django.db import connections

    from workflow import agency
    from workflow.agency import AgencyIdentity

    AgencyIdentity(name_sw="Mamlaka ya Mtandao Zanzibar", name_en="eGAZ").save()
    request = RequestFactory().get("/")
    assert "Mamlaka ya Mtandao Zanzibar — eGAZ" in text(server_error(request))

    agency._memo = None  # this process's copy forgotten: the next read must query (and fails)
    real = connections["default"].cursor

    def no_database(*args, **kwargs):
        raise RuntimeError("the database is down")

    connections["default"].cursor = no_database
    try:
        page = text(server_error(request))
    finally:
        connections["default"].cursor = real
    assert "Hitilafu imetokea upande wetu" in page
    assert "Mamlaka ya Serikali Mtandao — e-Government Authority" in page
    assert "Zanzibar" not in page


@pytest.mark.django_db
def test_a_crash_shows_the_500_page(world, settings):
    settings.ROOT_URLCONF = "tests.portal.crash_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Hitilafu imetokea upande wetu" in text(response)


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_by_email_in_swahili(world):
    client = Client()
    login = text(client.get("/accounts/login/"))
    assert 'href="/accounts/password_reset/"' in login and "Umesahau nenosiri?" in login
    page = client.get("/accounts/password_reset/")
    assert "Umesahau nenosiri?" in text(page) and 'href="/static/portal/web.css"' in text(page)
    response = client.post("/accounts/password_reset/", {"email": world.officer.email})
    assert response.status_code == 302
    assert "Angalia barua pepe yako" in text(client.get(response["Location"]))
    (email,) = mail.outbox
    assert email.subject == "Idhini: chagua nenosiri jipya"
    assert "Jina lako la mtumiaji ni: officer" in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)
    form = client.get(link, follow=True)
    assert "Chagua nenosiri jipya" in text(form)
    short = client.post(form.redirect_chain[-1][0], {"new_password1": "a", "new_password2": "b"})
    assert short.status_code == 200 and "hayalingani" in text(short)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "mpya-kabisa-2027!", "new_password2": "mpya-kabisa-2027!"},
    )
    assert done.status_code == 302
    assert "Nenosiri limebadilishwa" in text(client.get(done["Location"]))
    assert Client().login(username="officer", password="mpya-kabisa-2027!")
    # The link works once.
    again = text(client.get(link, follow=True))
    assert "Kiungo hiki hakifanyi kazi tena" in again


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(world):
    response = Client().post("/accounts/password_reset/", {"email": "nobody@example.go.tz"})
    assert response.status_code == 302 and mail.outbox == []


@pytest.mark.django_db
def test_a_signed_in_person_changes_their_password(world):
    client = Client()
    assert client.login(username="officer", password=PASSWORD)
    page = text(client.get("/"))
    assert 'href="/accounts/password_change/"' in page
    form = text(client.get("/accounts/password_change/"))
    assert "Badilisha nenosiri lako" in form and "Nenosiri la zamani" in form
    wrong = client.post(
        "/accounts/password_change/",
        {
            "old_password": "si-hili",
            "new_password1": "x-2027-mpya!",
            "new_password2": "x-2027-mpya!",
        },
    )
    assert "Nenosiri lako la zamani si sahihi" in text(wrong)
    done = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "x-2027-mpya!",
            "new_password2": "x-2027-mpya!",
        },
    )
    assert done.status_code == 302
    assert "Nenosiri limebadilishwa" in text(client.get(done["Location"]))
    assert Client().login(username="officer", password="x-2027-mpya!")


@pytest.mark.django_db
def test_every_page_links_our_favicon_and_favicon_ico_leads_to_it(world):
    page = text(browser(world.officer).get("/"))
    assert '<link rel="icon" href="/static/idhini/favicon.svg" type="image/svg+xml">' in page
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/idhini/favicon.ico"
    icon = Client().get("/static/idhini/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file

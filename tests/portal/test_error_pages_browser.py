"""The error pages and the password reset, in Chromium against a live server, as people meet
them: 400 (the site reached by a name it does not answer to), 403, 404, 500 and the CSRF
failure (a form sent without its cookie). Each answers with its status, names the Authority,
speaks Swahili to a browser that asks for English and English to whoever chose it, works with
JavaScript off, fetches nothing from elsewhere and has no serious or critical axe-core finding
(axe runs with JavaScript on: with it off, ``page.evaluate`` never returns). Then the whole
password reset: the request, the e-mail with its link, the new password, signing in with it.

Screenshots (full page, 1366×768 and 390 px) go to IDHINI_SCREENSHOT_DIR when set.
Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.helpers import PASSWORD
from tests.portal.conftest import CHROMIUM
from tests.portal.test_agency_browser import _axe

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
AUTHORITY = "Mamlaka ya Serikali Mtandao"
WIDTHS = (1366, 390)

# name: (status, Swahili heading, English heading)
ERRORS = {
    "400": (400, "Ombi halikuweza kusomwa", "The request could not be read"),
    "403": (403, "Huwezi kufungua ukurasa huu", "You cannot open this page"),
    "404": (404, "Ukurasa haupatikani", "Page not found"),
    "500": (500, "Hitilafu imetokea upande wetu", "Something went wrong on our side"),
    "csrf": (403, "Fomu imepitwa na muda", "The form has expired"),
}


@pytest.fixture
def folder(tmp_path) -> Path:
    path = Path(os.environ.get("IDHINI_SCREENSHOT_DIR") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def context_for(chromium, *, js: bool, width: int, language: str | None, base: str):
    context = chromium.new_context(
        java_script_enabled=js,
        locale="en-US",  # the browser asks for English; the site answers in Swahili
        viewport={"width": width, "height": 768 if width > 500 else 844},
    )
    if language:
        context.add_cookies(
            [
                {"name": "django_language", "value": language, "domain": host, "path": "/"}
                for host in ("localhost", "127.0.0.1")
            ]
        )
    context.fetched = []
    context.on("request", lambda request: context.fetched.append(request.url))
    return context


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_url(base + "/")


def meet(kind: str, page, base: str):
    """Bring ``page`` to the error page ``kind``; the answer's status."""
    if kind == "400":
        # Reached by its address, not by the name the server answers to (ALLOWED_HOSTS).
        return page.goto(base.replace("localhost", "127.0.0.1") + "/").status
    if kind == "403":
        sign_in(page, base, "nobody")  # signed in, but of no institution: the figures refuse
        return page.goto(base + "/figures/").status
    if kind == "404":
        sign_in(page, base, "officer")
        return page.goto(f"{base}/documents/{uuid.uuid4()}/").status
    if kind == "500":
        return page.goto(base + "/crash/").status
    page.goto(base + "/accounts/login/")  # the form kept open while its cookie went away
    page.context.clear_cookies(name="csrftoken")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.click("form[action='/accounts/login/'] button")
    return answer.value.status


@pytest.fixture
def error_world(world, settings):
    settings.ROOT_URLCONF = "tests.portal.crash_urls"
    settings.ALLOWED_HOSTS = ["localhost"]
    get_user_model().objects.create_user(username="nobody", password=PASSWORD)
    return world


def local_only(context, base: str) -> list[str]:
    origins = (base, base.replace("localhost", "127.0.0.1"))
    return [url for url in context.fetched if not url.startswith(origins)]


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_an_error_page_is_ours_in_swahili_and_english_without_javascript(
    live_server, error_world, chromium, folder, kind
):
    base = live_server.url
    status, swahili, english = ERRORS[kind]
    for width in WIDTHS:
        context = context_for(chromium, js=False, width=width, language=None, base=base)
        page = context.new_page()
        assert meet(kind, page, base) == status
        assert page.locator("h1").inner_text() == swahili
        assert page.locator("html").get_attribute("lang") == "sw"
        assert AUTHORITY in page.locator("footer").inner_text()
        assert page.locator("link[rel=stylesheet]").count() >= 2  # in the site's look
        assert page.get_by_role("link", name="Nenda ukurasa wa mwanzo").count() == 1
        assert local_only(context, base) == []
        page.screenshot(path=str(folder / f"error-{kind}-{width}.png"), full_page=True)
        context.close()
    context = context_for(chromium, js=False, width=1366, language="en", base=base)
    page = context.new_page()
    assert meet(kind, page, base) == status
    assert page.locator("h1").inner_text() == english
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(folder / f"error-{kind}-en.png"), full_page=True)
    context.close()
    context = context_for(chromium, js=True, width=390, language=None, base=base)
    page = context.new_page()
    assert meet(kind, page, base) == status
    assert _axe(page) == []
    context.close()


RESET_STEPS = ("reset-request", "reset-sent", "reset-new", "reset-done", "reset-signed-in")


def reset_password(page, base: str, new_password: str, shoot) -> None:
    """The whole journey in ``page``, calling ``shoot(step)`` on every page it shows."""
    page.goto(base + "/accounts/login/")
    page.get_by_role("link", name="Umesahau nenosiri?").click()
    assert page.locator("h1").inner_text() == "Umesahau nenosiri?"
    shoot("reset-request")
    page.fill("#id_email", "officer@example.go.tz")
    page.locator("main form button").click()
    assert page.locator("h1").inner_text() == "Angalia barua pepe yako"
    shoot("reset-sent")
    email = mail.outbox[-1]
    assert email.subject == "Idhini: chagua nenosiri jipya" and AUTHORITY in email.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", email.body).group(1)
    page.goto(base + link)
    assert page.locator("h1").inner_text() == "Chagua nenosiri jipya"
    shoot("reset-new")
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.locator("main form button").click()
    assert page.locator("h1").inner_text() == "Nenosiri limebadilishwa"
    shoot("reset-done")
    sign_in(page, base, "officer", new_password)
    shoot("reset-signed-in")


def test_a_forgotten_password_is_reset_in_the_browser(live_server, world, chromium, folder):
    base = live_server.url
    for width, js, new_password in ((1366, False, "mpya-kabisa-2027!"), (390, True, "tena-2028-!")):
        context = context_for(chromium, js=js, width=width, language=None, base=base)
        page = context.new_page()
        serious = {}

        def shoot(step, page=page, width=width, js=js, serious=serious):
            assert page.locator("html").get_attribute("lang") == "sw"
            page.screenshot(path=str(folder / f"{step}-{width}.png"), full_page=True)
            if js:
                serious[step] = _axe(page)

        reset_password(page, base, new_password, shoot)
        assert local_only(context, base) == []
        assert all(found == [] for found in serious.values()), serious
        assert not js or set(serious) == set(RESET_STEPS)
        context.close()
    assert len(mail.outbox) == 2

"""The Content-Security-Policy (config/middleware.py, settings.CSP_*): every kind of page sends
the policy meant for it, the templates hold nothing a strict policy refuses, and in a real
browser with JavaScript on, under the header the server really sends, no page breaks it: no
violation, no console error, htmx still swaps in place, the admin's and Swagger UI's scripts run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from approvals.models import SealedPdf
from tests.approvals.pdf_support import approve
from tests.helpers import PASSWORD, create_project, make_user
from tests.portal.test_web_browser import CHROMIUM, Visit
from tests.portal.web_helpers import api_document, browser, submitted
from workflow.models import Document

# Spelled out here, not read from settings: a change to the policy has to change the test too.
PAGES = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
API_HTML = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; font-src 'self'"
)
DATA = "default-src 'none'; frame-ancestors 'none'"

HTMX = {"HTTP_HX_REQUEST": "true"}


def headers_of(response) -> dict[str, str | None]:
    names = [
        "Content-Security-Policy",
        "Cross-Origin-Opener-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
    ]
    return {name: response.get(name) for name in names}


def sent(policy: str | None) -> dict[str, str | None]:
    return {
        "Content-Security-Policy": policy,
        "Cross-Origin-Opener-Policy": "same-origin",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def admin_user():
    return make_user("msimamizi", None, None, is_staff=True, is_superuser=True)


# --- (a) Each kind of response carries the policy meant for it --------------------------------


@pytest.mark.django_db
def test_every_page_of_ours_sends_the_strict_policy(world):
    project = create_project(world)
    draft = api_document(world, "concept_note", project=project, title="Dhana")
    waiting = submitted(world)
    approved = Document.objects.get(pk=approve(world))
    officer, reviewer, anonymous = browser(world.officer), browser(world.reviewer), Client()
    pages = {
        "login": (anonymous, "/accounts/login/", 200),
        "dashboard": (officer, "/", 200),
        "review queue": (reviewer, "/", 200),
        "review queue, filtered through htmx": (reviewer, "/?type=concept_note", 200),
        "project list": (officer, "/projects/", 200),
        "new project": (officer, "/projects/new/", 200),
        "project": (officer, f"/projects/{project.pk}/", 200),
        "new document": (officer, "/documents/new/", 200),
        "document": (officer, f"/documents/{draft}/", 200),
        "document under review": (reviewer, f"/documents/{waiting}/", 200),
        "edit form": (officer, f"/documents/{draft}/edit/", 200),
        "notifications": (officer, "/notifications/", 200),
        "verify": (anonymous, f"/verify/{approved.verification_code}/", 200),
        "verify, unknown code": (anonymous, "/verify/HAKUNA-KITU/", 404),
        "no such page": (officer, "/hakuna/", 404),
    }
    for name, (client, url, status) in pages.items():
        extra = HTMX if "htmx" in name else {}
        response = client.get(url, **extra)
        assert response.status_code == status, name
        assert response["Content-Type"].startswith("text/html"), name
        assert headers_of(response) == sent(PAGES), name
    signed_out = browser(world.officer).post("/accounts/logout/")
    assert signed_out.status_code == 302 and headers_of(signed_out) == sent(PAGES)


@pytest.mark.django_db
def test_the_admin_sends_the_same_strict_policy(world):
    client = Client()
    assert headers_of(client.get("/admin/login/")) == sent(PAGES)
    client.force_login(admin_user())
    document = api_document(world)
    for url in (
        "/admin/",
        "/admin/workflow/document/",
        f"/admin/workflow/document/{document}/change/",
        "/admin/workflow/membership/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert headers_of(response) == sent(PAGES), url


@pytest.mark.django_db
def test_the_api_docs_allow_inline_styles_but_no_inline_script():
    page = Client().get("/api/v1/docs/")
    assert page.status_code == 200
    assert headers_of(page) == sent(API_HTML)
    html = page.content.decode()
    # Every script is a file of ours: the split view serves Swagger UI's settings as one.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3
    assert all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    settings_script = Client().get("/api/v1/docs/?script=")
    assert settings_script["Content-Type"] == "application/javascript"
    assert b"SwaggerUIBundle" in settings_script.content
    assert b'"validatorUrl": null' in settings_script.content  # no badge from swagger.io


@pytest.mark.django_db
def test_json_answers_allow_nothing_and_files_carry_no_policy(world):
    assert headers_of(Client().get("/healthz")) == sent(DATA)
    documents = world.client(world.officer).get("/api/v1/documents/")
    assert documents.status_code == 200 and headers_of(documents) == sent(DATA)
    refused = Client().get("/api/v1/documents/")
    assert refused.status_code == 401 and headers_of(refused) == sent(DATA)
    schema = Client().get("/api/v1/schema/")
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi")
    assert "Content-Security-Policy" not in schema
    word = world.client(world.officer).get("/api/v1/document-types/concept_note/template.docx")
    assert word.status_code == 200 and "Content-Security-Policy" not in word


@pytest.mark.django_db
def test_with_debug_on_django_s_error_pages_keep_their_inline_css_and_javascript(world, settings):
    settings.DEBUG = True
    officer = browser(world.officer)
    missing = officer.get("/documents/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404 and "Content-Security-Policy" not in missing
    assert officer.get("/")["Content-Security-Policy"] == PAGES


# --- Nothing in our templates that a strict policy refuses ------------------------------------

BASE = Path(settings.BASE_DIR)
# The served templates. Not the e-mail (mail clients need inline styles; no browser loads it
# from us) nor the print HTML (WeasyPrint renders it; it is never served).
SERVED = [
    BASE / "config" / "templates",
    BASE / "portal" / "templates",
    BASE / "forms_templates" / "templates" / "forms_templates",
    BASE / "notifications" / "templates",
]
NOT_SERVED = [
    BASE / "forms_templates" / "templates" / "forms_templates" / "print",
    BASE / "notifications" / "templates" / "notifications" / "email",
]
REFUSED = {
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
    "an hx-on attribute": re.compile(r"\shx-on", re.I),
}


def served_templates() -> list[Path]:
    found = {path for folder in SERVED for path in folder.rglob("*.html")}
    return sorted(p for p in found if not any(p.is_relative_to(n) for n in NOT_SERVED))


def test_no_served_template_holds_what_the_policy_refuses():
    templates = served_templates()
    assert BASE / "portal" / "templates" / "portal" / "verify.html" in templates
    problems = [
        f"{path.relative_to(BASE)}: {what}"
        for path in templates
        for what, pattern in REFUSED.items()
        if pattern.search(path.read_text())
    ]
    assert problems == []


# --- (b) A real browser under the real header ---------------------------------------------------

browser_only = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"
)


def clean(visit: Visit, policy: str) -> None:
    """Nothing was refused, nothing failed, nothing left the server, and every page the visit
    loaded carried ``policy`` from the server itself."""
    assert visit.violations == []
    assert visit.errors == []
    assert visit.outside == []
    assert visit.policies and set(visit.policies.values()) == {policy}, visit.policies


def see(visit: Visit, path: str, selector: str) -> None:
    visit.page.goto(visit.base + path)
    visit.page.wait_for_selector(selector)


@pytest.fixture
def sealed(live_server, world, dev_seal) -> SealedPdf:
    """An approved document and its sealed PDF, made before ``chromium`` starts: Playwright runs
    an event loop in this thread, and the seal (pyHanko) would start one of its own."""
    return SealedPdf.objects.select_related("document").get(document_id=approve(world))


@browser_only
def test_our_pages_break_nothing_under_the_real_policy(live_server, world, sealed, chromium):
    expect = pytest.importorskip("playwright.sync_api").expect
    base = live_server.url
    project = create_project(world)
    draft = api_document(world, "concept_note", project=project, title="Dhana ya maabara")
    waiting = submitted(world)
    Document.objects.filter(pk=waiting).update(title="Ombi la barua pepe")

    # Anyone: the verification page, its check of a file, an unknown code.
    citizen = Visit(chromium, base, None)
    see(citizen, f"/verify/{sealed.document.verification_code}/", "#verdict")
    # The page's own CSS file applies (it was an inline <style>).
    border = "getComputedStyle(document.querySelector('#verdict')).borderLeftWidth"
    assert citizen.page.evaluate(border) == "6px"
    citizen.page.set_input_files(
        "#file",
        files=[{"name": "hati.pdf", "mimeType": "application/pdf", "buffer": sealed.file.read()}],
    )
    citizen.page.click("form[enctype='multipart/form-data'] button")
    expect(citizen.page.locator("#verdict")).to_contain_text("Faili ni halali")
    citizen.page.goto(base + "/accounts/login/")
    citizen.page.wait_for_function("window.htmx !== undefined")
    clean(citizen, PAGES)

    # The officer: every page of the dashboard, projects and documents, and notifications.
    officer = Visit(chromium, base, "officer")
    for path, selector in [
        ("/", "h1"),
        ("/projects/", "h1"),
        ("/projects/new/", "#id_name"),
        (f"/projects/{project.pk}/", "h1"),
        ("/documents/new/", "#id_title"),
        (f"/documents/{draft}/", "h1"),
        (f"/documents/{draft}/edit/", "ol.task-list"),
        (f"/documents/{draft}/edit/?all=1", "#id_project_owner"),
        ("/notifications/", "#notifications"),
    ]:
        see(officer, path, selector)
        assert officer.page.evaluate("window.htmx !== undefined"), path
    # htmx under the real policy: "more rows" swaps only that table.
    see(officer, f"/documents/{draft}/edit/?all=1", "#id_project_owner")
    loads = officer.mark()
    officer.page.click("button[name='more_rows'][value='milestones']")
    officer.page.wait_for_selector("input[name='milestones-5-milestone']")
    assert officer.still_marked() and officer.loads() == loads
    officer.page.click("header form.logout button")
    officer.page.wait_for_url(base + "/accounts/login/")
    clean(officer, PAGES)

    # The reviewer: the queue's filter swaps the list in place.
    reviewer = Visit(chromium, base, "reviewer")
    results = reviewer.page.locator("#queue-results")
    expect(results).to_contain_text("Ombi la barua pepe")
    loads = reviewer.mark()
    reviewer.page.select_option("#queue select[name='type']", "concept_note")
    reviewer.page.click("#queue form.filters button")
    expect(results).not_to_contain_text("Ombi la barua pepe")
    assert reviewer.still_marked() and reviewer.loads() == loads
    assert len(reviewer.htmx_requests()) == 1
    see(reviewer, f"/documents/{waiting}/", "h1")
    clean(reviewer, PAGES)


@browser_only
def test_the_admin_works_under_the_same_strict_policy(live_server, world, chromium):
    expect = pytest.importorskip("playwright.sync_api").expect
    base = live_server.url
    admin_user()
    document = api_document(world, title="Ombi la barua pepe")
    create_project(world)
    visit = Visit(chromium, base, None)
    page = visit.page
    see(visit, "/admin/login/", "#id_username")
    page.fill("#id_username", "msimamizi")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(base + "/admin/")
    # Change lists with filters and actions, a document with its inlines.
    see(visit, "/admin/workflow/document/", "#result_list")
    see(visit, "/admin/workflow/project/", "#result_list")
    page.check("#action-toggle")  # actions.js: every row selected
    expect(page.locator("#result_list tbody input.action-select:checked")).to_have_count(1)
    see(visit, f"/admin/workflow/document/{document}/change/", "#document_form")
    # Autocomplete (select2 fetches the choices from us) and "add another" inline rows.
    see(visit, "/admin/workflow/membership/add/", "#membership_form")
    page.click("#membership_form .field-user .select2-selection")
    page.fill(".select2-search__field", "offi")
    expect(page.locator(".select2-results__option", has_text="officer").first).to_be_visible()
    page.keyboard.press("Escape")
    user_model = get_user_model()._meta
    see(
        visit,
        reverse(
            f"admin:{user_model.app_label}_{user_model.model_name}_change", args=[world.officer.pk]
        ),
        "form",
    )
    see(visit, f"/admin/workflow/institution/{world.moh.pk}/change/", "#institution_form")
    rows = page.locator("#memberships-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.click("#memberships-group .add-row a")
    expect(rows).to_have_count(before + 1)
    clean(visit, PAGES)


@browser_only
def test_swagger_ui_renders_under_its_policy(live_server, chromium):
    expect = pytest.importorskip("playwright.sync_api").expect
    visit = Visit(chromium, live_server.url, None)
    see(visit, "/api/v1/docs/", "#swagger-ui")
    page = visit.page
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Idhini API")
    operation = page.locator(".opblock-summary").first
    operation.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    clean(visit, API_HTML)

"""Fixtures of tests/portal: Chromium for the browser tests; the seal ones are shared with
tests/approvals (pdf_support.py)."""

from pathlib import Path

import pytest
from django.db import connections

from tests.approvals.pdf_support import (  # noqa: F401
    clean_cache,
    dev_seal,
    seal_var_dir,
    use_broker,
)

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def chromium(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (and the fixtures) would otherwise refuse to run.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, the ORM keeps this test's connection apart from the
            # thread's usual one; close it, or PostgreSQL cannot drop the test database.
            connections.close_all()

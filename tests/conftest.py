"""Personas for every test module: officers, signatories and reviewers of real institutions,
and an outsider from another institution for every permission test."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.helpers import make_user
from workflow.models import Institution, Role


def pytest_configure(config):
    # Celery prefers the environment's CELERY_BROKER_URL to the settings (celery.app.utils
    # Settings.broker_url): CI sets one, and then a test that points Celery at its own
    # redis-server through the settings would publish to CI's instead. The settings have read it
    # already; from here on the settings decide.
    os.environ.pop("CELERY_BROKER_URL", None)


def pytest_collection_modifyitems(config, items):
    # CI runs the browser journeys once, on PostgreSQL; the SQLite run sets IDHINI_SKIP_BROWSER.
    if not os.environ.get("IDHINI_SKIP_BROWSER"):
        return
    skip = pytest.mark.skip(reason="browser tests run once, in the PostgreSQL run")
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    # Unit and API tests run tasks in-process; tests/notifications runs a real worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"


@pytest.fixture(autouse=True)
def _swahili_to_start():
    # A request in English (Accept-Language) leaves its language active on the thread.
    from django.utils import translation

    translation.activate("sw")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache: each test starts with none.
    import time

    from django.core.cache import cache

    from workflow import agency

    cache.clear()
    # Every test starts with no agency identity row, so the default is current and known without
    # a query: query counts stay those of a warm process (workflow.agency keeps a copy).
    agency._memo = (None, time.monotonic(), agency.DEFAULT)
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    moh: Institution
    moe: Institution
    ega: Institution
    officer: Any
    ict_head: Any
    accounting_officer: Any
    officer_moe: Any
    ict_head_moe: Any
    accounting_officer_moe: Any
    reviewer: Any
    reviewer2: Any
    # The other links of the signing chains (issue 15), in each institution.
    system_owner: Any = None
    procurement_head: Any = None
    hr_head: Any = None
    system_owner_moe: Any = None
    procurement_head_moe: Any = None
    hr_head_moe: Any = None

    def client(self, user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            # A fresh user object per client: role caches never leak between people.
            client.force_authenticate(user=get_user_model().objects.get(pk=user.pk))
        return client


@pytest.fixture
def world(db) -> World:
    # The mail domains of the sample mailbox requests (tests.helpers.sample_value).
    moh = Institution.objects.create(
        code="MOH",
        name_sw="Wizara ya Afya",
        name_en="Ministry of Health",
        mail_domains="afya.go.tz",
    )
    moe = Institution.objects.create(
        code="MOE",
        name_sw="Wizara ya Elimu",
        name_en="Ministry of Education",
        mail_domains="elimu.go.tz",
    )
    ega = Institution.objects.create(
        code="EGA",
        name_sw="Mamlaka ya Serikali Mtandao",
        name_en="e-Government Authority",
        is_agency=True,
    )
    return World(
        moh=moh,
        moe=moe,
        ega=ega,
        officer=make_user("officer", moh, Role.OFFICER),
        ict_head=make_user("ict_head", moh, Role.HEAD_OF_ICT),
        accounting_officer=make_user("accounting_officer", moh, Role.ACCOUNTING_OFFICER),
        officer_moe=make_user("officer_moe", moe, Role.OFFICER),
        ict_head_moe=make_user("ict_head_moe", moe, Role.HEAD_OF_ICT),
        accounting_officer_moe=make_user("accounting_officer_moe", moe, Role.ACCOUNTING_OFFICER),
        reviewer=make_user("reviewer", ega, Role.REVIEWER),
        reviewer2=make_user("reviewer2", ega, Role.REVIEWER),
        system_owner=make_user("system_owner", moh, Role.SYSTEM_OWNER),
        procurement_head=make_user("procurement_head", moh, Role.HEAD_OF_PROCUREMENT),
        hr_head=make_user("hr_head", moh, Role.HEAD_OF_HR),
        system_owner_moe=make_user("system_owner_moe", moe, Role.SYSTEM_OWNER),
        procurement_head_moe=make_user("procurement_head_moe", moe, Role.HEAD_OF_PROCUREMENT),
        hr_head_moe=make_user("hr_head_moe", moe, Role.HEAD_OF_HR),
    )

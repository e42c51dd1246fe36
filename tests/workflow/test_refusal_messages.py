"""Refusals a person understands: what happened and what to do, in their language; never an
action's code or a status's internal name (the API's ``detail`` and the pages alike)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from tests.helpers import act, drive, new_document
from tests.portal.web_helpers import browser
from tests.workflow.test_permissions import BODIES, STATUSES, _personas
from workflow.humanize import ago, duration

pytestmark = pytest.mark.django_db

ACTION_CODES = [action for action in BODIES if "-" in action]  # request-changes, ...
STATUS_CODES = ["awaiting_signatures", "under_review", "changes_requested"]
# Words of the lifecycle's code that must not appear in a Swahili sentence.
ENGLISH_CODES = ["claim", "release", "approve", "reject", "submit", "withdraw", "decline",
                 "draft", "submitted", "signed", "approved", "rejected", "withdrawn"]  # fmt: skip


def test_the_loser_of_a_claim_hears_who_took_it_and_when_in_swahili(world):
    document = drive(world, new_document(world), "submitted")
    world.reviewer.first_name, world.reviewer.last_name = "Asha", "Juma"
    world.reviewer.save()
    act(world, world.reviewer, document.pk, "claim")
    response = act(world, world.reviewer2, document.pk, "claim")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Hati hii tayari imechukuliwa na Asha Juma sasa hivi. "
        "Chagua hati nyingine kwenye foleni.",
        "code": "invalid_status",
    }
    page = browser(world.reviewer2).post(f"/documents/{document.pk}/actions/claim/")
    assert page.status_code == 409
    assert "Hati hii tayari imechukuliwa na Asha Juma" in page.content.decode()


def test_in_english_for_who_asks_in_english(world):
    document = drive(world, new_document(world), "under_review")
    response = world.client(world.reviewer2).post(
        f"/api/v1/documents/{document.pk}/claim/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"].startswith("This document has already been taken by reviewer")


def test_time_ago_and_durations_agree_in_swahili():
    now = timezone.now()
    with translation.override("sw"):
        assert ago(now - timedelta(seconds=70), now) == "dakika 1 iliyopita"
        assert ago(now - timedelta(minutes=5), now) == "dakika 5 zilizopita"
        assert ago(now - timedelta(hours=1, minutes=3), now) == "saa 1 iliyopita"
        assert ago(now - timedelta(days=3), now) == "siku 3 zilizopita"
        assert duration(3 * 86400 + 5) == "siku 3" and duration(600) == "chini ya saa moja"
    with translation.override("en"):
        assert ago(now - timedelta(seconds=70), now) == "1 minute ago"
        assert duration(2 * 3600) == "2 hours"


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("language", ["sw", "en"])
def test_no_refusal_names_a_code_or_an_internal_status(world, status, language):
    document = drive(world, new_document(world), status)
    for persona, user in _personas(world).items():
        if user is None or persona == "outsider":
            continue
        client = world.client(user)
        for action, body in BODIES.items():
            savepoint = transaction.savepoint()
            response = client.post(
                f"/api/v1/documents/{document.pk}/{action}/",
                body,
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            )
            transaction.savepoint_rollback(savepoint)
            if response.status_code not in (403, 409):
                continue
            detail = response.json()["detail"]
            assert detail.endswith("."), detail
            for code in ACTION_CODES + STATUS_CODES:
                assert code not in detail, (persona, action, status, detail)
            assert "“" not in detail, detail  # no quoted code
            if language == "sw":
                words = set(re.findall(r"[a-z]+", detail.lower()))
                assert not words & set(ENGLISH_CODES), (persona, action, status, detail)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL")
def test_in_a_real_race_the_loser_is_told_the_winners_name(world):
    import threading

    from django.db import connections

    named = {world.reviewer.pk: "Asha Juma", world.reviewer2.pk: "Neema Mushi"}
    for user in (world.reviewer, world.reviewer2):
        user.first_name, user.last_name = named[user.pk].split()
        user.save()
    document = drive(world, new_document(world), "submitted")
    barrier = threading.Barrier(2)
    answers: dict[int, tuple[int, dict]] = {}

    def claim(user):
        client = world.client(user)
        try:
            barrier.wait(timeout=30)
            response = client.post(f"/api/v1/documents/{document.pk}/claim/", {}, format="json")
            answers[user.pk] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (world.reviewer, world.reviewer2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    (winner,) = [pk for pk, (status, _body) in answers.items() if status == 200]
    (loser,) = [pk for pk, (status, _body) in answers.items() if status == 409]
    assert answers[loser][1]["detail"].startswith(
        f"Hati hii tayari imechukuliwa na {named[winner]}"
    )

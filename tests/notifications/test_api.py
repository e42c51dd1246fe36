"""The notifications API: one's own notifications, newest first, read one or all, language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from notifications.models import Notification, Preference
from tests.helpers import drive, new_document, ok, returned_for_changes

pytestmark = pytest.mark.django_db


def three_for_the_officer(world):
    """A signed document (the author is told), returned with changes and with comments."""
    return returned_for_changes(world)


def test_the_list_is_the_callers_own_newest_first_with_the_unread_count(world):
    document, (signed, returned) = three_for_the_officer(world)
    body = ok(world.client(world.officer).get("/api/v1/notifications/"))
    assert body["count"] == 2 and body["unread_count"] == 2
    assert [n["id"] for n in body["results"]] == [returned.pk, signed.pk]
    first = body["results"][0]
    assert first["kind"] == "changes_requested"
    assert first["document"] == str(document.pk)
    assert first["reference"] == document.reference and first["reference"].startswith("EGA/CN/")
    assert first["comment"] == "Ongeza bajeti"
    assert first["field_comments"] == [
        {"field": "title", "label": "Kichwa", "comment": "Kifupi zaidi"}
    ]
    assert first["actor"] == "reviewer"
    assert first["url"].endswith(f"/documents/{document.pk}/")
    assert first["read"] is False and first["read_at"] is None
    # The reviewers' notifications are theirs alone.
    reviewer = ok(world.client(world.reviewer).get("/api/v1/notifications/"))
    assert {n["kind"] for n in reviewer["results"]} == {"submitted"}


def test_the_text_follows_the_readers_language(world):
    three_for_the_officer(world)
    client = world.client(world.officer)
    english = ok(client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en"))["results"][0]
    swahili = ok(client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="sw"))["results"][0]
    assert english["subject"].startswith("Changes requested: EGA/CN/")
    assert "Project Concept Note" in english["body"]
    assert english["field_comments"][0]["label"] == "Title"
    assert swahili["subject"] != english["subject"]
    assert "Dhana ya Uanzishaji wa Mfumo/Mradi" in swahili["body"]


def test_marking_one_read_lowers_the_unread_count_and_is_idempotent(world):
    _document, (signed, _returned) = three_for_the_officer(world)
    client = world.client(world.officer)
    read = ok(client.post(f"/api/v1/notifications/{signed.pk}/read/"))
    assert read["read"] is True and read["id"] == signed.pk
    signed.refresh_from_db()
    first_read_at = signed.read_at
    assert first_read_at is not None
    again = ok(client.post(f"/api/v1/notifications/{signed.pk}/read/"))
    assert again["read"] is True
    signed.refresh_from_db()
    assert signed.read_at == first_read_at
    assert ok(client.get("/api/v1/notifications/"))["unread_count"] == 1


def test_another_persons_notification_is_not_found_and_stays_unread(world):
    _document, (signed, _returned) = three_for_the_officer(world)
    for who in (world.reviewer, world.officer_moe):
        response = world.client(who).post(f"/api/v1/notifications/{signed.pk}/read/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    for bad in ("999999", "abc", "1.5"):
        response = world.client(world.officer).post(f"/api/v1/notifications/{bad}/read/")
        assert response.status_code == 404, bad
    signed.refresh_from_db()
    assert signed.read_at is None


def test_marking_all_read_touches_only_the_callers_own(world):
    three_for_the_officer(world)
    body = ok(world.client(world.officer).post("/api/v1/notifications/read-all/"))
    assert body == {"marked": 2, "unread_count": 0}
    assert not Notification.objects.filter(recipient=world.officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.reviewer, read_at__isnull=True).exists()
    assert ok(world.client(world.officer).post("/api/v1/notifications/read-all/"))["marked"] == 0


def test_anonymous_callers_are_refused(world):
    client = APIClient()
    assert client.get("/api/v1/notifications/").status_code == 401
    assert client.post("/api/v1/notifications/read-all/").status_code == 401


def test_a_page_of_many_costs_what_a_page_of_few_costs(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    note = dict(recipient=world.officer, kind="approved", document=document, payload={})

    def queries() -> int:
        client = world.client(world.officer)
        with CaptureQueriesContext(connection) as captured:
            ok(client.get("/api/v1/notifications/?page_size=200"))
        return len(captured.captured_queries)

    Notification.objects.bulk_create(Notification(**note) for _ in range(3))
    few = queries()
    Notification.objects.bulk_create(Notification(**note) for _ in range(150))
    assert queries() == few <= 4


def test_a_person_sets_their_notification_language(world):
    url = "/api/v1/notifications/preferences/"
    client = world.client(world.ict_head)
    assert ok(client.get(url)) == {"language": "sw"}
    assert ok(client.patch(url, {"language": "en"}, format="json")) == {"language": "en"}
    assert Preference.objects.get(user=world.ict_head).language == "en"
    for body, field in [
        ({"language": "fr"}, "language"),
        ({"lang": "en"}, "lang"),
        ({}, "language"),
    ]:
        response = client.patch(url, body, format="json")
        assert response.status_code == 400
        assert field in response.json()
    assert Preference.objects.get(user=world.ict_head).language == "en"

"""Overdue work in the API: ``overdue: true`` past a step's reminder threshold, and the review
queue's ``?overdue=first`` (oldest submission first within each group)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.helpers import drive, new_document, ok
from workflow.models import Document

pytestmark = pytest.mark.django_db


def waited(document, days: float):
    Document.objects.filter(pk=document.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days)
    )
    return document


def test_a_document_waiting_past_its_steps_threshold_is_overdue(world, settings):
    settings.REMINDER_DAYS_QUEUE = 2
    document = drive(world, new_document(world), "submitted")
    url = f"/api/v1/documents/{document.pk}/"
    assert ok(world.client(world.reviewer).get(url))["overdue"] is False
    waited(document, 1.9)
    assert ok(world.client(world.reviewer).get(url))["overdue"] is False
    waited(document, 2.1)
    assert ok(world.client(world.reviewer).get(url))["overdue"] is True
    queue = ok(world.client(world.reviewer).get("/api/v1/review-queue/"))["results"]
    assert [d["overdue"] for d in queue] == [True]
    listing = ok(world.client(world.officer).get("/api/v1/documents/"))["results"]
    assert [d["overdue"] for d in listing] == [True]


def test_a_document_that_waits_on_nobody_is_never_overdue(world):
    for status in ("draft", "signed", "approved"):
        waited(drive(world, new_document(world), status), 400)
    listing = ok(world.client(world.officer).get("/api/v1/documents/"))["results"]
    assert len(listing) == 3 and not any(d["overdue"] for d in listing)


def test_the_queue_puts_overdue_documents_first_when_asked(world):
    first, second, third = (drive(world, new_document(world), "submitted") for _ in range(3))
    waited(third, 10)  # submitted last, but waiting longest since it entered the queue
    client = world.client(world.reviewer)
    plain = ok(client.get("/api/v1/review-queue/"))["results"]
    assert [d["id"] for d in plain] == [str(first.pk), str(second.pk), str(third.pk)]
    late_first = ok(client.get("/api/v1/review-queue/?overdue=first"))["results"]
    assert [d["id"] for d in late_first] == [str(third.pk), str(first.pk), str(second.pk)]
    assert [d["overdue"] for d in late_first] == [True, False, False]


def test_an_unknown_overdue_order_is_refused_by_name(world):
    response = world.client(world.reviewer).get("/api/v1/review-queue/?overdue=last")
    assert response.status_code == 400
    assert "overdue" in response.json()


def test_overdue_first_costs_no_more_queries_for_a_longer_queue(world):
    client = world.client(world.reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            ok(client.get("/api/v1/review-queue/?overdue=first&page_size=200"))
        return len(captured.captured_queries)

    waited(drive(world, new_document(world), "submitted"), 5)
    queries()  # the caller's roles are read once per client
    few = queries()
    for _ in range(4):
        waited(drive(world, new_document(world), "submitted"), 5)
    assert queries() == few

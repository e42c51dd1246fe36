"""The review queue runs on its partial index, not a scan of every document ever approved."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.utils import timezone

from approvals.selectors import review_queue
from tests.helpers import drive, new_document
from workflow.models import Document

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL"),
]


def test_the_queue_query_uses_the_partial_queue_index(world):
    template = drive(world, new_document(world), "submitted")
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Document._meta.concrete_fields
        if f.attname
        not in (
            "id",
            "reference",
            "verification_code",
            "status",
            "project_id",
            "type",
            "last_submitted_at",
        )
    }
    now = timezone.now()
    rows = []
    for i in range(20_000):
        status = "submitted" if i % 400 == 0 else "approved"
        rows.append(
            Document(
                **fields,
                id=uuid.uuid4(),
                type="email_account_request",
                project_id=None,
                status=status,
                reference=f"EGA/EM/2026/x{i}",
                last_submitted_at=now,
            )
        )
    Document.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_document")
    queryset = review_queue(world.reviewer, filters={})[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(plan)
    assert "document_queue_idx" in plan
    assert "Seq Scan on workflow_document" not in plan

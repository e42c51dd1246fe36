"""Many documents fast: copies of a template document (and its active signatures) made by the
database itself, one ``INSERT … SELECT`` over ``generate_series`` per batch on PostgreSQL —
100,000 documents and their 300,000 signatures in seconds, where a Python loop of ``save()``
takes minutes. On SQLite, ``tests.helpers.clone_documents`` (bulk_create) does the same."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

# Timestamps spread a minute apart per copy; every column not computed is the template's value.
_SPREAD = ("created_at", "updated_at", "status_changed_at", "last_submitted_at", "submitted_at")


def clone_many(
    template,
    n: int,
    *,
    status: str,
    owners: Sequence[tuple[int, object]] | None = None,
    with_reference: bool = True,
    **changes,
) -> None:
    """``n`` copies of ``template`` in ``status``, spread round-robin over ``owners`` ((institution
    id, project id or None) pairs; the template's own by default), their timestamps a minute
    apart (older copies first in the queue), each with the template's active signatures."""
    from django.db import connection

    if n <= 0:
        return
    if connection.vendor != "postgresql":
        from tests.helpers import clone_documents

        clone_documents(template, n, status=status, **changes)
        return
    from approvals.models import Signature
    from workflow.models import Document

    owners = list(owners or [(template.institution_id, template.project_id)])
    columns, exprs, params = _document_columns(template, status, with_reference, changes)
    institutions = [o[0] for o in owners]
    projects = [str(o[1]) if o[1] else None for o in owners]
    prefix = f"{template.reference or 'BENCH'}-{uuid.uuid4().hex[:8]}"
    signature_columns = [
        f.column for f in Signature._meta.concrete_fields if f.attname not in ("id", "document_id")
    ]
    # Table and column names come from the models' _meta (S608), values are parameters.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_batch")
        cursor.execute(
            "CREATE TEMP TABLE bench_batch AS SELECT g, gen_random_uuid() AS id, "
            "%s || '-' || g AS tag, (%s::int[])[1 + g %% %s] AS institution_id, "
            "(%s::uuid[])[1 + g %% %s] AS project_id FROM generate_series(1, %s) g",
            [prefix, institutions, len(owners), projects, len(owners), n],
        )
        cursor.execute(
            f"INSERT INTO {Document._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(exprs)} FROM bench_batch b",
            params,
        )
        quoted = ", ".join(f'"{c}"' for c in signature_columns)
        cursor.execute(
            f"INSERT INTO {Signature._meta.db_table} (document_id, {quoted}) "  # noqa: S608
            f"SELECT b.id, {', '.join(f's.{c}' for c in map(_q, signature_columns))} "
            f"FROM bench_batch b CROSS JOIN {Signature._meta.db_table} s "
            "WHERE s.document_id = %s AND s.active",
            [template.pk],
        )
        cursor.execute("DROP TABLE bench_batch")


def _document_columns(template, status: str, with_reference: bool, changes: dict) -> tuple:
    """The documents' columns, and what each copy takes: its own id, reference (tag), owner
    and spread timestamps from the batch ``b``; the status asked; the template's other values."""
    from django.db import connection

    from workflow.models import Document

    fields = list(Document._meta.concrete_fields)
    columns, exprs, params = [], [], []
    for field in fields:
        column = field.column
        columns.append(f'"{column}"')
        if field.attname == "id":
            exprs.append("b.id")
        elif field.attname == "reference":
            exprs.append("b.tag" if with_reference else "NULL")
        elif field.attname == "verification_code":
            exprs.append("NULL")
        elif field.attname == "institution_id":
            exprs.append("b.institution_id")
        elif field.attname == "project_id":
            exprs.append("b.project_id")
        elif field.attname in _SPREAD and getattr(template, field.attname) is not None:
            exprs.append("%s::timestamptz - (b.g || ' minutes')::interval")
            params.append(getattr(template, field.attname))
        else:
            value = status if field.attname == "status" else None
            if field.attname != "status":
                value = changes.get(field.attname, getattr(template, field.attname))
            exprs.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    return columns, exprs, params


def _q(column: str) -> str:
    return f'"{column}"'


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

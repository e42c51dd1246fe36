"""The statements a concept note's transition runs on the index, written by hand as
workflow.audit writes its own: a queryset's update(), delete() or bulk_create() costs more to
build and compile than the database spends running it, and one of these runs in every
submission, claim, release, decision and withdrawal of a concept note, under its row lock.
Same statements as the querysets they replace, same rows; the values are parameters, prepared
as Django prepares them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from config.sql import prepared_values
from similar.models import SearchEntry
from workflow.models import Document


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _document_pk(document: Document):
    return Document._meta.pk.get_db_prep_value(document.pk, connection)


def _project_pk(document: Document):
    """The document's project id as the database takes it (a UUID is text on SQLite)."""
    return Document._meta.get_field("project").get_db_prep_value(document.project_id, connection)


def move_status(document: Document, status: str) -> int:
    """The concept note's entry given ``status``: the number of rows updated (0: it has none)."""
    fields = [SearchEntry._meta.get_field(name) for name in ("status", "updated_at")]
    values = [status, timezone.now()]
    prepared = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
    entry = SearchEntry
    sql = (
        f"UPDATE {_table(entry)} SET {_column(entry, 'status')} = %s, "  # noqa: S608 - our table; values are parameters
        f"{_column(entry, 'updated_at')} = %s "
        f"WHERE {_column(entry, 'project')} = %s AND {_column(entry, 'document')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*prepared, _project_pk(document), _document_pk(document)])
        return cursor.rowcount


def drop_unless_indexed(document: Document, *, kind: str, statuses: Iterable[str]) -> int:
    """The entry of ``document``'s project deleted, unless another of its documents of ``kind``
    is in one of ``statuses``: the number of rows deleted."""
    statuses = [str(status) for status in statuses]  # a Status is its value
    entry, doc = SearchEntry, Document
    others = (
        f"SELECT 1 FROM {_table(doc)} WHERE {_column(doc, 'project')} = %s "  # noqa: S608 - our table; values are parameters
        f"AND {_column(doc, 'type')} = %s "
        f"AND {_column(doc, 'status')} IN ({', '.join(['%s'] * len(statuses))}) "
        f"AND {connection.ops.quote_name(doc._meta.pk.column)} <> %s"
    )
    sql = (
        f"DELETE FROM {_table(entry)} WHERE {_column(entry, 'project')} = %s "  # noqa: S608 - our tables; values are parameters
        f"AND NOT EXISTS ({others})"
    )
    project = _project_pk(document)
    params = [project, project, kind, *statuses, _document_pk(document)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def upsert_entry(entry: SearchEntry) -> None:
    """``entry`` written, over its project's row when there is one: the INSERT ... ON CONFLICT
    that ``bulk_create(update_conflicts=True)`` sends, for the one row a submission writes
    (building it cost Django twice what the database spends running it). ``updated_at``
    set now, as its auto_now would."""
    fields = list(SearchEntry._meta.concrete_fields)  # the project (the key) too
    values = prepared_values(entry, fields, connection)  # auto_now: updated_at is now
    columns = [connection.ops.quote_name(field.column) for field in fields]
    key = connection.ops.quote_name(SearchEntry._meta.pk.column)
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column != key)
    sql = (
        f"INSERT INTO {_table(SearchEntry)} ({', '.join(columns)}) "  # noqa: S608 - our table; values are parameters
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)

"""The document the API's detail represents (``selectors.for_api``, with ``with_acting``), as one
statement compiled once per database connection (config.sql.Reusable): a transition's answer
and every GET of a document read it, and building and compiling the queryset (its annotations,
the delegation's EXISTS) cost Django more CPU than the database spends answering it. The row is
read afresh on every call; only the SQL is kept.

The statement reads by primary key, the caller and the day as its parameters (the caller's
acting signature: ``with_acting_for``); who may see the document is asked in Python of the row
read (workflow.selectors.can_see_document), as the transitions' lock asks it
(approvals.transitions.locking): the same answer as the filtered queryset, in the same one
statement."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from approvals.delegation import with_acting_for
from approvals.selectors import for_api
from config.sql import Reusable, column_names
from workflow.models import Document, Institution
from workflow.selectors import document_read_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User


_DOCUMENT = column_names(Document)
_INSTITUTION = column_names(Institution)
# What for_api and with_acting annotate, in this order after the two models' columns.
ANNOTATIONS = (
    "author_username",
    "assignee_username",
    "assignee_is_active",
    "next_signer_username",
    "acting_signer_id",
)
_NAMES = [*_DOCUMENT, *(f"institution__{name}" for name in _INSTITUTION), *ANNOTATIONS]

# The placeholders of the compiled statement: no document has this id (uuid4 ids), no person
# this one (as workflow.roles), and no delegation runs on the first day of year 1.
_NO_DOCUMENT = UUID(int=0)
_NOBODY = -(2**31) + 1
_NO_DAY = datetime.date(1, 1, 1)

_DETAIL = Reusable(
    lambda pk, user_id, today: (
        with_acting_for(for_api(Document.objects.filter(pk=pk)), user_id, today)
        .order_by()
        .values_list(*_NAMES)
    ),
    placeholders=(_NO_DOCUMENT, _NOBODY, _NO_DAY),
    prepare=(
        Document._meta.pk.get_db_prep_value,
        None,
        lambda day, connection: connection.ops.adapt_datefield_value(day),
    ),
)


def detail_document(*, document_id: UUID, by: User) -> Document | None:
    """The document as the detail reads it for ``by`` (an authenticated person), whether or not
    they may see it; None when there is no such document."""
    rows = _DETAIL.rows(document_id, by.pk, timezone.localdate())
    return _instance(rows[0]) if rows else None


def visible_detail_document(*, document_id: UUID | str, by: User) -> Document:
    """:func:`detail_document` of a document ``by`` may see: NotFound otherwise, or for a
    malformed id (as workflow.selectors.document_get_visible: never a 500, never a hint that it
    exists)."""
    return document_read_visible(
        document_id=document_id, by=by, read=lambda pk: detail_document(document_id=pk, by=by)
    )


def _instance(row: tuple) -> Document:
    """The document and its institution from the row (as ``select_related`` has them), with
    the annotations as attributes."""
    documents, institutions = len(_DOCUMENT), len(_INSTITUTION)
    document = Document.from_db(DEFAULT_DB_ALIAS, _DOCUMENT, row[:documents])
    institution_values = row[documents : documents + institutions]
    document.institution = Institution.from_db(DEFAULT_DB_ALIAS, _INSTITUTION, institution_values)
    for name, value in zip(ANNOTATIONS, row[documents + institutions :], strict=True):
        setattr(document, name, value)
    return document

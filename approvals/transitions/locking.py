"""The row lock every transition takes, as one statement compiled once per database connection
(config.sql.Reusable): building and compiling the queryset (a document with its institution,
project and author, locked ``of`` itself) cost Django more CPU than the database spends
answering it. The rows are read afresh on every call; only the SQL is kept.

The statement locks by primary key alone, so that its SQL is the same for every caller; who may
see the document is asked in Python (workflow.selectors.can_see_document) of the row as locked.
A caller who may not see it therefore holds its lock for a moment: until the rollback of their
transaction, which the NotFound raised right after the read brings about, with no statement in
between. Harmless: the row is not changed, the caller learns nothing a 404 does not say (a
document id is random and only those who may see it are given it), and a transition waiting on
that lock waits for no longer than the 404 takes to raise. The answer is the one the filtered
lock gave: the visibility is asked of the row read after any wait for the lock, as
PostgreSQL re-checks a WHERE after such a wait."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

from config.sql import Reusable, column_names
from workflow.models import Document, Institution, Project
from workflow.selectors import document_read_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User


User = get_user_model()
# Each model's columns, and the path to it from the document: one row holds them all, in order.
_PARTS: list[tuple[str, type[Model], list[str]]] = [
    ("", Document, column_names(Document)),
    ("institution__", Institution, column_names(Institution)),
    ("project__", Project, column_names(Project)),
    ("author__", User, column_names(User)),
]
# The author's notification language (null: no preference row, Swahili), the one thing the
# receivers read of their preference (notifications.people.language_of).
_LANGUAGE = "author__notification_preference__language"
# Where the author carries it (None: no preference row, so Swahili), for notifications.people,
# the app above this one, which reads it before the preference row.
NOTIFICATION_LANGUAGE = "idhini_notification_language"
_NAMES = [f"{path}{name}" for path, _model, names in _PARTS for name in names] + [_LANGUAGE]
# A person's columns, as the statements that read people with their language select them.
PERSON_COLUMNS = column_names(User)


def person_from_row(values: tuple, language: str | None) -> User:
    """A person from their columns (in ``PERSON_COLUMNS``' order), carrying their notification
    language (None: no preference row) where notifications.people.language_of reads it."""
    person = User.from_db(DEFAULT_DB_ALIAS, PERSON_COLUMNS, values)
    setattr(person, NOTIFICATION_LANGUAGE, language)
    return person


# No document has this id (uuid4 ids): the compiled statement's placeholder.
_NO_DOCUMENT = UUID(int=0)
_PK = Document._meta.pk


def _statement(*, lock: type[Model] | None) -> Reusable:
    return Reusable(
        lambda pk: Document.objects.filter(pk=pk).order_by().values_list(*_NAMES),
        placeholder=_NO_DOCUMENT,
        prepare=_PK.get_db_prep_value,
        lock=lock,
    )


_LOCK = _statement(lock=Document)
# The same row unlocked, for the refusals asked before a slow step (steps.read).
_READ = _statement(lock=None)


def locked_document(*, document_id: UUID | str, by: User) -> Document:
    """The document row-locked for this transaction (only its own row), with its institution,
    project and author (and the author's notification language): NotFound when ``by`` may not
    see it, or the id is malformed (never a 500, never a hint that it exists: 404, not 403)."""
    return _visible(_LOCK, document_id, by)  # on a 404 the rollback releases the lock (above)


def unlocked_document(*, document_id: UUID | str, by: User) -> Document:
    """The same document as :func:`locked_document` reads, without a lock."""
    return _visible(_READ, document_id, by)


def _visible(statement: Reusable, document_id: UUID | str, by: User) -> Document:
    def read(pk: UUID) -> Document | None:
        rows = statement.rows(pk)
        return _instances(rows[0]) if rows else None

    return document_read_visible(document_id=document_id, by=by, read=read)


def _instances(row: tuple) -> Document:
    """The document from its row, its related objects assigned through their descriptors (as
    ``select_related`` would have them: a document without a project has None)."""
    objects = []
    start = 0
    for _path, model, names in _PARTS:
        values = row[start : start + len(names)]
        start += len(names)
        is_null = values[names.index(model._meta.pk.attname)] is None
        objects.append(None if is_null else model.from_db(DEFAULT_DB_ALIAS, names, values))
    document, institution, project, author = objects
    document.institution = institution
    document.project = project
    setattr(author, NOTIFICATION_LANGUAGE, row[start])
    document.author = author
    return document

"""A transition's in-app notifications and their e-mail rows written together: on PostgreSQL in
one statement (two INSERTs in a data-modifying WITH, the e-mails taking their notification's new
id by recipient), elsewhere in two bulk INSERTs. Either way inside the caller's transaction."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model

from config.sql import insert_fields, prepared_values
from notifications.models import Notification, Outbox


@functools.cache
def _placeholders(model: type[Model], skip: str, alias: str) -> str:
    """One row's placeholders, each cast to its column's type (made once per model: the
    columns' types are the schema's, not the rows')."""
    fields = insert_fields(model, skip=skip)
    # varchar(300) cast as varchar: a cast would cut a long value where the INSERT refuses it.
    casts = (re.sub(r"\(.*\)$", "", f.db_type(connections[alias])) for f in fields)
    return "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"


def insert_notifications(notes: Sequence[Notification], emails: Sequence[Outbox]) -> None:
    """Insert ``notes`` (one per recipient) and ``emails`` (each with its note as
    ``notification``), giving every row its id."""
    connection = connections[router.db_for_write(Notification)]
    if connection.vendor != "postgresql" or not emails:
        Notification.objects.bulk_create(notes)
        if emails:
            Outbox.objects.bulk_create(emails)  # each takes its saved note's id
        return
    qn = connection.ops.quote_name
    note_fields = insert_fields(Notification)
    mail_fields = insert_fields(Outbox, skip="notification")
    note_columns = ", ".join(qn(f.column) for f in note_fields)
    mail_columns = ", ".join(qn(f.column) for f in mail_fields)
    recipient = qn(Outbox._meta.get_field("recipient").column)
    note_row = _placeholders(Notification, "", connection.alias)
    mail_row = _placeholders(Outbox, "notification", connection.alias)
    sql = (
        f"WITH n AS (INSERT INTO {qn(Notification._meta.db_table)} ({note_columns}) "  # noqa: S608 - our tables; values are parameters
        f"VALUES {', '.join([note_row] * len(notes))} RETURNING id, recipient_id), "
        f"o AS (INSERT INTO {qn(Outbox._meta.db_table)} "
        f"({qn(Outbox._meta.get_field('notification').column)}, {mail_columns}) "
        f"SELECT n.id, {', '.join(f'e.{qn(f.column)}' for f in mail_fields)} FROM n "
        f"JOIN (VALUES {', '.join([mail_row] * len(emails))}) AS e ({mail_columns}) "
        f"ON e.{recipient} = n.recipient_id RETURNING id, {recipient}) "
        f"SELECT n.id, n.recipient_id, o.id FROM n LEFT JOIN o ON o.{recipient} = n.recipient_id"
    )
    params = [v for note in notes for v in prepared_values(note, note_fields, connection)]
    params += [v for email in emails for v in prepared_values(email, mail_fields, connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = {recipient_id: (note_id, mail_id) for note_id, recipient_id, mail_id in cursor}
    for note in notes:
        note.pk = ids[note.recipient_id][0]
    for email in emails:
        email.pk = ids[email.recipient_id][1]
        email.notification = email.notification  # takes the note's new id
    for row in (*notes, *emails):
        row._state.adding, row._state.db = False, connection.alias

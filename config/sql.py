"""A model's rows as parameters of a hand-written statement (the data-modifying WITHs of
workflow.audit.save_with_event and notifications.inserts): the columns an INSERT writes and
each value prepared as Django's own save prepares it (pre_save: auto_now and the like; then the
database's form)."""

from __future__ import annotations

from django.db.models import Field, Model


def insert_fields(model: type[Model], *, skip: str = "") -> list[Field]:
    """The columns an INSERT of ``model`` writes: every concrete one but the primary key (and
    ``skip``)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name != skip]


def prepared_values(obj: Model, fields: list[Field], connection, *, add: bool = True) -> list:
    """``obj``'s values of ``fields`` as Django's save would send them (``add``: an INSERT, else
    an UPDATE)."""
    return [f.get_db_prep_save(f.pre_save(obj, add=add), connection) for f in fields]

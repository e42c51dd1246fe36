"""A model's rows as parameters of a hand-written statement (the data-modifying WITHs of
workflow.audit.save_with_event and notifications.inserts): the columns an INSERT writes and
each value prepared as Django's own save prepares it (pre_save: auto_now and the like; then the
database's form), :func:`insert_rows` for such rows, and :class:`Reusable`, a statement
every request runs, compiled once."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.models import Field, Model, QuerySet
from django.db.transaction import TransactionManagementError


def column_names(model: type[Model]) -> list[str]:
    """``model``'s concrete columns by attribute name, in order: what ``Model.from_db`` takes
    from a row of a ``values_list`` that selects them so."""
    return [field.attname for field in model._meta.concrete_fields]


def insert_fields(model: type[Model], *, skip: str = "") -> list[Field]:
    """The columns an INSERT of ``model`` writes: every concrete one but the primary key, a
    generated column (``GeneratedField``: the database computes it, and refuses a value), and
    ``skip``."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.generated and f.name != skip
    ]


def prepared_values(obj: Model, fields: list[Field], connection, *, add: bool = True) -> list:
    """``obj``'s values of ``fields`` as Django's save would send them (``add``: an INSERT, else
    an UPDATE)."""
    return [f.get_db_prep_save(f.pre_save(obj, add=add), connection) for f in fields]


def insert_rows(objects: Sequence[Model], *, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
    """``objects`` (of one model) inserted in one statement with the values their save() would
    send, each one's key read back: for rows a transition writes under its document's lock,
    where save()'s or bulk_create()'s machinery cost Django more than the database spends on
    the INSERT. Only for models whose save() does nothing but refuse an existing row (as this
    does) and that no save signal's receiver listens to (none is sent), keyed by the database
    (an AutoField); PostgreSQL and SQLite (RETURNING, in the order of the rows). Only the key
    is read back: a generated column (``GeneratedField``) is not written and, unlike save(),
    not read back either (no model written so has one)."""
    if not objects:
        return []
    connection = connections[using]
    qn = connection.ops.quote_name
    model = type(objects[0])
    meta = model._meta
    if meta.auto_field is None or any(type(o) is not model or o.pk is not None for o in objects):
        raise ValueError("insert_rows writes new rows of one model whose key the database gives")
    fields = insert_fields(model)
    row = f"({', '.join(['%s'] * len(fields))})"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608 - our tables; values are parameters
        f"VALUES {', '.join([row] * len(objects))} RETURNING {qn(meta.pk.column)}"
    )
    params = [value for obj in objects for value in prepared_values(obj, fields, connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [key for (key,) in cursor.fetchall()]
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = meta.pk.to_python(key)
        obj._state.adding, obj._state.db = False, using  # as save() leaves it (Model._state)
    return list(objects)


def insert_row(obj: Model, *, using: str = DEFAULT_DB_ALIAS) -> Model:
    """One row, as :func:`insert_rows` inserts them."""
    return insert_rows([obj], using=using)[0]


_NONE = object()


def _itself(value: Any, connection: Any) -> Any:
    return value


class Reusable:
    """A queryset compiled to SQL once per database connection, then run with its parameters
    changed: for the statement every request runs to know who the caller is (workflow.roles),
    where building and compiling the queryset cost Django more CPU than the database spends
    answering it. Only the SQL is kept, never a row: every run reads the database afresh.

    ``build(value)`` makes the queryset (a ``values_list``) for one value of the parameter;
    ``placeholder`` must appear once among the compiled parameters (a value no row has).
    Several parameters (``placeholders``, a tuple; ``build(*values)``): each placeholder
    appears at least once (a value no other parameter of the statement has), and every place
    it appears takes its value. ``prepare(value, connection)``: a parameter as the database
    takes it, when that is not the value itself (a UUID is text on SQLite); with several, one
    for each (None: the value itself). ``lock``: the rows of this model are locked
    for the transaction (``FOR UPDATE OF`` its table, where the database locks rows): a
    ``values_list`` can select another table's columns, but Django locks only a model
    queryset's own rows (``select_for_update(of=...)``), so the clause is the backend's own,
    added here, and the joined rows are read, never locked. A locking statement run outside a
    transaction is refused, as Django refuses ``select_for_update`` there: under autocommit the
    lock would end with the statement."""

    _numbers = itertools.count()  # each instance its own attribute, even one made after another

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        placeholder: Any = _NONE,
        placeholders: tuple = (),
        prepare: Callable[[Any, Any], Any] | tuple | None = None,
        lock: type[Model] | None = None,
    ):
        if (placeholder is _NONE) == (not placeholders):
            raise ValueError("give a placeholder, or several placeholders")
        self.several = bool(placeholders)
        self.placeholders = tuple(placeholders) if self.several else (placeholder,)
        prepares = prepare if isinstance(prepare, tuple) else (prepare,) * len(self.placeholders)
        if len(prepares) != len(self.placeholders):
            raise ValueError("one prepare for each placeholder")
        self.prepares = tuple(p or _itself for p in prepares)
        self.build = build
        self.lock = lock
        self.attribute = f"_idhini_reusable_{next(self._numbers)}"

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list:
        """The rows for ``values`` (one for each placeholder), converted as the queryset's own
        iteration converts them."""
        # A connection wrapper serves one thread at a time, whatever its database session:
        # the compiled statement kept on it is never shared between threads.
        if len(values) != len(self.placeholders):
            raise TypeError(f"{len(self.placeholders)} values, one for each placeholder")
        connection = connections[using]
        locking = self.lock is not None and connection.features.has_select_for_update
        if locking and connection.get_autocommit():
            raise TransactionManagementError("a locking statement runs inside a transaction")
        compiled = getattr(connection, self.attribute, None)
        if compiled is None:
            compiled = self._compile(using)
            setattr(connection, self.attribute, compiled)
        compiler, sql, params, places, converters = compiled
        params = [*params]
        for value, prepare, where in zip(values, self.prepares, places, strict=True):
            prepared = prepare(value, connection)
            for at, kind in where:
                params[at] = (
                    prepared if prepared is None or type(prepared) is kind else kind(prepared)
                )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            results = cursor.fetchall()
        # What the queryset's iteration does to its rows (compiler.results_iter), with the
        # converters found once: finding them walked every column's expression on each call.
        if not converters:
            return list(results)
        return list(compiler.apply_converters(results, converters))

    def _compile(self, using: str) -> tuple:
        compiler = self.build(*self.placeholders).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        connection = compiler.connection
        places = []
        for placeholder, prepare in zip(self.placeholders, self.prepares, strict=True):
            prepared = prepare(placeholder, connection)
            # A value in a SELECT may come wrapped in the driver's type of its column (psycopg's
            # Int4 of an int: Django's Value): a subclass of the placeholder's, kept at run time.
            # (Not a bool for an int: True == 1.)
            at = tuple(
                (i, type(param))
                for i, param in enumerate(params)
                if isinstance(param, type(prepared))
                and (type(param) is bool) == (type(prepared) is bool)
                and param == prepared
            )
            if not at or (len(at) > 1 and not self.several):
                raise ValueError(
                    f"the placeholder is {len(at)} of the statement's parameters, not 1"
                )
            places.append(at)
        taken = [i for at in places for i, _kind in at]
        if len(taken) != len(set(taken)):
            raise ValueError("two placeholders take the same parameter: give distinct values")
        if compiler.has_extra_select:
            # Columns Django selects only to order by would come back with the rows (its own
            # execute_sql trims them; rows() does not): say so rather than misread a column.
            raise ValueError("the statement selects columns beyond its values_list")
        if self.lock is not None and connection.features.has_select_for_update:
            if not connection.features.has_select_for_update_of:
                raise NotSupportedError("this database cannot lock the rows of one table only")
            if compiler.query.select_for_update or compiler.query.is_sliced:
                # A clause of Django's own, or a LIMIT, would need the lock placed otherwise.
                raise ValueError("a locking statement is built unlocked and unsliced")
            table = connection.ops.quote_name(self.lock._meta.db_table)
            sql = f"{sql} {connection.ops.for_update_sql(of=[table])}"
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("the statement selects a composite primary key")
        converters = compiler.get_converters(fields)
        return compiler, sql, list(params), tuple(places), converters

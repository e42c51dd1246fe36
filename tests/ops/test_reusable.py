"""config.sql.Reusable with several parameters: every place a placeholder takes in the compiled
statement takes its value (a value wrapped in the driver's column type too: psycopg's Int4 of
Django's Value), the rows are read afresh with each call's values, and a statement the
placeholders do not fit is refused when it is compiled, never misread."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When

from config.sql import Reusable

pytestmark = pytest.mark.django_db
User = get_user_model()

_NOBODY = -(2**31) + 1
_NO_DAY = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def _people(pk, joined_after):
    """The person ``pk`` if they joined after ``joined_after``, with ``pk`` again as a value in
    the SELECT (in a CASE, in its condition and its value: three places in all)."""
    return (
        User.objects.filter(pk=pk, date_joined__gt=joined_after)
        .annotate(
            again=Case(When(Q(pk=pk), then=Value(pk)), default=None, output_field=IntegerField())
        )
        .order_by()
        .values_list("username", "again")
    )


def test_every_place_of_each_placeholder_takes_its_value(world):
    joined = User._meta.get_field("date_joined").get_db_prep_value  # text on SQLite
    reusable = Reusable(_people, placeholders=(_NOBODY, _NO_DAY), prepare=(None, joined))
    statement = SimpleNamespace(
        rows=lambda *values: [tuple(row) for row in reusable.rows(*values)],
        attribute=reusable.attribute,
    )
    long_ago = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    officer, reviewer = world.officer, world.reviewer
    assert statement.rows(officer.pk, long_ago) == [(officer.username, officer.pk)]
    assert statement.rows(reviewer.pk, long_ago) == [(reviewer.username, reviewer.pk)]
    assert statement.rows(officer.pk, officer.date_joined) == []  # not after: the second value
    assert statement.rows(_NOBODY, long_ago) == []
    # Compiled once for the connection, whatever the values.
    compiled = getattr(connections["default"], statement.attribute)
    statement.rows(reviewer.pk, long_ago)
    assert getattr(connections["default"], statement.attribute) is compiled


def test_the_values_must_fit_the_placeholders():
    statement = Reusable(_people, placeholders=(_NOBODY, _NO_DAY))
    with pytest.raises(TypeError):
        statement.rows(1)


def test_a_placeholder_the_statement_does_not_take_is_refused_when_compiled():
    missing = Reusable(
        lambda pk, day: User.objects.filter(pk=pk).values_list("username"),
        placeholders=(_NOBODY, _NO_DAY),
    )
    with pytest.raises(ValueError, match="is 0 of the statement's parameters"):
        missing.rows(1, _NO_DAY)


def test_one_placeholder_must_be_one_parameter():
    twice = Reusable(lambda pk: _people(pk, _NO_DAY), placeholder=_NOBODY)
    with pytest.raises(ValueError, match="is 3 of the statement's parameters, not 1"):
        twice.rows(1)


def test_a_placeholder_or_several_not_both_nor_none():
    with pytest.raises(ValueError):
        Reusable(_people)
    with pytest.raises(ValueError):
        Reusable(_people, placeholder=_NOBODY, placeholders=(_NOBODY, _NO_DAY))
    with pytest.raises(ValueError):
        Reusable(_people, placeholders=(_NOBODY, _NO_DAY), prepare=(None,))


def test_an_int_placeholder_never_takes_a_boolean_parameter(world):
    """``active=True`` is a parameter equal to 1: a placeholder of 1 must not take it."""
    statement = Reusable(
        lambda pk: User.objects.filter(pk=pk, is_active=True).values_list("username"),
        placeholders=(1,),
    )
    active = [tuple(row) for row in statement.rows(world.officer.pk)]
    assert active == [(world.officer.username,)]
    _compiler, _sql, params, places, _converters = getattr(
        connections["default"], statement.attribute
    )
    assert True in params and [type(params[i]) for i, _kind in places[0]] == [int]


def test_two_placeholders_of_the_same_value_are_refused():
    statement = Reusable(
        lambda first, second: User.objects.filter(pk=first).exclude(pk=second).values_list("pk"),
        placeholders=(_NOBODY, _NOBODY),
    )
    with pytest.raises(ValueError, match="give distinct values"):
        statement.rows(1, 2)

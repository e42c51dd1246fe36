"""PostgreSQL binds the parameters itself and keeps a connection's repeated statements prepared
(config/database.py); IDHINI_DB_SERVER_SIDE_BINDING=0 goes back to psycopg quoting them into the
SQL text, for a pooler that cannot keep prepared statements."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from config.database import PREPARE_THRESHOLD, database_config
from workflow.models import Institution

URL = "postgres://idhini@127.0.0.1:5432/idhini"


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements():
    options = database_config(URL, Path("unused.sqlite3"))["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_turned_off_postgresql_quotes_parameters_on_the_client_and_prepares_nothing():
    database = database_config(URL, Path("unused.sqlite3"), server_side_binding=False)
    options = database.get("OPTIONS", {})
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_sqlite_is_left_as_it_was():
    options = database_config("", Path("db.sqlite3"), server_side_binding=True)["OPTIONS"]
    assert options == {"timeout": 20, "transaction_mode": "IMMEDIATE"}


@pytest.mark.django_db
def test_a_statement_run_often_on_one_connection_is_prepared_on_the_server():
    if connection.vendor != "postgresql" or not connection.features.uses_server_side_binding:
        pytest.skip("PostgreSQL with server-side binding only")
    table = Institution._meta.db_table
    for n in range(PREPARE_THRESHOLD + 1):
        list(Institution.objects.filter(code__startswith=f"prepared-{n}").values_list("name_sw"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # One statement, whatever the value: $1 in the text, the value bound on each run.
    assert [s for s in prepared if table in s and "LIKE $1" in s and "name_sw" in s], prepared

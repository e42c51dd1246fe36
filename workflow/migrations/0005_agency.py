"""The agency's archive and queue search (approvals/search.py): on PostgreSQL, a GIN index of
the full-text vector of reference and title. Nothing on SQLite (its search is a plain LIKE)."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS document_search_idx ON workflow_document
USING gin (to_tsvector('simple'::regconfig, COALESCE(reference, '') || ' ' || title));
"""
DROP = "DROP INDEX IF EXISTS document_search_idx;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_attachments")]

    operations = [migrations.RunPython(forwards, backwards)]

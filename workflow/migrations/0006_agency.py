"""The agency's pages, on PostgreSQL: a GIN index of the full-text vector of reference and title
(approvals/search.py; SQLite searches with a plain LIKE); for the dashboard's figures
(approvals/dashboard_selectors.py) a partial covering index of the decided documents, read by an
index-only scan, and one of the documents waiting on a person by how long (the overdue list)."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS document_search_idx ON workflow_document
USING gin (to_tsvector('simple'::regconfig, COALESCE(reference, '') || ' ' || title));
CREATE INDEX IF NOT EXISTS document_decided_idx ON workflow_document
(institution_id, type, submitted_at, status_changed_at)
WHERE status IN ('approved', 'rejected') AND submitted_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS document_waiting_idx ON workflow_document (status_changed_at)
WHERE status IN ('awaiting_signatures', 'submitted', 'under_review');
"""
DROP = (
    "DROP INDEX IF EXISTS document_search_idx; DROP INDEX IF EXISTS document_decided_idx; "
    "DROP INDEX IF EXISTS document_waiting_idx;"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0005_agency_identity")]

    operations = [migrations.RunPython(forwards, backwards)]

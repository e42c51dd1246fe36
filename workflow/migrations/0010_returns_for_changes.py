"""How often a document came back for changes, on its row (approvals 0007 keeps it with a
trigger and fills it in); and, on PostgreSQL, the dashboard's indexes of the decided documents
ordered by their time to decision, overall, per type and per institution. Each covers what the
figures read (approvals/dashboard_selectors.py), so each group's median and 90th percentile come
from an index-only scan already in order instead of a sort. They replace 0006's
``document_decided_idx``."""

from django.db import migrations, models

DECIDED = "WHERE status IN ('approved', 'rejected') AND submitted_at IS NOT NULL"
COVERED = "INCLUDE (status_changed_at, submitted_at, returns_for_changes)"
TIME = "(status_changed_at - submitted_at)"
CREATE = f"""
DROP INDEX IF EXISTS document_decided_idx;
CREATE INDEX IF NOT EXISTS document_decided_time_idx ON workflow_document ({TIME})
{COVERED} {DECIDED};
CREATE INDEX IF NOT EXISTS document_decided_type_idx ON workflow_document (type, {TIME})
{COVERED} {DECIDED};
CREATE INDEX IF NOT EXISTS document_decided_institution_idx ON workflow_document
(institution_id, {TIME}) {COVERED} {DECIDED};
"""
DROP = f"""
DROP INDEX IF EXISTS document_decided_time_idx;
DROP INDEX IF EXISTS document_decided_type_idx;
DROP INDEX IF EXISTS document_decided_institution_idx;
CREATE INDEX IF NOT EXISTS document_decided_idx ON workflow_document
(institution_id, type, submitted_at, status_changed_at) {DECIDED};
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0009_signatory_roles_form_version")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="returns_for_changes",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]

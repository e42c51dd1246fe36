"""The similar-systems index; on PostgreSQL its search vector and its two GIN indexes.

PostgreSQL has no Swahili text-search configuration: each text is parsed twice, with 'simple'
(every word as written: Swahili, names, acronyms) and with 'english' (English words by their
stem), accents removed by unaccent. ``idhini_unaccent`` is unaccent with its dictionary named,
declared IMMUTABLE so that a generated column and an index may use it. On SQLite nothing of this
exists and similar.backends compares terms itself.
"""

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models


POSTGRESQL = """
CREATE OR REPLACE FUNCTION idhini_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

ALTER TABLE similar_searchentry ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, idhini_unaccent(heading)), 'A')
    || setweight(to_tsvector('english'::regconfig, idhini_unaccent(heading)), 'A')
    || setweight(to_tsvector('simple'::regconfig, idhini_unaccent(body)), 'B')
    || setweight(to_tsvector('english'::regconfig, idhini_unaccent(body)), 'B')
    || setweight(to_tsvector('simple'::regconfig, idhini_unaccent(extra)), 'C')
    || setweight(to_tsvector('english'::regconfig, idhini_unaccent(extra)), 'C')
) STORED;

CREATE INDEX similar_entry_search_gin ON similar_searchentry USING gin (search);
CREATE INDEX similar_entry_title_trgm ON similar_searchentry USING gin (title_key gin_trgm_ops);
"""

POSTGRESQL_REVERSE = """
DROP INDEX IF EXISTS similar_entry_title_trgm;
DROP INDEX IF EXISTS similar_entry_search_gin;
ALTER TABLE similar_searchentry DROP COLUMN IF EXISTS search;
DROP FUNCTION IF EXISTS idhini_unaccent(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('workflow', '0002_audit_append_only_trigger'),
    ]

    operations = [
        # Both do nothing on other databases (django.contrib.postgres.operations).
        TrigramExtension(),
        UnaccentExtension(),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='workflow.project')),
                ('status', models.CharField(choices=[('submitted', 'Submitted'), ('under_review', 'Under review'), ('approved', 'Approved'), ('existing', 'Existing system')], max_length=32, verbose_name='status')),
                ('reference', models.CharField(blank=True, max_length=40, verbose_name='reference')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('title_key', models.CharField(blank=True, max_length=300)),
                ('heading', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('extra', models.TextField(blank=True)),
                ('fields', models.JSONField(blank=True, default=dict)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workflow.document')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workflow.institution')),
            ],
            options={
                'verbose_name': 'similar-systems index entry',
                'verbose_name_plural': 'similar-systems index',
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['submitted', 'under_review', 'approved', 'existing'])), name='search_entry_status_valid')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]

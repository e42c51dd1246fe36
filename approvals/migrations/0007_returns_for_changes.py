"""The database keeps ``workflow_document.returns_for_changes`` equal to the number of the
document's reviews with the decision ``changes_requested``, in the same transaction as the
review itself, however it is written (the request-changes transition, the admin, a bulk
insert). The dashboard reads the count on the document instead of joining the reviews.

Two triggers hold it: a review written, deleted or changed sets its document's count to the
count of its returns; and a document saved with any other count (a transition saves the row it
locked, read before its review was written) gets the count back. Then the count is filled in for
the reviews already stored: creating the triggers locks both tables against writes until this
migration commits, so no review is missed."""

from django.db import migrations

COUNT = (
    "(SELECT COUNT(*) FROM approvals_review AS r WHERE r.document_id = {id} "
    "AND r.decision = 'changes_requested')"
)
RECOUNT = "UPDATE workflow_document SET returns_for_changes = " + COUNT + " WHERE id = {id}"

POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION idhini_review_returns() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {RECOUNT.format(id="OLD.document_id")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {RECOUNT.format(id="NEW.document_id")};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    f"""
CREATE OR REPLACE FUNCTION idhini_document_returns() RETURNS trigger AS $$
BEGIN
    NEW.returns_for_changes := {COUNT.format(id="NEW.id")};
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER approvals_review_returns
    AFTER INSERT OR DELETE OR UPDATE OF decision, document_id ON approvals_review
    FOR EACH ROW EXECUTE FUNCTION idhini_review_returns();
""",
    """
CREATE TRIGGER workflow_document_returns
    BEFORE UPDATE OF returns_for_changes ON workflow_document FOR EACH ROW
    WHEN (NEW.returns_for_changes IS DISTINCT FROM OLD.returns_for_changes)
    EXECUTE FUNCTION idhini_document_returns();
""",
]
SQLITE = [
    f"""
CREATE TRIGGER approvals_review_returns_insert AFTER INSERT ON approvals_review
BEGIN {RECOUNT.format(id="NEW.document_id")}; END;
""",
    f"""
CREATE TRIGGER approvals_review_returns_delete AFTER DELETE ON approvals_review
BEGIN {RECOUNT.format(id="OLD.document_id")}; END;
""",
    f"""
CREATE TRIGGER approvals_review_returns_update
AFTER UPDATE OF decision, document_id ON approvals_review
BEGIN
{RECOUNT.format(id="OLD.document_id")};
{RECOUNT.format(id="NEW.document_id")};
END;
""",
    f"""
CREATE TRIGGER workflow_document_returns AFTER UPDATE OF returns_for_changes ON workflow_document
WHEN NEW.returns_for_changes IS NOT {COUNT.format(id="NEW.id")}
BEGIN {RECOUNT.format(id="NEW.id")}; END;
""",
]
FILL = (
    "UPDATE workflow_document SET returns_for_changes = "
    + COUNT.format(id="workflow_document.id")
    + " WHERE id IN (SELECT document_id FROM approvals_review"
    " WHERE decision = 'changes_requested')"
)
DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS approvals_review_returns ON approvals_review",
        "DROP TRIGGER IF EXISTS workflow_document_returns ON workflow_document",
        "DROP FUNCTION IF EXISTS idhini_review_returns()",
        "DROP FUNCTION IF EXISTS idhini_document_returns()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "approvals_review_returns_insert",
            "approvals_review_returns_delete",
            "approvals_review_returns_update",
            "workflow_document_returns",
        )
    ],
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0006_mailbox"),
        ("workflow", "0010_returns_for_changes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

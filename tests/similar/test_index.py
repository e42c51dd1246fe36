"""The index follows concept notes and projects, in the transaction of each change."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from approvals import services as approvals
from similar.indexing import build_entry, similar_index_rebuild
from similar.models import SearchEntry
from tests.helpers import fill_checklist
from tests.similar.support import PATIENTS, concept_note
from workflow.models import Document, Project

pytestmark = pytest.mark.django_db


def _entry(document) -> SearchEntry | None:
    return SearchEntry.objects.filter(project_id=document.project_id).first()


def test_a_concept_note_enters_at_submission_and_follows_the_review(world):
    document = concept_note(world, world.officer, PATIENTS, "signed")
    assert _entry(document) is None
    approvals.document_submit(document_id=document.pk, by=world.officer)
    entry = _entry(document)
    assert (entry.status, entry.document_id, entry.institution_id) == (
        "submitted",
        document.pk,
        world.moh.pk,
    )
    assert entry.reference == Document.objects.get(pk=document.pk).reference
    assert entry.title == PATIENTS["name"]
    assert "foleni" in entry.body and "GoTHOMIS" in entry.extra
    assert entry.fields["problem_statement"] == PATIENTS["problem_statement"]
    approvals.document_claim(document_id=document.pk, by=world.reviewer)
    assert _entry(document).status == "under_review"
    approvals.document_release(document_id=document.pk, by=world.reviewer)
    assert _entry(document).status == "submitted"
    approvals.document_claim(document_id=document.pk, by=world.reviewer)
    fill_checklist(document.pk, by=world.reviewer)
    approvals.document_approve(document_id=document.pk, by=world.reviewer, comment="Sawa")
    assert _entry(document).status == "approved"


@pytest.mark.parametrize("end", ["changes_requested", "rejected", "withdrawn"])
def test_a_concept_note_leaves_when_returned_rejected_or_withdrawn(world, end):
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    assert _entry(document) is not None
    if end == "withdrawn":
        approvals.document_withdraw(document_id=document.pk, by=world.officer)
    else:
        approvals.document_claim(document_id=document.pk, by=world.reviewer)
        if end == "rejected":
            approvals.document_reject(document_id=document.pk, by=world.reviewer, reason="La")
        else:
            approvals.document_request_changes(
                document_id=document.pk, by=world.reviewer, comment="Rekebisha"
            )
    assert _entry(document) is None


def test_the_index_changes_with_the_transition_or_not_at_all(world):
    document = concept_note(world, world.officer, PATIENTS, "signed")
    with pytest.raises(RuntimeError), transaction.atomic():
        approvals.document_submit(document_id=document.pk, by=world.officer)
        assert _entry(document) is not None
        raise RuntimeError("the request fails after the transition")
    assert _entry(document) is None
    assert Document.objects.get(pk=document.pk).status == "signed"


def test_a_renamed_project_is_listed_under_its_new_name(world):
    document = concept_note(world, world.officer, PATIENTS, "approved")
    project = Project.objects.get(pk=document.project_id)
    project.name = "Mfumo wa Taifa wa Usajili wa Wagonjwa"
    project.save()
    entry = _entry(document)
    assert entry.title == "Mfumo wa Taifa wa Usajili wa Wagonjwa"
    assert entry.title_key == "taifa usajili wagonjwa"
    assert entry.status == "approved"


def test_other_documents_of_a_project_leave_the_index_alone(world):
    document = concept_note(world, world.officer, PATIENTS, "approved")
    before = _entry(document).updated_at
    from tests.helpers import drive, new_document

    report = new_document(world, "terms_of_reference", project=document.project)
    drive(world, report, "approved")
    assert _entry(document).updated_at == before
    assert SearchEntry.objects.count() == 1


def test_the_rebuild_writes_what_the_services_would_and_drops_the_rest(world):
    approved = concept_note(world, world.officer, PATIENTS, "approved")
    in_review = concept_note(world, world.officer_moe, PATIENTS, "submitted")
    expected = {
        e.project_id: (e.status, e.title, e.heading, e.body, e.extra, e.fields)
        for e in SearchEntry.objects.all()
    }
    draft = concept_note(world, world.officer_moe, PATIENTS, "draft")
    # Rows written around the services: one missing, one that should not be there.
    SearchEntry.objects.filter(project_id=approved.project_id).delete()
    SearchEntry.objects.create(
        project_id=draft.project_id, institution=world.moe, status="approved", title="stale"
    )
    out = io.StringIO()
    call_command("reindex_similar", stdout=out)
    assert "2" in out.getvalue()
    rebuilt = {
        e.project_id: (e.status, e.title, e.heading, e.body, e.extra, e.fields)
        for e in SearchEntry.objects.all()
    }
    assert rebuilt == expected
    assert set(rebuilt) == {approved.project_id, in_review.project_id}
    assert similar_index_rebuild() == 2


def test_a_registered_existing_system_is_indexed_from_its_project(world):
    # workflow.Project gains existing_approval_reference with the existing-systems feature;
    # similar.indexing reads it where it exists (here set on the object, as the field will).
    project = Project(
        institution=world.moe,
        name="Mfumo wa Usajili wa Wagonjwa wa Zamani",
        created_by=world.officer,
    )
    project.description = "Umetumika tangu 2019 katika hospitali za mikoa."
    assert build_entry(project=project, concept_note=None) is None
    project.existing_approval_reference = "EGA/CN/2019/0042"
    entry = build_entry(project=project, concept_note=None)
    assert (entry.status, entry.reference, entry.document_id) == (
        "existing",
        "EGA/CN/2019/0042",
        None,
    )
    assert entry.heading == project.name and "hospitali" in entry.extra

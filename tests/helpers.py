"""Drive documents through the lifecycle over HTTP, as a client would."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from forms_templates.definitions import Field, Table
from forms_templates.registry import get_type, prerequisites
from forms_templates.rules import ProductEquals, SumAtMost, SumEquals, rules_of
from workflow.models import Institution, Membership, Project

PASSWORD = "correct-horse-battery"


def make_user(username: str, institution: Institution | None, role: str | None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.go.tz", **extra
    )
    if institution is not None and role is not None:
        Membership.objects.create(user=user, institution=institution, role=role)
    return user


def create_project(world, user=None, name: str = "Mfumo wa Hospitali") -> Project:
    user = user or world.officer
    response = world.client(user).post(
        "/api/v1/projects/", {"name": name, "description": "Maelezo"}, format="json"
    )
    assert response.status_code == 201, response.content
    return Project.objects.get(pk=response.json()["id"])


def act(world, user, document_id: str, action: str, body: dict[str, Any] | None = None):
    return world.client(user).post(
        f"/api/v1/documents/{document_id}/{action}/", body or {}, format="json"
    )


def ok(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def sample_value(field: Field, index: int = 0) -> Any:
    return {
        "text": f"Jibu {index} — sahihi",
        "long_text": f"Maelezo marefu {index}\nmstari wa pili",
        "number": 3 + index,
        "money": 1_500_000 + index,
        "date": "2027-01-15",
        "choice": field.choices[0].value if field.choices else "",
        "email": f"mtu{index}@afya.go.tz",
        "phone": "+255 22 212 3456",
    }[field.kind]


# The people a mailbox request names as its first signers (tests.conftest's world, MOH).
NAMED_PEOPLE = {"servant_username": "officer", "supervisor_username": "ict_head"}


def complete_data(
    type_key: str, rows: int = 1, people: dict[str, str] | None = None
) -> dict[str, Any]:
    """A fully answered form of the given type, valid against its schema and its rules (every
    date is the same day; each row total is its quantity × unit cost, each declared total the
    sum of its rows; the people a type names as signers are ``people``, MOH's by default)."""
    definition = get_type(type_key)
    data: dict[str, Any] = {}
    for item in definition.items():
        if isinstance(item, Table):
            data[item.key] = [
                {column.key: sample_value(column, row) for column in item.columns}
                for row in range(rows)
            ]
        else:
            data[item.key] = sample_value(item)
    for signatory in definition.signatories:
        if signatory.person_field:
            data[signatory.person_field] = {**NAMED_PEOPLE, **(people or {})}[
                signatory.person_field
            ]
    for rule in rules_of(definition):
        if isinstance(rule, ProductEquals):
            _make_product_hold(rule, data)
    for rule in rules_of(definition):
        if isinstance(rule, SumEquals | SumAtMost):
            _make_total_hold(rule, data)
    return data


def _make_product_hold(rule: ProductEquals, data: dict[str, Any]) -> None:
    table, product = rule.product.split("[*].")
    factor, by = rule.factor.split("[*].")[1], rule.by.split("[*].")[1]
    for row in data[table]:
        row[product] = row[factor] * row[by]


def _make_total_hold(rule: SumEquals | SumAtMost, data: dict[str, Any]) -> None:
    table, column = rule.lines.split("[*].")
    cells = data[table]
    if isinstance(rule, SumAtMost):
        data[rule.ceiling] = max(data[rule.ceiling], sum(row[column] for row in cells))
    elif isinstance(rule.total, str):
        data[rule.total] = sum(row[column] for row in cells)
    elif cells:  # a fixed total (100 per cent) shared out over the rows
        share, rest = divmod(rule.total, len(cells))
        for index, row in enumerate(cells):
            row[column] = share + (1 if index < rest else 0)


def new_document(world, type_key: str = "concept_note", *, project=None, author=None, fill=True):
    """A draft (through the services, as the API would make it), filled in completely."""
    from approvals.services import document_approve  # noqa: F401 - app loaded
    from workflow.services import document_create, document_update

    author = author or world.officer
    if project is None and get_type(type_key).needs_project:
        project = Project.objects.create(
            institution=world.moh if author.pk != world.officer_moe.pk else world.moe,
            name=f"Mradi {type_key}",
            created_by=author,
        )
        _approve_prerequisites(world, type_key, project, author)
    document = document_create(
        type=type_key,
        title=f"{get_type(type_key).name.sw} — jaribio",
        project_id=project.pk if project else None,
        by=author,
    )
    if fill:
        moe = author.pk == world.officer_moe.pk
        people = {"servant_username": author.username, "supervisor_username": "ict_head"}
        if moe:
            people["supervisor_username"] = "ict_head_moe"
        data = complete_data(type_key, people=people)
        document = document_update(document_id=document.pk, by=author, data=data)
        document = attach_required(document, author)
    return document


def upload(world, user, document_id, content: bytes, *, name="barua.pdf", kind="cover_letter"):
    """``POST /api/v1/documents/{id}/attachments/`` as a client sends a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return world.client(user).post(
        f"/api/v1/documents/{document_id}/attachments/",
        {"file": SimpleUploadedFile(name, content, "application/octet-stream"), "kind": kind},
        format="multipart",
    )


def upload_required(world, user, document_id, type_key: str) -> None:
    """Upload, over HTTP, a small real PDF for each kind of annex the type requires."""
    from tests.attachment_files import pdf_bytes

    for kind in get_type(type_key).required_attachments:
        content = pdf_bytes(note=f"{document_id} {kind}")
        ok(upload(world, user, document_id, content, name=f"{kind}.pdf", kind=kind), 201)


def attach_required(document, author=None):
    """Attach a small real PDF for each kind of annex the document's type requires (the concept
    note's cover letter), as its author would; the document as it is then."""
    from tests.attachment_files import pdf_bytes
    from workflow.attachments.services import attachment_add
    from workflow.models import Document

    author = author or document.author
    for kind in get_type(document.type).required_attachments:
        attachment_add(
            document_id=document.pk,
            by=author,
            kind=kind,
            name=f"{kind}.pdf",
            content=pdf_bytes(note=f"{document.pk} {kind}"),
        )
    return Document.objects.get(pk=document.pk)


def _approve_prerequisites(world, type_key: str, project, author) -> None:
    for prerequisite in prerequisites(type_key):
        document = new_document(world, prerequisite, project=project, author=author)
        drive(world, document, "approved")


SIGNERS = {
    "MOH": {
        "author": "officer",
        "system_owner": "system_owner",
        "head_of_ict": "ict_head",
        "head_of_procurement": "procurement_head",
        "accounting_officer": "accounting_officer",
        "head_of_hr": "hr_head",
    },
    "MOE": {
        "author": "officer_moe",
        "system_owner": "system_owner_moe",
        "head_of_ict": "ict_head_moe",
        "head_of_procurement": "procurement_head_moe",
        "accounting_officer": "accounting_officer_moe",
        "head_of_hr": "hr_head_moe",
    },
}


def drive(world, document, status: str):
    """Take a draft to ``status`` through the services, the way people would."""
    from approvals import services as approvals
    from workflow.models import Document

    author = document.author
    pk = document.pk

    def sign_all():
        while True:
            current = Document.objects.get(pk=pk)
            if current.status != "awaiting_signatures":
                return
            signer = get_user_model().objects.get(pk=current.next_signer_id)
            approvals.document_sign(document_id=pk, by=signer, password=PASSWORD)

    steps = {
        "draft": [],
        "awaiting_signatures": [
            lambda: approvals.document_request_signatures(document_id=pk, by=author)
        ],
        "signed": ["awaiting_signatures", sign_all],
        "submitted": ["signed", lambda: approvals.document_submit(document_id=pk, by=author)],
        "under_review": [
            "submitted",
            lambda: approvals.document_claim(document_id=pk, by=world.reviewer),
        ],
        "approved": [
            "under_review",
            lambda: fill_checklist(pk, by=world.reviewer),
            lambda: approvals.document_approve(document_id=pk, by=world.reviewer, comment="Sawa"),
        ],
        "rejected": [
            "under_review",
            lambda: approvals.document_reject(document_id=pk, by=world.reviewer, reason="Hapana"),
        ],
        "changes_requested": [
            "under_review",
            lambda: approvals.document_request_changes(
                document_id=pk, by=world.reviewer, comment="Rekebisha"
            ),
        ],
        "withdrawn": [lambda: approvals.document_withdraw(document_id=pk, by=author, reason="")],
    }

    def run(target):
        for step in steps[target]:
            if isinstance(step, str):
                run(step)
            else:
                step()

    run(status)
    document = Document.objects.get(pk=pk)
    assert document.status == status, (document.status, status)
    return document


def fill_checklist(document_id, *, by, mark: str = "met") -> None:
    """The reviewer ``by`` marks every criterion of the document's review checklist ``mark``
    (through the service, as the checklist API does), as a review does before approving."""
    from approvals.checklist_services import checklist_update
    from workflow.models import Document

    document = Document.objects.get(pk=document_id)
    note = {"note": "Haijatimizwa: ongeza maelezo"} if mark == "not_met" else {}
    checklist_update(
        document_id=document_id,
        by=by,
        marks={c.key: {"mark": mark, **note} for c in get_type(document.type).checklist},
    )


def clone_documents(document, n: int, **changes) -> None:
    """``n`` copies of a document with its current signatures, as many as a big agency has.

    ``changes`` set fields on every copy (a type without the one-concept-note rule, a status).
    """
    import uuid

    from approvals.models import Signature
    from workflow.models import Document

    skip = {"id", "reference", "verification_code", *changes}
    fields = {
        f.attname: getattr(document, f.attname)
        for f in Document._meta.concrete_fields
        if f.attname not in skip
    }
    copies = [
        Document(
            **fields,
            **changes,
            id=uuid.uuid4(),
            reference=f"{document.reference}-{uuid.uuid4().hex[:10]}"
            if document.reference
            else None,
        )
        for _ in range(n)
    ]
    Document.objects.bulk_create(copies, batch_size=1000)
    signatures = list(Signature.objects.filter(document=document, active=True))
    Signature.objects.bulk_create(
        [
            Signature(
                document=copy,
                version=s.version,
                role=s.role,
                order=s.order,
                signer_id=s.signer_id,
                status=s.status,
                content_hash=s.content_hash,
                signed_at=s.signed_at,
            )
            for copy in copies
            for s in signatures
        ],
        batch_size=2000,
    )


def returned_for_changes(world):
    """A concept note signed by everyone (the author is told), then returned for changes with a
    comment and a comment on a field: (document, the officer's notifications, oldest first)."""
    from notifications.models import Notification

    document = drive(world, new_document(world), "under_review")
    ok(
        act(
            world,
            world.reviewer,
            document.pk,
            "request-changes",
            {"comment": "Ongeza bajeti", "field_comments": {"title": "Kifupi zaidi"}},
        )
    )
    notes = list(Notification.objects.filter(recipient=world.officer).order_by("id"))
    return document, notes


def returned(world, *, by=None):
    """A concept note returned for changes by ``by`` (the first reviewer by default)."""
    from approvals import services as approvals
    from workflow.models import Document

    reviewer = by or world.reviewer
    document = drive(world, new_document(world), "submitted")
    approvals.document_claim(document_id=document.pk, by=reviewer)
    approvals.document_request_changes(document_id=document.pk, by=reviewer, comment="Rekebisha")
    return Document.objects.get(pk=document.pk)


def signed_again(world, document) -> None:
    """A returned concept note edited (a new version) and signed again by everyone."""
    from approvals import services as approvals
    from workflow import services as engine

    engine.document_update(document_id=document.pk, by=world.officer, title="Dhana — toleo 2")
    approvals.document_request_signatures(document_id=document.pk, by=world.officer)
    for signer in (world.officer, world.system_owner, world.ict_head, world.accounting_officer):
        approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)


def resubmitted(world, *, by=None):
    """A concept note returned for changes by ``by``, signed again and submitted: reserved for
    that reviewer (still ``submitted``)."""
    from approvals import services as approvals
    from workflow.models import Document

    document = returned(world, by=by)
    signed_again(world, document)
    approvals.document_submit(document_id=document.pk, by=world.officer)
    return Document.objects.get(pk=document.pk)

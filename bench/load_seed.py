"""The load test's world: 600 institutions with three projects each and ``documents`` documents
in every status (``bench.seeding``: copies made by the database), plus the personas the Locust
users play, each with live work: officers (each the servant their mailbox requests are for),
their supervisors and heads of human resources of ``personas`` (12) institutions (mailbox
requests waiting for the supervisor's signature, issue 15's chain), agency
reviewers (mailbox requests in the queue), and approved, sealed documents for citizens to verify.

Every persona's password is hashed with the production hasher (the first of
``settings.PRODUCTION_PASSWORD_HASHERS``: Argon2id, ``config/passwords.py``), once for all of
them: signing and signing in cost what they cost in production.
"""

from __future__ import annotations

from typing import Any

INSTITUTIONS = 600
PROJECTS_PER_INSTITUTION = 3
REVIEWERS = 8
DOMAIN = "afya.go.tz"  # the mailbox requests' addresses (tests.helpers.complete_data)
# Of the seeded documents, per status (the rest approved).
SHARES = {
    "draft": 0.15,
    "awaiting_signatures": 0.05,
    "signed": 0.03,
    "submitted": 0.04,
    "under_review": 0.02,
    "changes_requested": 0.03,
    "rejected": 0.04,
    "withdrawn": 0.04,
}


def seed(
    *, documents: int, live: int, password: str, approved: int = 3, personas: int = 12
) -> dict[str, Any]:
    """Seed the database Django is set up on; the personas and ids the Locust users need."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import override_settings
    from django.utils.module_loading import import_string

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = _personas(personas)
        live_ids = _live_work(world, live, approved)
        _background(world, documents)
    # production's, whatever this process's settings say
    hasher = import_string(settings.PRODUCTION_PASSWORD_HASHERS[0])()
    hashed = hasher.encode(password, hasher.salt())
    get_user_model().objects.update(password=hashed)
    return {
        "password": password,
        "tokens": _tokens(world),
        "data": world.data,
        **world.names,
        **live_ids,
    }


def _tokens(world: _World) -> dict[str, str]:
    """A token per persona, as a client keeps one from an earlier sign-in: 50 people signing in
    in the same second is not what a working day looks like."""
    from django.contrib.auth import get_user_model

    from workflow.tokens import token_issue

    names = [name for group in world.names.values() for name in group]
    return {
        user.username: token_issue(user=user).key
        for user in get_user_model().objects.filter(username__in=names)
    }


class _World:
    def __init__(self):
        self.names: dict[str, list[str]] = {"officers": [], "signatories": [], "reviewers": []}
        self.people: dict[str, Any] = {}
        # Each officer's complete mailbox request: for themselves, their supervisor after them.
        self.data: dict[str, dict[str, Any]] = {}


def _personas(personas: int) -> _World:
    from tests.helpers import complete_data, make_user
    from workflow.models import Institution, Project, Role

    world = _World()
    ega = Institution.objects.create(code="EGA", name_sw="Mamlaka", name_en="EGA", is_agency=True)
    Institution.objects.bulk_create(
        Institution(
            code=f"T{i:03d}",
            name_sw=f"Taasisi {i}",
            name_en=f"Institution {i}",
            mail_domains=DOMAIN,
        )
        for i in range(INSTITUTIONS)
    )
    institutions = list(Institution.objects.filter(is_agency=False).order_by("code"))
    for k, institution in enumerate(institutions[:personas]):
        officer = make_user(f"officer{k}", institution, Role.OFFICER)
        supervisor = make_user(f"ict{k}", institution, Role.HEAD_OF_ICT)
        hr_head = make_user(f"hr{k}", institution, Role.HEAD_OF_HR)
        world.names["officers"].append(officer.username)
        world.names["signatories"] += [supervisor.username, hr_head.username]
        world.people[institution.pk] = (officer, supervisor, hr_head)
        people = {"servant_username": officer.username, "supervisor_username": supervisor.username}
        world.data[officer.username] = complete_data("email_account_request", people=people)
    for k in range(REVIEWERS):
        world.names["reviewers"].append(make_user(f"reviewer{k}", ega, Role.REVIEWER).username)
    world.reviewer = get_reviewer(world)
    first_officer = next(iter(world.people.values()))[0]
    Project.objects.bulk_create(
        Project(institution=i, name=f"Mfumo {i.code} {p}", created_by=first_officer)
        for i in institutions
        for p in range(PROJECTS_PER_INSTITUTION)
    )
    world.institutions = institutions
    return world


def get_reviewer(world: _World):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=world.names["reviewers"][0])


def _mailbox_request(world: _World, people: tuple, status: str):
    """A mailbox request for ``officer`` (the servant), driven through the services: signed by
    them, then (unless it is to wait for the supervisor) by the supervisor and head of HR."""
    from approvals import services as approvals
    from tests.helpers import PASSWORD
    from workflow import services as engine
    from workflow.models import Document

    officer, supervisor, hr_head = people
    document = engine.document_create(
        type="email_account_request", title="Ombi la sanduku la barua", project_id=None, by=officer
    )
    engine.document_update(document_id=document.pk, by=officer, data=world.data[officer.username])
    approvals.document_request_signatures(document_id=document.pk, by=officer)
    approvals.document_sign(document_id=document.pk, by=officer, password=PASSWORD)
    if status != "awaiting_signatures":
        for signer in (supervisor, hr_head):
            approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
        approvals.document_submit(document_id=document.pk, by=officer)
    return Document.objects.get(pk=document.pk)


def _live_work(world: _World, live: int, approved: int) -> dict[str, list[str]]:
    """``live`` requests waiting for each supervisor, ``live`` per reviewer in the queue,
    and ``approved`` approved ones (sealed: the citizens' codes)."""
    from approvals import services as approvals

    pairs = list(world.people.values())
    for people in pairs:
        for _ in range(live):
            _mailbox_request(world, people, "awaiting_signatures")
    for n in range(live * REVIEWERS):
        _mailbox_request(world, pairs[n % len(pairs)], "submitted")
    codes = []
    for people in pairs[:approved]:
        document = _mailbox_request(world, people, "submitted")
        approvals.document_claim(document_id=document.pk, by=world.reviewer)
        document = approvals.document_approve(
            document_id=document.pk, by=world.reviewer, override_reason="Jaribio la mzigo"
        )
        codes.append(document.verification_code)
    return {"codes": codes}


def _background(world: _World, documents: int) -> None:
    """``documents`` more, in every status, over every institution's projects: what lists,
    counts and the queue's index must cope with (their type keeps them out of the personas'
    mailbox work)."""
    from bench.seeding import analyze, clone_many
    from workflow.models import Document, Project

    owners = list(Project.objects.values_list("institution_id", "pk"))
    template = Document.objects.filter(type="email_account_request", status="submitted").first()
    made = 0
    for status, share in SHARES.items():
        count = int(documents * share)
        clone_many(template, count, status=status, owners=owners, type="implementation_report")
        made += count
    clone_many(
        template, documents - made, status="approved", owners=owners, type="implementation_report"
    )
    analyze()

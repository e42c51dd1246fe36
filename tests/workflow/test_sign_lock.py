"""Nothing slow under a row lock: the password at signing (PBKDF2, Django's default and the hash of
passwords stored before Argon2id, 0.2 to 0.6 s here) is checked before the document's row
is locked. While one signatory's password is being hashed, another person's transition on the
same document completes at once (it used to wait for the whole hash); then, under the lock, the
signature sees the new state and is refused. Real threads, real PostgreSQL row locks."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.db import connection, connections

from approvals import services as approvals
from approvals.services import document_withdraw
from tests.helpers import PASSWORD, drive, new_document
from workflow.models import AuditEvent, Document

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

hashing_started = threading.Event()
hashing_finished = threading.Event()


class ObservedPBKDF2(PBKDF2PasswordHasher):
    """Django's PBKDF2 hasher, unchanged (same algorithm, same iterations), telling the test
    when a password check begins."""

    def verify(self, password, encoded):
        hashing_started.set()
        try:
            return super().verify(password, encoded)
        finally:
            hashing_finished.set()


@pytest.fixture
def strong_hasher(settings):
    # New passwords get the strong hash; the others' (made with the tests' fast hasher) still
    # verify.
    settings.PASSWORD_HASHERS = [
        "tests.workflow.test_sign_lock.ObservedPBKDF2",
        *settings.PASSWORD_HASHERS,
    ]
    assert ObservedPBKDF2.iterations >= 1_000_000  # Django 5.2's own cost
    yield
    hashing_started.clear()
    hashing_finished.clear()


def hash_seconds() -> float:
    encoded = make_password(PASSWORD)
    started = time.perf_counter()
    assert check_password(PASSWORD, encoded)
    return time.perf_counter() - started


def sign_while(world, other_step) -> tuple[float, float, BaseException | None, Document]:
    """The system owner (a concept note's second signatory) signs, slowly (the real hash), while
    ``other_step`` runs on the same document as soon as the hash has begun. Returns (other
    step's seconds, hash seconds, the sign's error)."""
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    assert Document.objects.get(pk=document.pk).next_signer_id == world.system_owner.pk
    signer = get_user_model().objects.get(pk=world.system_owner.pk)
    signer.set_password(PASSWORD)  # hashed with the strong hasher
    signer.save(update_fields=["password"])
    assert signer.password.startswith(f"pbkdf2_sha256${ObservedPBKDF2.iterations}$")
    hashing_started.clear()
    hashing_finished.clear()
    outcome: dict[str, BaseException | None] = {"error": None}

    def sign():
        try:
            approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
        except Exception as exc:  # the refusal is the point: kept for the assertions
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=sign)
    thread.start()
    assert hashing_started.wait(timeout=30), "the password check never began"
    started = time.perf_counter()
    try:
        other_step(document)
    finally:
        connections.close_all()
    other_seconds = time.perf_counter() - started
    # The other transition committed while the password was still being hashed: it did not
    # wait for the signature's row lock (before, it waited until the signature committed).
    assert not hashing_finished.is_set(), "the other transition waited for the password check"
    thread.join(timeout=60)
    assert not thread.is_alive()
    return other_seconds, hash_seconds(), outcome["error"], document


def test_the_author_withdraws_while_a_signatory_types_a_slow_password(world, strong_hasher):
    def withdraw(document):
        document_withdraw(document_id=document.pk, by=world.officer, reason="Tumeachana nao")

    seconds, hashing, error, document = sign_while(world, withdraw)
    # The real, strong hash (its cost is the machine's: 0.19-0.56 s on this one, by the day);
    # a million iterations cannot take less than this on any processor we deploy to.
    assert hashing > 0.05, hashing
    assert seconds < hashing, (seconds, hashing)  # not blocked behind the hash
    # Under the lock the signature saw the new state and was refused.
    assert error is not None and getattr(error, "code", None) == "invalid_status", error
    stored = Document.objects.get(pk=document.pk)
    assert stored.status == "withdrawn"
    assert not AuditEvent.objects.filter(document=document, action="sign", actor=world.system_owner)


def test_another_signatory_declines_while_one_types_a_slow_password(world, strong_hasher):
    def decline(document):
        approvals.document_decline(
            document_id=document.pk, by=world.accounting_officer, reason="Bajeti haitoshi"
        )

    seconds, hashing, error, document = sign_while(world, decline)
    assert seconds < hashing, (seconds, hashing)
    assert error is not None and getattr(error, "code", None) == "invalid_status", error
    stored = Document.objects.get(pk=document.pk)
    assert stored.status == "draft"
    assert AuditEvent.objects.filter(document=document, action="decline").count() == 1
    assert not AuditEvent.objects.filter(document=document, action="sign", actor=world.system_owner)


def test_with_nothing_in_the_way_the_slow_password_still_signs(world, strong_hasher):
    _seconds, _hashing, error, document = sign_while(world, lambda document: None)
    assert error is None, error
    stored = Document.objects.get(pk=document.pk)
    assert stored.next_signer_id == world.ict_head.pk
    assert AuditEvent.objects.filter(document=document, action="sign").count() == 2

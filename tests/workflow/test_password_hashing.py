"""Passwords are stored with Argon2id at OWASP's parameters (config/passwords.py); a password
stored before (Django's PBKDF2) still works and is re-hashed at the next sign-in or signature
that checks it; a wrong one changes nothing. The production list of hashers, not the tests'
fast one."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from rest_framework.test import APIClient

from approvals import services as approvals
from approvals.models import Signature
from tests.helpers import PASSWORD, drive, new_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS


def stored(user) -> str:
    return get_user_model().objects.get(pk=user.pk).password


def pbkdf2(user) -> str:
    """The user's password as Django's default hasher stored it before Argon2id."""
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    get_user_model().objects.filter(pk=user.pk).update(password=encoded)
    return encoded


def test_new_passwords_are_argon2id_at_owasp_parameters(production_hashers):
    encoded = make_password("Nenosiri-la-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).algorithm == "argon2"
    # A real Argon2id hash: the reference library verifies it.
    assert PasswordHasher().verify(encoded.removeprefix("argon2"), "Nenosiri-la-2026")


def test_the_production_list_keeps_the_older_hashes_verifiable():
    names = settings.PRODUCTION_PASSWORD_HASHERS
    assert names[0] == "config.passwords.Argon2idPasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in names
    assert not any("MD5" in name or "Unsalted" in name for name in names)


def test_a_pbkdf2_password_signs_in_and_is_rehashed(world, production_hashers):
    before = pbkdf2(world.officer)
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": world.officer.username, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    after = stored(world.officer)
    assert after != before and after.startswith("argon2$argon2id$")
    # and the new hash takes the same password
    again = APIClient().post(
        "/api/v1/auth/token/",
        {"username": world.officer.username, "password": PASSWORD},
        format="json",
    )
    assert again.status_code == 200
    assert stored(world.officer) == after  # already at the parameters: not re-hashed again


def test_a_wrong_password_changes_nothing(world, production_hashers):
    before = pbkdf2(world.officer)
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": world.officer.username, "password": "si-hili"},
        format="json",
    )
    assert response.status_code in (400, 401)
    assert stored(world.officer) == before


def test_a_signature_with_a_pbkdf2_password_signs_and_rehashes(world, production_hashers):
    document = drive(world, new_document(world), "awaiting_signatures")
    signer = Signature.objects.get(document=document, order=1, active=True).signer
    before = pbkdf2(signer)
    approvals.document_sign(
        document_id=document.pk, by=get_user_model().objects.get(pk=signer.pk), password=PASSWORD
    )
    assert Signature.objects.get(document=document, order=1, active=True).signed_at is not None
    assert stored(signer) != before and stored(signer).startswith("argon2$argon2id$")

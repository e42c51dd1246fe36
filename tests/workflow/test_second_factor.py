"""Two-step verification through the API and the services: enrolment, the token exchange with
and without the code, signing and approving refused without it (when the person has an
authenticator, or IDHINI_REQUIRE_2FA asks it of signatories and reviewers), recovery codes that
work once, and wrong codes locked out like wrong passwords."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from approvals.models import Signature, SignatureStatus
from tests.helpers import PASSWORD, act, drive, fill_checklist, new_document
from workflow.models import AuditEvent, Document
from workflow.recovery_codes import RecoveryCode, digests_of
from workflow.second_factor import enrol_confirm, pending_device


@pytest.fixture(autouse=True)
def _no_throttle(auth_rate):
    # The per-address rate limit (IDHINI_AUTH_RATE) is tested elsewhere.
    auth_rate("1000/min")


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows (RFC 6238 through django-otp's own maths)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(user) -> str:
    """A code for the person's next use: each code works once, so the device forgets the last."""
    TOTPDevice.objects.filter(user_id=user.pk).update(last_t=-1)
    return code_of(TOTPDevice.objects.get(user_id=user.pk, confirmed=True))


def enrol(user) -> list[str]:
    device = pending_device(user)
    codes = enrol_confirm(user=user, code=code_of(device))
    assert codes is not None
    return codes


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def token(username: str, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return APIClient().post("/api/v1/auth/token/", body, format="json")


def test_enrolment_is_confirmed_only_by_a_code_from_the_app(world):
    device = pending_device(world.ict_head)
    assert enrol_confirm(user=world.ict_head, code=wrong(code_of(device))) is None
    assert not TOTPDevice.objects.filter(user=world.ict_head, confirmed=True).exists()

    codes = enrol_confirm(user=world.ict_head, code=code_of(device))

    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=world.ict_head).confirmed
    stored = set(
        RecoveryCode.objects.filter(device__user=world.ict_head).values_list("digest", flat=True)
    )
    # Only keyed digests are kept: no code, with or without its dash, is in the database.
    assert stored == {digests_of(code.replace("-", ""))[0] for code in codes}
    assert not stored & {c for code in codes for c in (code, code.replace("-", ""))}


def test_recovery_codes_survive_a_key_rotation_and_die_with_the_key(world, settings):
    codes = enrol(world.reviewer)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "k" * 50, [old_key]
    assert token("reviewer", otp=codes[0]).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert token("reviewer", otp=codes[1]).status_code == 400


def test_the_migration_moves_plain_static_tokens_to_digests(world):
    """Codes made before 0007 (django-otp's StaticToken, kept as typed) keep working once,
    and no plain copy is left."""
    from importlib import import_module

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    enrol(world.reviewer)
    static = StaticDevice.objects.create(user=world.reviewer, name="idhini")
    StaticToken.objects.create(device=static, token="abcd2345")
    RecoveryCode.objects.filter(device__user=world.reviewer).delete()
    import_module("workflow.migrations.0008_recovery_codes").hash_static_tokens(apps, None)

    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert token("reviewer", otp="ABCD-2345").status_code == 200
    assert token("reviewer", otp="abcd2345").status_code == 400


def test_the_token_exchange_asks_the_code_of_a_person_with_an_authenticator(world):
    enrol(world.reviewer)

    missing = token("reviewer")
    bad = token("reviewer", otp=wrong(fresh_code(world.reviewer)))
    good = token("reviewer", otp=fresh_code(world.reviewer))

    assert missing.status_code == 400 and "otp" in missing.json()
    assert missing.json()["otp"][0].startswith("Andika")  # Swahili by default
    assert bad.status_code == 400 and "si sahihi" in bad.json()["otp"][0]
    assert good.status_code == 200 and good.json()["token"]
    assert token("officer").status_code == 200  # no authenticator, not required: as before


def test_a_code_is_accepted_once(world):
    enrol(world.reviewer)
    code = fresh_code(world.reviewer)
    assert token("reviewer", otp=code).status_code == 200
    assert token("reviewer", otp=code).status_code == 400


def test_a_recovery_code_works_once_in_place_of_the_app(world):
    codes = enrol(world.reviewer)
    first = token("reviewer", otp=codes[0].upper())
    again = token("reviewer", otp=codes[0])

    assert first.status_code == 200
    assert again.status_code == 400 and "si sahihi" in again.json()["otp"][0]
    assert RecoveryCode.objects.filter(device__user=world.reviewer).count() == 9


def _awaiting_signatory(world):
    """A document whose next signer is a signatory (not its author), and that signer."""
    document = drive(world, new_document(world, "email_account_request"), "awaiting_signatures")
    if document.next_signer_id == world.officer.pk:
        signed = act(world, world.officer, document.pk, "sign", {"password": PASSWORD})
        assert signed.status_code == 200
    document = Document.objects.get(pk=document.pk)
    signer = get_user_model().objects.get(pk=document.next_signer_id)
    assert signer.pk in {world.ict_head.pk, world.hr_head.pk}
    return document, signer


def _my_signature(document, user) -> Signature:
    return Signature.objects.get(document=document, signer=user, active=True)


def test_signing_is_refused_until_enrolled_when_two_factor_is_required(world, settings):
    document, signer = _awaiting_signatory(world)
    settings.REQUIRE_2FA = True

    refused = act(world, signer, document.pk, "sign", {"password": PASSWORD})

    assert refused.status_code == 403
    assert refused.json()["code"] == "otp_enrolment_required"
    assert "hatua mbili" in refused.json()["detail"].lower()
    assert _my_signature(document, signer).status == SignatureStatus.PENDING


def test_signing_asks_the_code_with_the_password(world, settings):
    document, signer = _awaiting_signatory(world)
    settings.REQUIRE_2FA = True
    enrol(signer)
    before = AuditEvent.objects.filter(document=document).count()

    missing = act(world, signer, document.pk, "sign", {"password": PASSWORD})
    bad = act(
        world,
        signer,
        document.pk,
        "sign",
        {"password": PASSWORD, "otp": wrong(fresh_code(signer))},
    )
    unchanged = AuditEvent.objects.filter(document=document).count()
    good = act(
        world,
        signer,
        document.pk,
        "sign",
        {"password": PASSWORD, "otp": fresh_code(signer)},
    )

    assert missing.status_code == 400 and list(missing.json()) == ["otp"]
    assert bad.status_code == 400 and "otp" in bad.json()
    assert unchanged == before
    assert good.status_code == 200, good.content
    assert _my_signature(document, signer).status == SignatureStatus.SIGNED


def test_an_enrolled_person_is_asked_the_code_even_when_not_required(world, settings):
    settings.REQUIRE_2FA = False
    document, signer = _awaiting_signatory(world)
    enrol(signer)
    refused = act(world, signer, document.pk, "sign", {"password": PASSWORD})
    assert refused.status_code == 400 and "otp" in refused.json()


def _under_review(world):
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    fill_checklist(document.pk, by=world.reviewer)
    return document


def test_approving_asks_the_reviewers_code(world, settings):
    document = _under_review(world)
    settings.REQUIRE_2FA = True
    enrol(world.reviewer)

    missing = act(world, world.reviewer, document.pk, "approve", {"comment": "Sawa"})
    bad = act(
        world, world.reviewer, document.pk, "approve", {"otp": wrong(fresh_code(world.reviewer))}
    )
    assert Document.objects.get(pk=document.pk).status == "under_review"
    good = act(world, world.reviewer, document.pk, "approve", {"otp": fresh_code(world.reviewer)})

    assert missing.status_code == 400 and "otp" in missing.json()
    assert bad.status_code == 400 and "si sahihi" in bad.json()["otp"][0]
    assert good.status_code == 200, good.content
    assert Document.objects.get(pk=document.pk).status == "approved"


def test_approving_is_refused_until_enrolled_when_required(world, settings):
    document = _under_review(world)
    settings.REQUIRE_2FA = True
    refused = act(world, world.reviewer, document.pk, "approve", {})
    assert refused.status_code == 403 and refused.json()["code"] == "otp_enrolment_required"
    assert Document.objects.get(pk=document.pk).status == "under_review"


def test_someone_elses_approval_is_a_403_not_a_code_prompt(world, settings):
    enrol(world.reviewer2)
    document = _under_review(world)  # claimed by world.reviewer
    refused = act(world, world.reviewer2, document.pk, "approve", {})
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"


def test_ten_wrong_codes_lock_the_account_like_wrong_passwords(world, settings):
    document, signer = _awaiting_signatory(world)
    enrol(signer)
    body = {"password": PASSWORD, "otp": "000000"}
    answers = [act(world, signer, document.pk, "sign", body).status_code for _ in range(10)]

    right = act(
        world,
        signer,
        document.pk,
        "sign",
        {"password": PASSWORD, "otp": fresh_code(signer)},
    )

    assert answers[:9] == [400] * 9 and answers[9] == 429
    assert right.status_code == 429 and right.json()["code"] == "locked_out"
    assert _my_signature(document, signer).status == SignatureStatus.PENDING
    assert token("reviewer").status_code == 200  # another account: not affected


def test_the_english_message_names_the_code(world):
    enrol(world.reviewer)
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "reviewer", "password": PASSWORD},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["otp"] == ["Enter the 6-digit code from your authenticator app."]


def test_the_schema_declares_the_code_on_sign_approve_and_the_token(world):
    schema = world.client(world.officer).get("/api/v1/schema/?format=json").json()
    body = schema["components"]["schemas"]["ActionBodyRequest"]["properties"]
    assert "otp" in body and "sign, approve" in body["otp"]["description"]
    assert "otp" in schema["components"]["schemas"]["TokenRequestRequest"]["properties"]


def test_two_factor_is_required_by_default_in_production_and_not_in_the_demo(tmp_path):
    from tests.deploy.production import manage, production_env

    script = "from django.conf import settings as s; print(s.REQUIRE_2FA)"
    production = production_env(tmp_path)
    assert manage(production, "shell", "-c", script).stdout.split()[-1] == "True"
    demo = {**production, "DJANGO_DEBUG": "1"}
    assert manage(demo, "shell", "-c", script).stdout.split()[-1] == "False"
    turned_off = {**production, "IDHINI_REQUIRE_2FA": "0"}
    assert manage(turned_off, "shell", "-c", script).stdout.split()[-1] == "False"


@pytest.mark.django_db
def test_the_demo_shows_an_enrolled_reviewer_whose_printed_secret_signs_in():
    import base64
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    secret = out.getvalue().split("the secret ", 1)[1].split(" (", 1)[0]
    reviewer2 = get_user_model().objects.get(username="reviewer2")
    device = TOTPDevice.objects.get(user=reviewer2, confirmed=True)
    assert base64.b32decode(
        secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)
    ) == (device.bin_key)
    body = {"username": "reviewer2", "password": "demo-pass-2026", "otp": code_of(device)}
    assert APIClient().post("/api/v1/auth/token/", body, format="json").status_code == 200
    assert RecoveryCode.objects.filter(device__user=reviewer2).count() == 10


def test_every_role_a_signing_chain_names_is_asked_for_two_factor(world, settings):
    # Issue 15's chains added the system owner, procurement and human resources: each role a
    # type's chain names (by role, not a person the form names) is a role that signs for the
    # institution, and is refused until enrolled like the head of ICT.
    from forms_templates.registry import all_types
    from forms_templates.signatories import by_role
    from workflow.second_factor import is_required_for

    settings.REQUIRE_2FA = True
    chain_roles = {s.role for t in all_types().values() for s in t.all_signatories() if by_role(s)}
    assert {"system_owner", "head_of_ict", "head_of_procurement", "accounting_officer"} <= (
        chain_roles
    )
    holders = {
        "system_owner": world.system_owner,
        "head_of_ict": world.ict_head,
        "head_of_procurement": world.procurement_head,
        "head_of_hr": world.hr_head,
        "accounting_officer": world.accounting_officer,
    }
    assert chain_roles <= set(holders)
    for role in chain_roles:
        assert is_required_for(holders[role]), role
    assert is_required_for(world.reviewer)
    assert not is_required_for(world.officer)


def test_the_system_owner_cannot_sign_a_concept_note_until_enrolled(world, settings):
    document = drive(world, new_document(world, "concept_note"), "awaiting_signatures")
    assert act(world, world.officer, document.pk, "sign", {"password": PASSWORD}).status_code == 200
    assert Document.objects.get(pk=document.pk).next_signer_id == world.system_owner.pk
    settings.REQUIRE_2FA = True

    refused = act(world, world.system_owner, document.pk, "sign", {"password": PASSWORD})

    assert refused.status_code == 403
    assert refused.json()["code"] == "otp_enrolment_required"
    assert _my_signature(document, world.system_owner).status == SignatureStatus.PENDING
    enrol(world.system_owner)
    body = {"password": PASSWORD, "otp": fresh_code(world.system_owner)}
    assert act(world, world.system_owner, document.pk, "sign", body).status_code == 200
    assert _my_signature(document, world.system_owner).status == SignatureStatus.SIGNED

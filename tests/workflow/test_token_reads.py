"""Who the caller is costs one statement with a token: the token, its person, their memberships
with the institution and whether they have an authenticator (workflow.tokens, workflow.roles),
read afresh at every request. So a token-authenticated read costs what a forced one does, a
revoked or expired token fails at its next request, and a role changed in the admin counts
from the next request, for a token and for a browser session alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Signature
from tests.helpers import PASSWORD, clone_documents, drive, new_document
from workflow.models import Membership, Role
from workflow.tokens import token_revoke

pytestmark = pytest.mark.django_db


def with_token(user) -> APIClient:
    client = APIClient()
    key = Token.objects.get_or_create(user=user)[0].key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def statements(client, path: str, method: str = "get", **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured.captured_queries]


# (status, who, path, queries with a token): the token statement, then what a forced
# authentication costs without its membership query (tests/workflow/test_read_query_counts.py).
READS = {
    # the document, its signatures (no reviews: never submitted)
    "detail": ("draft", "officer", "/api/v1/documents/{id}/", 3),
    # + the checklist's marks (no reviews: never decided on nor returned)
    "detail, reviewer": ("under_review", "reviewer", "/api/v1/documents/{id}/", 4),
    # the COUNT, the page, its signatures
    "list": ("draft", "officer", "/api/v1/documents/?page_size=20", 4),
    "review queue": ("submitted", "reviewer", "/api/v1/review-queue/?page_size=50", 4),
    # the inbox reads no membership when forced: the token statement is one more
    "signature inbox": ("awaiting_signatures", "next signer", "/api/v1/signature-requests/", 4),
}


@pytest.mark.parametrize("name", list(READS))
def test_a_token_authenticated_read_costs_a_fixed_number_of_queries(world, name):
    status, who, path, pinned = READS[name]
    document = drive(world, new_document(world), status)
    user = document.next_signer if who == "next signer" else getattr(world, who)
    path = path.format(id=document.pk)
    client = with_token(user)
    clone_documents(document, 10, type="implementation_report")
    small = statements(client, path)
    clone_documents(document, 90, type="implementation_report")
    large = statements(client, path)
    assert (len(small), len(large)) == (pinned, pinned), "\n".join(large)
    # The token, the person, the roles and the second factor: the first statement, and only it.
    assert "authtoken_token" in small[0] and "workflow_membership" in small[0]
    assert "otp_totp_totpdevice" in small[0]
    others = small[1:]
    assert not [s for s in others if "authtoken_token" in s or "workflow_membership" in s]
    assert not [s for s in others if "otp_totp_totpdevice" in s]


def test_signing_with_a_token_reads_the_second_factor_with_the_token(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    signer = document.next_signer
    sql = statements(
        with_token(signer),
        f"/api/v1/documents/{document.pk}/sign/",
        method="post",
        data={"password": PASSWORD},
        format="json",
    )
    assert len([s for s in sql if "otp_totp_totpdevice" in s]) == 1
    assert len([s for s in sql if "workflow_membership" in s and "authtoken_token" not in s]) == 0


def test_a_revoked_token_fails_at_its_next_request(world):
    client = with_token(world.officer)
    assert client.get("/api/v1/documents/").status_code == 200
    token_revoke(user=world.officer)
    response = client.get("/api/v1/documents/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Tokeni si sahihi."


def test_an_expired_token_fails_at_its_next_request(world, settings):
    client = with_token(world.officer)
    assert client.get("/api/v1/documents/").status_code == 200
    Token.objects.filter(user=world.officer).update(
        created=timezone.now() - settings.TOKEN_TTL - dt.timedelta(seconds=1)
    )
    response = client.get("/api/v1/documents/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_the_token_of_a_deactivated_person_fails_at_its_next_request(world):
    client = with_token(world.officer)
    assert client.get("/api/v1/documents/").status_code == 200
    get_user_model().objects.filter(pk=world.officer.pk).update(is_active=False)
    response = client.get("/api/v1/documents/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Mtumiaji amesitishwa au amefutwa."


def _admin() -> Client:
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("msimamizi", "m@ega.go.tz", "x"))
    return admin


def test_a_role_removed_in_the_admin_counts_from_the_next_request(world):
    token = with_token(world.reviewer)
    session = Client()
    session.force_login(world.reviewer)
    assert token.get("/api/v1/review-queue/").status_code == 200
    assert session.get("/api/v1/review-queue/").status_code == 200
    membership = Membership.objects.get(user=world.reviewer, role=Role.REVIEWER)
    path = f"/admin/workflow/membership/{membership.pk}/delete/"
    assert _admin().post(path, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert token.get("/api/v1/review-queue/").status_code == 403
    assert session.get("/api/v1/review-queue/").status_code == 403


def test_a_role_given_in_the_admin_counts_from_the_next_request(world):
    outsider = get_user_model().objects.create_user("mgeni", password=PASSWORD)
    token = with_token(outsider)
    assert token.get("/api/v1/review-queue/").status_code == 403
    response = _admin().post(
        "/admin/workflow/membership/add/",
        {"user": outsider.pk, "institution": world.ega.pk, "role": Role.REVIEWER, "title": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert token.get("/api/v1/review-queue/").status_code == 200


def test_an_authenticator_confirmed_counts_from_the_next_request(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    signer = document.next_signer
    client = with_token(signer)
    detail = client.get(f"/api/v1/documents/{document.pk}/").json()
    assert "sign" in detail["allowed_actions"]  # read without an authenticator
    TOTPDevice.objects.create(user=signer, name="idhini", confirmed=True)
    response = client.post(
        f"/api/v1/documents/{document.pk}/sign/", {"password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["otp"]  # the code is asked now
    assert Signature.objects.get(document=document, signer=signer).status == "pending"

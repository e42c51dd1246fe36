"""Password guessing is stopped everywhere a password is typed: the browser login, the API token
exchange and the password asked again at signing. Ten wrong passwords lock the account (per
username, from whichever addresses they came); the right one is then refused with the lockout
message in the person's language until the time passes or an administrator unlocks it; other
accounts are not affected. Ordinary wrong passwords stay a 400 (API) or the form's error
(browser)."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from approvals.models import Signature, SignatureStatus
from tests.helpers import PASSWORD, act, drive, new_document
from workflow.models import AuditEvent, Document

SW_LOCKED = "akaunti hii imefungwa"
EN_LOCKED = "this account is locked"


@pytest.fixture(autouse=True)
def _no_throttle(auth_rate):
    # The per-address rate limit (IDHINI_AUTH_RATE) is tested elsewhere: here the lockout bites.
    auth_rate("1000/min")


def browser_login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def logged_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    if user_id is None:
        return None
    return get_user_model().objects.get(pk=user_id).username


def token(username: str, password: str, **headers):
    body = {"username": username, "password": password}
    return APIClient().post("/api/v1/auth/token/", body, format="json", **headers)


def test_ten_wrong_passwords_lock_the_browser_login(world):
    client = Client()
    for _ in range(9):
        response = browser_login(client, "officer", "si-sahihi")
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
        assert SW_LOCKED not in response.content.decode()
    tenth = browser_login(client, "officer", "si-sahihi")
    assert tenth.status_code == 429
    assert SW_LOCKED in tenth.content.decode()
    assert 'name="password"' in tenth.content.decode()  # the form is still there, not a bare page

    right = browser_login(Client(), "officer", PASSWORD)
    assert right.status_code == 429
    assert SW_LOCKED in right.content.decode()
    assert logged_in_as(client) is None

    # English for a person who chose it, from another address: the username lock holds.
    english = Client(REMOTE_ADDR="10.9.8.7")
    english.cookies["django_language"] = "en"
    response = browser_login(english, "officer", PASSWORD)
    assert response.status_code == 429
    assert EN_LOCKED in response.content.decode()
    assert logged_in_as(english) is None

    # The same lock holds on the API and at signing.
    locked = token("officer", PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"

    # Somebody else, from the same address, signs in as usual.
    other = Client()
    response = browser_login(other, "ict_head", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(other) == "ict_head"


def test_ten_wrong_passwords_lock_the_api_token_exchange(world):
    for _ in range(9):
        response = token("officer", "si-sahihi")
        assert response.status_code == 400, response.content
        assert "non_field_errors" in response.json()
    tenth = token("officer", "si-sahihi")
    assert tenth.status_code == 429
    assert tenth.json()["code"] == "locked_out"
    assert SW_LOCKED in tenth.json()["detail"]

    right = token("officer", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert right.status_code == 429
    assert right.json() == {
        "detail": (
            "Too many wrong passwords: this account is locked for 30 minutes. "
            "Try again later, or ask an administrator to unlock it."
        ),
        "code": "locked_out",
    }
    assert "token" not in right.json()
    assert browser_login(Client(), "officer", PASSWORD).status_code == 429

    assert token("reviewer", PASSWORD).status_code == 200
    assert token("ict_head", "si-sahihi").status_code == 400  # an ordinary failure stays a 400


def test_ten_wrong_passwords_at_signing_lock_the_account_and_sign_nothing(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    before = AuditEvent.objects.filter(document=document).count()
    for _ in range(9):
        response = act(world, world.officer, document.pk, "sign", {"password": "si-sahihi"})
        assert response.status_code == 400
        assert "password" in response.json()
    tenth = act(world, world.officer, document.pk, "sign", {"password": "si-sahihi"})
    assert tenth.status_code == 429
    assert tenth.json()["code"] == "locked_out"
    right = act(world, world.officer, document.pk, "sign", {"password": PASSWORD})
    assert right.status_code == 429
    assert SW_LOCKED in right.json()["detail"]

    stored = Document.objects.get(pk=document.pk)
    assert stored.status == "awaiting_signatures"
    assert stored.next_signer_id == world.officer.pk
    assert not Signature.objects.filter(document=document, status=SignatureStatus.SIGNED).exists()
    assert AuditEvent.objects.filter(document=document).count() == before
    # The person is locked everywhere, not only at signing.
    assert token("officer", PASSWORD).status_code == 429
    assert browser_login(Client(), "officer", PASSWORD).status_code == 429
    # Another person signs their own document as usual.
    other = drive(world, new_document(world, author=world.officer_moe), "awaiting_signatures")
    signed = act(world, world.officer_moe, other.pk, "sign", {"password": PASSWORD})
    assert signed.status_code == 200, signed.content


def test_an_admin_unlocks_the_account_in_the_admin(world):
    for _ in range(10):
        token("officer", "si-sahihi")
    assert token("officer", PASSWORD).status_code == 429
    attempts = AccessAttempt.objects.filter(username="officer")
    assert attempts.count() == 1 and attempts.get().failures_since_start == 10

    admin_user = get_user_model().objects.create_superuser("msimamizi", "m@ega.go.tz", "x-pass-1")
    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "officer" in listing.content.decode()
    response = admin.post(
        "/admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": [str(a.pk) for a in attempts],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()

    assert token("officer", PASSWORD).status_code == 200
    client = Client()
    assert browser_login(client, "officer", PASSWORD).status_code == 302
    assert logged_in_as(client) == "officer"


def test_the_lock_ends_after_the_lockout_minutes(world, settings):
    for _ in range(10):
        token("officer", "si-sahihi")
    assert token("officer", PASSWORD).status_code == 429
    # Attempts while locked are not counted: the lock still ends on time.
    AccessAttempt.objects.filter(username="officer").update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - datetime.timedelta(minutes=settings.LOCKOUT_MINUTES, seconds=1)
    )
    assert token("officer", PASSWORD).status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(world):
    for _ in range(9):
        token("officer", "si-sahihi")
    client = Client()
    assert browser_login(client, "officer", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()
    assert token("officer", "si-sahihi").status_code == 400  # one failure, not the tenth


def test_the_limit_follows_the_setting(world, settings):
    settings.LOCKOUT_FAILURES = settings.AXES_FAILURE_LIMIT = 3
    codes = [token("officer", "si-sahihi").status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_the_admin_login_is_locked_too(world):
    get_user_model().objects.create_superuser("msimamizi", "m@ega.go.tz", "x-pass-1")
    client = Client()
    for _ in range(10):
        client.post("/admin/login/", {"username": "msimamizi", "password": "si-sahihi"})
    response = client.post("/admin/login/", {"username": "msimamizi", "password": "x-pass-1"})
    assert response.status_code == 429
    assert SW_LOCKED in response.content.decode()
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "192.0.2.10"),
        (0, "203.0.113.7", "192.0.2.10"),  # forged: ignored
        (0, "203.0.113.7, 198.51.100.1", "192.0.2.10"),
        (1, "203.0.113.7", "203.0.113.7"),  # what our proxy appended
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own prefix is ignored
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "not-an-address", "192.0.2.10"),
        (1, "", "192.0.2.10"),
    ],
)
def test_the_lockout_counts_the_address_by_the_rate_limits_rule(
    settings, proxies, forwarded, expected
):
    from django.test import RequestFactory
    from rest_framework.throttling import SimpleRateThrottle

    from workflow.signin import client_ip

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.10", **headers)
    assert client_ip(request) == expected
    if forwarded != "not-an-address":  # REST framework's own rule, for the rate limits

        class Throttle(SimpleRateThrottle):
            rate = "1/min"

        assert Throttle().get_ident(request) == expected


def test_failures_are_recorded_per_username_and_address(world):
    for address in ["192.0.2.1", "192.0.2.2"]:
        APIClient(REMOTE_ADDR=address).post(
            "/api/v1/auth/token/", {"username": "officer", "password": "x"}, format="json"
        )
    attempts = AccessAttempt.objects.filter(username="officer").order_by("ip_address")
    assert [(a.ip_address, a.failures_since_start) for a in attempts] == [
        ("192.0.2.1", 1),
        ("192.0.2.2", 1),
    ]


def test_wrong_passwords_from_many_addresses_add_up_to_the_lock(world):
    # An attacker who changes address for each guess is counted as one: the username's.
    codes = [token("officer", "x", REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(1, 11)]
    assert codes == [400] * 9 + [429]
    assert AccessAttempt.objects.filter(username="officer").count() == 10
    assert token("officer", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert token("reviewer", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 200


def test_ten_wrong_passwords_at_signing_in_the_pages_lock_the_account(world):
    from tests.portal.web_helpers import browser

    document = drive(world, new_document(world), "awaiting_signatures")
    client = browser(world.officer)
    path = f"/documents/{document.pk}/actions/sign/"
    codes = [client.post(path, {"password": "si-sahihi"}).status_code for _ in range(10)]
    assert codes == [400] * 9 + [429]
    right = client.post(path, {"password": PASSWORD})
    assert right.status_code == 429
    assert SW_LOCKED in right.content.decode()
    assert Document.objects.get(pk=document.pk).next_signer_id == world.officer.pk
    assert token("officer", PASSWORD).status_code == 429

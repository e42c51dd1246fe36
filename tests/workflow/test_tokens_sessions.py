"""API tokens expire (IDHINI_TOKEN_TTL hours) and are revoked by POST /api/v1/auth/logout/;
admin lists them per person without showing the key. Browser sessions last a working day
(IDHINI_SESSION_HOURS), or end when the browser closes on a shared computer."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.deploy.production import manage
from tests.helpers import PASSWORD


def exchange(username: str = "officer", password: str = PASSWORD):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def with_token(key: str, **headers) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", **headers)
    return client


def age_token(username: str, hours: float) -> None:
    Token.objects.filter(user__username=username).update(
        created=timezone.now() - dt.timedelta(hours=hours)
    )


def test_the_exchange_gives_a_token_with_its_expiry_and_the_same_one_while_valid(world, settings):
    first = exchange()
    assert first.status_code == 200, first.content
    body = first.json()
    token = Token.objects.get(user=world.officer)
    assert body["token"] == token.key
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (token.created + settings.TOKEN_TTL)) < dt.timedelta(seconds=1)
    assert dt.timedelta(hours=24) == settings.TOKEN_TTL
    assert exchange().json()["token"] == body["token"]
    assert with_token(body["token"]).get("/api/v1/documents/").status_code == 200


def test_an_expired_token_is_refused_with_a_clear_401(world, settings):
    key = exchange().json()["token"]
    age_token("officer", 23.9)
    assert with_token(key).get("/api/v1/documents/").status_code == 200
    age_token("officer", 24)
    response = with_token(key).get("/api/v1/documents/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert "imeisha muda" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"
    english = with_token(key, HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/documents/")
    assert english.json() == {
        "detail": "Your API token has expired. Ask for a new one at /api/v1/auth/token/.",
        "code": "token_expired",
    }
    # Asking again gives a new token; the old key is gone.
    fresh = exchange().json()["token"]
    assert fresh != key
    assert with_token(fresh).get("/api/v1/documents/").status_code == 200
    assert with_token(key).get("/api/v1/documents/").status_code == 401


def test_the_ttl_follows_the_setting(world, settings):
    settings.TOKEN_TTL = dt.timedelta(hours=1)
    key = exchange().json()["token"]
    age_token("officer", 1.01)
    assert with_token(key).get("/api/v1/documents/").status_code == 401


def test_logout_revokes_the_token(world):
    key = exchange().json()["token"]
    client = with_token(key)
    response = client.post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert not Token.objects.filter(user=world.officer).exists()
    refused = client.get("/api/v1/documents/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
    # Nobody to sign out without credentials; another person's token is untouched.
    other = exchange("reviewer").json()["token"]
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    assert with_token(other).get("/api/v1/review-queue/").status_code == 200
    # A new exchange after logout gives a new token.
    assert exchange().json()["token"] != key


def test_logout_from_a_browser_session_revokes_the_persons_token(world):
    key = exchange().json()["token"]
    browser = APIClient()
    browser.force_login(get_user_model().objects.get(pk=world.officer.pk))
    assert browser.post("/api/v1/auth/logout/").status_code == 204
    assert with_token(key).get("/api/v1/documents/").status_code == 401


def test_admin_lists_tokens_per_person_without_their_keys(world):
    officer_key = exchange().json()["token"]
    exchange("reviewer")
    age_token("reviewer", 25)
    admin_user = get_user_model().objects.create_superuser("msimamizi", "m@ega.go.tz", "x-pass-1")
    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/admin/authtoken/tokenproxy/")
    page = listing.content.decode()
    assert listing.status_code == 200
    assert "officer" in page and "reviewer" in page
    assert officer_key not in page
    assert "muda umeisha" in page  # the reviewer's token has expired (Swahili admin)
    search = admin.get("/admin/authtoken/tokenproxy/", {"q": "officer"}).content.decode()
    assert "reviewer" not in search.split("<tbody>")[1]
    # Deleting it in admin revokes it.
    path = f"/admin/authtoken/tokenproxy/{world.officer.pk}/delete/"
    assert admin.get(path).status_code == 200
    assert admin.post(path, {"post": "yes"}).status_code == 302
    assert with_token(officer_key).get("/api/v1/documents/").status_code == 401
    assert admin.get("/admin/authtoken/tokenproxy/add/").status_code == 403


def test_the_token_endpoints_are_in_the_schema(world):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/auth/logout/"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(token["responses"])


def test_a_browser_session_lasts_a_working_day(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == 8 * 3600
    assert client.session.get_expiry_age() == 8 * 3600
    assert not client.session.get_expire_at_browser_close()


def test_on_a_shared_computer_the_session_ends_with_the_browser(world):
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert 'name="shared_computer"' in page
    assert "Hii ni kompyuta ya pamoja" in page
    response = client.post(
        "/accounts/login/",
        {"username": "officer", "password": PASSWORD, "shared_computer": "on"},
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.get("/").status_code == 200  # signed in


def test_the_environment_sets_the_hours_and_the_limits(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.TOKEN_TTL.total_seconds(), s.AXES_FAILURE_LIMIT, "
        "s.AXES_COOLOFF_TIME.total_seconds(), s.WEB_PROCESSES)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "IDHINI_VAR_DIR": str(tmp_path),
        "IDHINI_SESSION_HOURS": "2",
        "IDHINI_TOKEN_TTL": "5",
        "IDHINI_LOCKOUT_FAILURES": "4",
        "IDHINI_LOCKOUT_MINUTES": "7",
        "IDHINI_WEB_PROCESSES": "3",
    }
    result = manage(env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["7200", "18000.0", "4", "420.0", "3"]
    refused = manage({**env, "IDHINI_SESSION_HOURS": "0"}, "shell", "-c", script)
    assert refused.returncode != 0
    assert "IDHINI_SESSION_HOURS must be at least 1" in refused.stderr

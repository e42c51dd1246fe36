"""``IDHINI_NUM_PROXIES`` means what its comment says, over HTTP against gunicorn with
production settings: 0 (the default) counts ``REMOTE_ADDR`` only, so a client that forges a new
``X-Forwarded-For`` on every try still reaches the token endpoint's rate limit (429); with 1,
the address our proxy appended is the client (each forged value then counts as its own)."""

from __future__ import annotations

import json

import pytest

from tests.deploy.production import Gunicorn, manage, production_env

TRIES = 8
RATE = 5


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("idhini-var")
    env = production_env(var_dir, IDHINI_AUTH_RATE=f"{RATE}/min")
    result = manage(env, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    return var_dir, env


def guesses(server: Gunicorn) -> list[tuple[int, dict]]:
    answers = []
    for n in range(TRIES):
        # Another username each time (no lockout), another forged client address each time.
        body = json.dumps({"username": f"mgeni{n}", "password": "si-sahihi"}).encode()
        status, content = server.post_json(
            "/api/v1/auth/token/",
            body,
            {"X-Forwarded-For": f"203.0.113.{n + 1}", "X-Forwarded-Proto": "https"},
        )
        answers.append((status, json.loads(content)))
    return answers


def test_a_forged_forwarded_for_does_not_escape_the_rate_limit(migrated, tmp_path):
    _var, env = migrated
    with Gunicorn(env, tmp_path / "gunicorn.log") as server:
        answers = guesses(server)
    statuses = [status for status, _body in answers]
    assert statuses == [400] * RATE + [429] * (TRIES - RATE), answers
    assert answers[-1][1]["code"] == "throttled"


def test_behind_one_proxy_the_forwarded_address_is_the_client(migrated, tmp_path):
    _var, env = migrated
    with Gunicorn({**env, "IDHINI_NUM_PROXIES": "1"}, tmp_path / "gunicorn.log") as server:
        answers = guesses(server)
    assert [status for status, _body in answers] == [400] * TRIES, answers

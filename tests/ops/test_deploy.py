"""The operations kit (deploy/) as it runs: gunicorn with deploy/gunicorn.conf.py in production
settings answers /healthz and writes one JSON object a line (access lines with the request id,
the user and the document; no password, ever); nginx with deploy/nginx/idhini.conf passes TLS
requests to it with the X-Forwarded-* headers, serves static files with a long cache, never
serves MEDIA_ROOT and refuses an oversized body; the systemd units pass systemd's own check;
logrotate moves the log and the next line goes to a new file without a signal.

nginx, systemd-analyze and logrotate come from Debian (.ci/apt-packages); where one is absent,
its test is skipped."""

from __future__ import annotations

import json
import re
import shutil
import socket
import ssl
import subprocess
import sys
import uuid
from urllib.parse import urlencode

import pytest

from tests.notifications.live_stack import BASE_DIR
from tests.ops.served import DEMO_PASSWORD, DEPLOY, HOST, Served, nginx_binary, production_env

WRONG_PASSWORD = "Not-The-Password-9f3e1c"
HTTPS = {"X-Forwarded-Proto": "https"}  # what nginx says for a request that came over TLS


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("served"))
    try:
        server.start_gunicorn()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def proxied(served):
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    served.start_nginx()
    return served


def test_gunicorn_accepts_its_config_and_refuses_a_bad_value(tmp_path):
    env = production_env(tmp_path, 8000)
    (tmp_path / "logs").mkdir()
    check = [sys.executable, "-m", "gunicorn", "--check-config", "--config"]
    check.append(str(DEPLOY / "gunicorn.conf.py"))

    good = subprocess.run(check, cwd=tmp_path, env=env, capture_output=True, text=True)
    bad = subprocess.run(
        check,
        cwd=tmp_path,
        env={**env, "IDHINI_WEB_WORKERS": "many"},
        capture_output=True,
        text=True,
    )

    assert good.returncode == 0, good.stderr
    assert bad.returncode != 0
    assert "IDHINI_WEB_WORKERS must be a whole number" in bad.stderr


def test_gunicorn_answers_the_probe_and_logs_it_as_one_json_line(served):
    status, headers, body = served.request(
        "GET", "/healthz", headers={"X-Request-ID": "probe-0001-abcdef"}
    )

    assert status == 200
    assert headers["X-Request-ID"] == "probe-0001-abcdef"
    assert body.startswith(b"{") and b'"database": "ok"' in body
    (line,) = served.wait_for_access("/healthz", request_id="probe-0001-abcdef")
    assert (line["method"], line["status"], line["level"]) == ("GET", 200, "INFO")
    assert line["remote_addr"] == "127.0.0.1"
    assert isinstance(line["duration_ms"], float)
    assert any(
        entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"]
        for entry in served.log_lines()
    )


def test_an_api_request_logs_its_user_and_its_document(served):
    status, _headers, body = served.request(
        "POST",
        "/api/v1/auth/token/",
        body=f'{{"username": "officer", "password": "{DEMO_PASSWORD}"}}',
        headers={"Content-Type": "application/json", **HTTPS},
    )
    assert status == 200, body
    token = json.loads(body)["token"]
    document_id = str(uuid.uuid4())
    path = f"/api/v1/documents/{document_id}/"

    status, headers, _body = served.request(
        "GET", path, headers={"Authorization": f"Token {token}", **HTTPS}
    )

    assert status == 404
    (line,) = served.wait_for_access(path)
    assert line["request_id"] == headers["X-Request-ID"]
    assert isinstance(line["user_id"], int)
    assert line["document_id"] == document_id
    (exchange,) = served.wait_for_access("/api/v1/auth/token/")
    assert "user_id" not in exchange  # nobody was signed in when it was asked


def login_form(served) -> tuple[str, str]:
    """The CSRF cookie and the form's token of the login page."""
    status, headers, page = served.request("GET", "/accounts/login/", headers=HTTPS)
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    return cookie, token


def test_a_refused_password_never_reaches_the_log(served):
    """A wrong password at the token exchange (400) and in the login form (the form again),
    and the form posted without its CSRF token (403, which Django logs as a warning with the
    request): no line, nothing gunicorn writes, carries the password."""
    token = served.request(
        "POST",
        "/api/v1/auth/token/",
        body=f'{{"username": "officer", "password": "{WRONG_PASSWORD}"}}',
        headers={"Content-Type": "application/json", **HTTPS},
    )
    cookie, form_token = login_form(served)
    form = {"username": "officer", "password": WRONG_PASSWORD}
    login = served.request(
        "POST",
        "/accounts/login/",
        body=urlencode({"csrfmiddlewaretoken": form_token, **form}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"https://{HOST}/accounts/login/",
            **HTTPS,
        },
    )
    forged = served.request(
        "POST",
        "/accounts/login/",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", **HTTPS},
    )

    assert token[0] == 400
    assert login[0] == 200 and b"officer" in login[2]  # the form again, with its error
    assert forged[0] == 403
    statuses = [line["status"] for line in served.wait_for_access("/accounts/login/", count=3)]
    assert sorted(statuses) == [200, 200, 403]
    warning = [line for line in served.log_lines() if line["logger"] == "django.security.csrf"]
    assert warning and warning[0]["path"] == "/accounts/login/"
    assert WRONG_PASSWORD not in served.log_file.read_text()
    assert WRONG_PASSWORD not in (served.workdir / "gunicorn.stderr").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is absent")
def test_the_systemd_units_pass_systemds_check(tmp_path):
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {unit.name for unit in units} >= {
        "idhini-web.service",
        "idhini-worker.service",
        "idhini-beat.service",
    }
    beat_units = [unit.name for unit in units if " beat" in unit.read_text()]
    assert beat_units == ["idhini-beat.service"]  # exactly one beat
    (tmp_path / "env").write_text("")
    for unit in units:
        text = unit.read_text()
        for old, new in {
            "/srv/idhini/venv/bin/": f"{sys.prefix}/bin/",
            "/srv/idhini/app": str(BASE_DIR),
            "/srv/idhini/env": str(tmp_path / "env"),
        }.items():
            text = text.replace(old, new)
        (tmp_path / unit.name).write_text(text)

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / u.name) for u in units)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_nginx_accepts_the_site(served):
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    conf = served.write_nginx_conf()

    result = subprocess.run([*served.nginx_command(conf), "-t"], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_through_nginx_tls_reaches_django_as_https_with_one_request_id(proxied):
    status, headers, _body = proxied.request("GET", "/healthz", tls=True)
    assert status == 200
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, kept by Django
    assert proxied.wait_for_access("/healthz", request_id=request_id)
    nginx_log = (proxied.workdir / "nginx" / "logs" / "idhini.access.log").read_text()
    assert f'"request_id":"{request_id}"' in nginx_log

    status, headers, _body = proxied.request("GET", "/", tls=True)
    assert status == 302  # to the login page: Django saw HTTPS, no redirect to it
    assert headers["Location"].startswith("/accounts/login/")
    assert len(headers.get_all("Strict-Transport-Security")) == 1  # Django's, once

    status, headers, _body = proxied.request("GET", "/verify/", port=proxied.http_port)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/verify/"


def test_nginx_serves_static_files_for_a_year_and_never_media(proxied):
    _status, _headers, page = proxied.request("GET", "/accounts/login/", tls=True)
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page).group(1).decode()
    sealed = proxied.workdir / "media" / "sealed" / "x" / "sw-probe.pdf"
    sealed.parent.mkdir(parents=True, exist_ok=True)
    sealed.write_bytes(b"%PDF-1.7 secret")

    status, headers, body = proxied.request("GET", stylesheet, tls=True)
    assert status == 200 and body
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)  # named by its content
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Request-ID" not in headers  # nginx answered, not Django

    status, _headers, body = proxied.request("GET", "/media/sealed/x/sw-probe.pdf", tls=True)
    assert status == 404 and b"secret" not in body


def test_nginx_refuses_a_body_over_the_upload_limit(proxied):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    head = (
        f"POST /api/v1/verify/ HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/pdf\r\n"
        f"Content-Length: {22 * 1024 * 1024}\r\n\r\n"
    )
    raw = socket.create_connection(("127.0.0.1", proxied.https_port), timeout=10)
    with context.wrap_socket(raw) as tls:
        tls.sendall(head.encode())  # and no body: nginx answers from the header alone
        status_line = tls.recv(200).split(b"\r\n", 1)[0]

    assert status_line.split()[1] == b"413"


@pytest.mark.skipif(shutil.which("logrotate") is None, reason="logrotate is absent")
def test_logrotate_moves_the_log_and_the_next_line_goes_to_a_new_file(served, tmp_path):
    """Last in this module: it moves the log the tests above read."""
    logs = served.log_file.parent
    conf = (DEPLOY / "logrotate" / "idhini").read_text()
    for old, new in {
        "/var/log/idhini/": f"{logs}/",
        "su idhini idhini": "su root root",
        "create 0640 idhini idhini": "create 0640 root root",
    }.items():
        assert old in conf
        conf = conf.replace(old, new)
    (tmp_path / "idhini").write_text(conf)
    served.request("GET", "/healthz", headers={"X-Request-ID": "before-rotation-01"})
    served.wait_for_access("/healthz", request_id="before-rotation-01")

    rotated = subprocess.run(
        ["logrotate", "--force", "--state", str(tmp_path / "state"), str(tmp_path / "idhini")],
        capture_output=True,
        text=True,
    )
    assert rotated.returncode == 0, rotated.stderr
    served.request("GET", "/healthz", headers={"X-Request-ID": "after-rotation-01"})

    served.wait_for_access("/healthz", request_id="after-rotation-01")
    assert [line["request_id"] for line in served.access("/healthz")] == ["after-rotation-01"]
    (old,) = [path for path in logs.iterdir() if path.name.startswith("web.log-")]
    assert "before-rotation-01" in old.read_text()

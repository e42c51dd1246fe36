"""Idhini served as deploy/ says, on loopback ports: gunicorn started with deploy/gunicorn.conf.py
in production settings (JSON logs into a file), and, where nginx is installed, nginx with
deploy/nginx/idhini.conf in front of it (only its ports, paths and certificate put here).
Nothing here is a copy of the deploy files: they are read and the few local values put in."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
from pathlib import Path

from tests.notifications.live_stack import BASE_DIR, wait_until
from tests.notifications.smtp_sink import free_port

DEPLOY = BASE_DIR / "deploy"
HOST = "idhini.example.go.tz"
DEMO_PASSWORD = "demo-pass-2026"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


def production_env(workdir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "IDHINI_", "DATABASE_", "CELERY_", "EMAIL_"))
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="deploy-test-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'idhini.sqlite3'}",
        IDHINI_VAR_DIR=str(workdir / "var"),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        IDHINI_LOG_FILE=str(workdir / "logs" / "web.log"),
        IDHINI_WEB_BIND=f"127.0.0.1:{port}",
        IDHINI_WEB_WORKERS="2",
    )
    return env


def self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Served:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.env = production_env(workdir, self.port)
        self.log_file = Path(self.env["IDHINI_LOG_FILE"])
        self.gunicorn: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self.https_port = self.http_port = 0

    def manage(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr

    def collect_static(self) -> None:
        """collectstatic with content-hashed names and the manifest the production storage
        reads, as `manage.py collectstatic` makes them; without the gzip and Brotli copies,
        which take minutes on this machine (nginx serves the plain file when there is none)."""
        script = (
            "import django; django.setup()\n"
            "from django.conf import settings\n"
            "from django.core.management import call_command\n"
            "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
            "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}\n"
            "call_command('collectstatic', '--noinput', verbosity=0)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr

    def start_gunicorn(self) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        (self.workdir / "static").mkdir(exist_ok=True)
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        self.collect_static()
        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")],
            cwd=self.workdir,  # the config finds the project by itself
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "gunicorn.stderr").open("wb"),
            start_new_session=True,
        )
        wait_until(self._answers, 60, "gunicorn to answer /healthz", interval=0.2)

    def _answers(self) -> bool:
        assert self.gunicorn.poll() is None, (self.workdir / "gunicorn.stderr").read_text()
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def write_nginx_conf(self) -> Path:
        """deploy/nginx/idhini.conf inside a minimal nginx.conf; its path."""
        self.https_port, self.http_port = free_port(), free_port()
        conf = self.workdir / "nginx"
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            (conf / folder).mkdir(parents=True, exist_ok=True)
        cert, key = self_signed(conf)
        site = (DEPLOY / "nginx" / "idhini.conf").read_text()
        for old, new in {
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "/etc/ssl/idhini/fullchain.pem": str(cert),
            "/etc/ssl/idhini/privkey.pem": str(key),
            "/var/log/nginx/": f"{conf / 'logs'}/",
            "/srv/idhini/var/static/": f"{self.workdir / 'static'}/",
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{self.port};",
        }.items():
            assert old in site, old
            site = site.replace(old, new)
        (conf / "idhini.conf").write_text(site)
        temp = "\n".join(
            f"    {kind}_temp_path {conf / folder};"
            for kind, folder in (
                ("client_body", "body"),
                ("proxy", "proxy"),
                ("fastcgi", "fastcgi"),
                ("uwsgi", "uwsgi"),
                ("scgi", "scgi"),
            )
        )
        (conf / "nginx.conf").write_text(
            f"user root;\nworker_processes 1;\npid {conf / 'nginx.pid'};\n"
            f"error_log {conf / 'logs' / 'error.log'};\nevents {{}}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    access_log off;\n{temp}\n"
            f"    include {conf / 'idhini.conf'};\n}}\n"
        )
        return conf / "nginx.conf"

    def nginx_command(self, conf_file: Path) -> list[str]:
        return [nginx_binary(), "-p", str(conf_file.parent), "-c", str(conf_file), "-e", "stderr"]

    def start_nginx(self) -> None:
        conf_file = self.write_nginx_conf()
        conf = conf_file.parent
        self.nginx = subprocess.Popen(
            [*self.nginx_command(conf_file), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(conf / "nginx.stderr").open("wb"),
            start_new_session=True,
        )
        wait_until(self._nginx_answers, 20, "nginx to answer", interval=0.1)

    def _nginx_answers(self) -> bool:
        assert self.nginx.poll() is None, (self.workdir / "nginx" / "nginx.stderr").read_text()
        try:
            return self.request("GET", "/healthz", tls=True)[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, body=None, headers=None, *, tls=False, port=None):
        """(status, headers, body) of one request to gunicorn, or to nginx with ``tls``."""
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(
                "127.0.0.1", port or self.https_port, timeout=30, context=context
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def log_lines(self, path: Path | None = None) -> list[dict]:
        text = (path or self.log_file).read_text()
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def access(self, path: str) -> list[dict]:
        return [
            line
            for line in self.log_lines()
            if line["logger"] == "gunicorn.access" and line["path"] == path
        ]

    def wait_for_access(self, path: str, count: int = 1, request_id: str | None = None):
        """The access lines of ``path`` once there are ``count`` (with ``request_id``, if
        given): gunicorn writes one after the answer has gone out."""

        def lines() -> list[dict]:
            found = self.access(path)
            if request_id is not None:
                found = [line for line in found if line.get("request_id") == request_id]
            return found if len(found) >= count else []

        return wait_until(lines, 10, f"the access line of {path}")

    def stop(self) -> None:
        for process in (self.nginx, self.gunicorn):
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

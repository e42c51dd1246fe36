"""``manage.py check --deploy --fail-level WARNING`` fails (non-zero) on each misconfiguration
that would otherwise break production later, and passes on a correct configuration: the seal's
key and certificate (set, readable, PEM, matching, not expiring within 30 days), an https
IDHINI_SITE_URL, allowed hosts, a shared cache when several processes serve, real e-mail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.deploy.production import manage, production_env

SITE = "https://idhini.ega.go.tz"


def write_pair(directory: Path, *, days: int) -> tuple[Path, Path]:
    """A key and a self-signed certificate valid for ``days`` more days (negative: expired)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Idhini test seal")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@pytest.fixture(scope="module")
def seal(tmp_path_factory) -> tuple[Path, Path]:
    """A seal made by the project's own command, as `make check-deploy` makes it."""
    directory = tmp_path_factory.mktemp("seal")
    env = production_env(directory / "var")
    result = manage(env, "create_dev_seal", str(directory / "pair"))
    assert result.returncode == 0, result.stderr
    paths = dict(line.split("=", 1) for line in result.stdout.split())
    return Path(paths["SEAL_KEY_PATH"]), Path(paths["SEAL_CERT_PATH"])


@pytest.fixture
def good_env(seal, tmp_path) -> dict[str, str]:
    key, cert = seal
    return production_env(
        tmp_path / "var",
        DJANGO_ALLOWED_HOSTS="idhini.ega.go.tz",
        IDHINI_SITE_URL=SITE,
        SEAL_KEY_PATH=str(key),
        SEAL_CERT_PATH=str(cert),
    )


def check(env: dict[str, str]):
    return manage(env, "check", "--deploy", "--fail-level", "WARNING")


def test_a_correct_configuration_passes(good_env):
    result = check(good_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_several_processes_with_a_shared_cache_pass(good_env):
    result = check(
        {**good_env, "IDHINI_WEB_PROCESSES": "3", "IDHINI_CACHE_URL": "redis://127.0.0.1:6379/9"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


MISCONFIGURED = {
    "no seal key": ({"SEAL_KEY_PATH": None, "SEAL_CERT_PATH": None}, "idhini.E001"),
    "only a certificate": ({"SEAL_KEY_PATH": None}, "idhini.E001"),
    "an unreadable key": ({"SEAL_KEY_PATH": "/nonexistent/seal-key.pem"}, "idhini.E002"),
    "a certificate that is not PEM": ({"SEAL_CERT_PATH": "BAD_FILE"}, "idhini.E003"),
    "a key of another certificate": ({"SEAL_KEY_PATH": "OTHER_KEY"}, "idhini.E004"),
    "a certificate expiring in 10 days": ({"PAIR_DAYS": "10"}, "idhini.W005"),
    "an expired certificate": ({"PAIR_DAYS": "-1"}, "idhini.E005"),
    "a site on plain http": ({"IDHINI_SITE_URL": "http://idhini.ega.go.tz"}, "idhini.E010"),
    "the development site url": ({"IDHINI_SITE_URL": None}, "idhini.E010"),
    "a site not in the allowed hosts": (
        {"IDHINI_SITE_URL": "https://idhini.example.org"},
        "idhini.W011",
    ),
    "no allowed hosts": ({"DJANGO_ALLOWED_HOSTS": ""}, "security.W020"),
    "three processes, a cache per process": ({"IDHINI_WEB_PROCESSES": "3"}, "idhini.W020"),
    "mail to the console": (
        {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
        "idhini.W030",
    ),
    "mail kept in memory": (
        {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "idhini.W030",
    ),
}


@pytest.mark.parametrize("case", list(MISCONFIGURED))
def test_each_misconfiguration_fails_the_check(good_env, tmp_path, case):
    changes, code = MISCONFIGURED[case]
    env = dict(good_env)
    for name, value in changes.items():
        if name == "PAIR_DAYS":
            key, cert = write_pair(tmp_path / "pair", days=int(value))
            env["SEAL_KEY_PATH"], env["SEAL_CERT_PATH"] = str(key), str(cert)
        elif value == "BAD_FILE":
            bad = tmp_path / "not-a-certificate.pem"
            bad.write_text("this is not a certificate\n")
            env[name] = str(bad)
        elif value == "OTHER_KEY":
            env[name] = str(write_pair(tmp_path / "other", days=365)[0])
        elif value is None:
            env.pop(name, None)
        else:
            env[name] = value
    result = check(env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert code in output, output

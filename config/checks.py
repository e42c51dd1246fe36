"""Idhini's own ``manage.py check --deploy`` checks: a production configuration that would fail
later (at the first approval, the first e-mail, behind several processes) fails here instead.

Registered by workflow.apps; they run only with ``--deploy``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

EXPIRY_WARNING_DAYS = 30
_NOT_SHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
_UNDELIVERED_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_seal(app_configs, **kwargs):
    key_path, cert_path = settings.SEAL_KEY_PATH, settings.SEAL_CERT_PATH
    if not key_path or not cert_path:
        return [
            Error(
                "SEAL_KEY_PATH and SEAL_CERT_PATH must both be set: approved documents cannot "
                "be sealed without the agency's key and certificate.",
                id="idhini.E001",
            )
        ]
    try:
        key_pem, cert_pem = Path(key_path).read_bytes(), Path(cert_path).read_bytes()
    except OSError as exc:
        return [Error(f"The seal's key or certificate cannot be read: {exc}", id="idhini.E002")]
    return _check_seal_material(key_pem, cert_pem)


def _check_seal_material(key_pem: bytes, cert_pem: bytes) -> list:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        certificates = x509.load_pem_x509_certificates(cert_pem)
    except ValueError as exc:
        return [Error(f"SEAL_CERT_PATH holds no PEM certificate: {exc}", id="idhini.E003")]
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        return [
            Error(f"SEAL_KEY_PATH holds no unencrypted PEM private key: {exc}", id="idhini.E003")
        ]
    certificate = certificates[0]
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != certificate.public_key().public_bytes(*spki):
        return [
            Error(
                "The seal's key does not match its certificate (the first one in "
                "SEAL_CERT_PATH): seals would not validate.",
                id="idhini.E004",
            )
        ]
    left = certificate.not_valid_after_utc - dt.datetime.now(dt.UTC)
    if left <= dt.timedelta(0):
        return [
            Error(
                f"The seal's certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}.",
                id="idhini.E005",
            )
        ]
    if left < dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return [
            Warning(
                f"The seal's certificate expires on {certificate.not_valid_after_utc:%Y-%m-%d}, "
                f"in less than {EXPIRY_WARNING_DAYS} days: renew it.",
                id="idhini.W005",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or not parts.hostname:
        return [
            Error(
                f"IDHINI_SITE_URL must be the public https:// address (it is {settings.SITE_URL!r})"
                ": e-mail links and the QR code on every sealed PDF are built from it.",
                id="idhini.E010",
            )
        ]
    if settings.ALLOWED_HOSTS and not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return [
            Warning(
                f"IDHINI_SITE_URL's host {parts.hostname!r} is not in DJANGO_ALLOWED_HOSTS: "
                "links in e-mails and on the PDFs would be refused.",
                id="idhini.W011",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.WEB_PROCESSES > 1 and backend in _NOT_SHARED_CACHES:
        return [
            Warning(
                f"IDHINI_WEB_PROCESSES is {settings.WEB_PROCESSES} but the cache is per process "
                f"({backend}): rate limits would count each process apart. Set IDHINI_CACHE_URL "
                "(Redis).",
                id="idhini.W020",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in _UNDELIVERED_MAIL:
        return [
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: nobody would receive an e-mail "
                "(whose turn it is to sign, decisions). Use SMTP.",
                id="idhini.W030",
            )
        ]
    return []

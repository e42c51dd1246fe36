"""Where stored files live: MEDIA_ROOT on this machine, or an S3-compatible bucket that several
web hosts and workers share (AWS S3, MinIO, Ceph RGW, ...) through django-storages.

``IDHINI_STORAGE=filesystem`` (the default) or ``s3``; with ``s3`` (all read in settings.py):
``IDHINI_S3_BUCKET`` (required), ``IDHINI_S3_ENDPOINT_URL`` (unset: AWS), ``IDHINI_S3_REGION``,
``IDHINI_S3_ACCESS_KEY_ID`` / ``IDHINI_S3_SECRET_ACCESS_KEY`` (unset: boto3's own chain: the
``AWS_*`` variables, an instance role), ``IDHINI_S3_PREFIX`` (a folder inside the bucket) and
``IDHINI_S3_ADDRESSING_STYLE`` (``path`` for most self-hosted servers, ``virtual``, or unset).

The bucket must stay private: files are only ever served through the API, which checks who may
see them (no URL of a stored file is handed out).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

STORAGE_KINDS = ("filesystem", "s3")


def s3_options(s3: dict[str, str], *, prefix: str = "") -> dict[str, Any]:
    """django-storages' S3Storage options from the IDHINI_S3_* values (config/settings.py);
    ``prefix`` is a folder below IDHINI_S3_PREFIX, for another STORAGES entry in the bucket."""
    if not s3.get("bucket_name", "").strip():
        raise ImproperlyConfigured("IDHINI_STORAGE=s3 needs IDHINI_S3_BUCKET.")
    style = s3.get("addressing_style", "").strip().lower() or None
    if style not in (None, "path", "virtual", "auto"):
        raise ImproperlyConfigured(
            f"IDHINI_S3_ADDRESSING_STYLE must be path, virtual or auto, not {style!r}"
        )
    folders = (s3.get("location", ""), prefix)
    return {
        "bucket_name": s3["bucket_name"].strip(),
        "endpoint_url": s3.get("endpoint_url", "").strip() or None,
        "region_name": s3.get("region_name", "").strip() or None,
        "access_key": s3.get("access_key") or None,
        "secret_key": s3.get("secret_key") or None,
        "addressing_style": style,
        "location": "/".join(p.strip("/") for p in folders if p.strip("/")),
        # Never replace a stored object: a sealed PDF, once issued, stays as it was.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }


def storages_config(*, kind: str, s3: dict[str, str]) -> dict[str, Any]:
    """The STORAGES entry for our files."""
    kind = kind.strip().lower() or "filesystem"
    if kind not in STORAGE_KINDS:
        raise ImproperlyConfigured(f"IDHINI_STORAGE must be filesystem or s3, not {kind!r}")
    if kind == "s3":
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(s3)}
    # FileSystemStorage reads MEDIA_ROOT when first used (tests point it elsewhere).
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage raises when it is away: a disk's OSError, an object store's client errors
    (the caller answers 503 or retries, as for a disk)."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - django-storages[s3] is a dependency
        return tuple(errors)
    errors += [BotoCoreError, ClientError]
    return tuple(errors)


def attachments_storage_config(
    *, backend: str, options: dict[str, Any], kind: str, s3: dict[str, str]
) -> dict[str, Any]:
    """Annexes (workflow.attachments) have their own storage. By default where the sealed PDFs
    are: MEDIA_ROOT/attachments, or with IDHINI_STORAGE=s3 the folder "attachments" of the same
    bucket. IDHINI_ATTACHMENT_STORAGE_BACKEND (and its options as JSON) names another backend."""
    if backend:
        return {"BACKEND": backend, "OPTIONS": options}
    if kind.strip().lower() == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(s3, prefix="attachments"),
        }
    return {"BACKEND": "workflow.attachments.storage.AttachmentStorage"}

"""Where stored files live: MEDIA_ROOT on this machine, or an S3-compatible bucket that several
web hosts and workers share (AWS S3, MinIO, Ceph RGW, ...) through django-storages.

``IDHINI_STORAGE=filesystem`` (the default) or ``s3``; with ``s3``:
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

from config.env import env_str

STORAGE_KINDS = ("filesystem", "s3")


def storage_kind() -> str:
    kind = env_str("IDHINI_STORAGE", "filesystem").strip().lower() or "filesystem"
    if kind not in STORAGE_KINDS:
        raise ImproperlyConfigured(f"IDHINI_STORAGE must be filesystem or s3, not {kind!r}")
    return kind


def s3_options(*, prefix: str = "") -> dict[str, Any]:
    """django-storages' S3Storage options from IDHINI_S3_*; ``prefix`` is a folder below
    IDHINI_S3_PREFIX (another STORAGES entry in the same bucket)."""
    bucket = env_str("IDHINI_S3_BUCKET").strip()
    if not bucket:
        raise ImproperlyConfigured("IDHINI_STORAGE=s3 needs IDHINI_S3_BUCKET.")
    style = env_str("IDHINI_S3_ADDRESSING_STYLE").strip().lower() or None
    if style not in (None, "path", "virtual", "auto"):
        raise ImproperlyConfigured(
            f"IDHINI_S3_ADDRESSING_STYLE must be path, virtual or auto, not {style!r}"
        )
    location = "/".join(p.strip("/") for p in (env_str("IDHINI_S3_PREFIX"), prefix) if p.strip("/"))
    return {
        "bucket_name": bucket,
        "endpoint_url": env_str("IDHINI_S3_ENDPOINT_URL").strip() or None,
        "region_name": env_str("IDHINI_S3_REGION").strip() or None,
        "access_key": env_str("IDHINI_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("IDHINI_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": style,
        "location": location,
        # Never replace a stored object: a sealed PDF, once issued, stays as it was.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }


def storages_config() -> dict[str, Any]:
    """The STORAGES entry for our files (another entry in the same bucket, for other files, can
    use ``s3_options(prefix=...)``)."""
    if storage_kind() == "s3":
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options()}
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

"""Files on shared storage: with IDHINI_STORAGE=s3 the sealed PDFs and previews live in an
S3-compatible bucket (here moto's S3 server on a loopback port, spoken to over HTTP by boto3
through django-storages), not on the web host's disk; they are downloaded through the API and
the downloaded file verifies."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from approvals.models import SealedPdf
from config.storage import storages_config
from tests.approvals.pdf_support import approve, changed_byte
from tests.helpers import new_document
from tests.notifications.live_stack import BASE_DIR
from tests.ops.s3_server import BUCKET, PREFIX, s3_environment, use_s3

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dev_seal", "clean_cache")]


def download(world, document_id: str) -> tuple[int, bytes, dict]:
    response = world.client(world.officer).get(f"/api/v1/documents/{document_id}/pdf/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, content, response


def verify(pdf: bytes) -> dict:
    upload = SimpleUploadedFile("held.pdf", pdf, content_type="application/pdf")
    response = Client().post("/api/v1/verify/", {"file": upload})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_sealed_pdf_goes_to_the_bucket_comes_back_through_the_api_and_verifies(
    world, s3, settings, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)

    sealed = SealedPdf.objects.get(document_id=document_id, lang="sw")
    key = f"{PREFIX}/{sealed.file.name}"
    assert s3.keys("sealed/") == [key]
    stored = s3.read(key)
    assert hashlib.sha256(stored).hexdigest() == sealed.sha256
    assert not (settings.MEDIA_ROOT / "sealed").exists()  # nothing on this host's disk

    status, pdf, response = download(world, document_id)
    assert status == 200
    assert response["ETag"] == f'"{sealed.sha256}"'
    assert pdf == stored

    verdict = verify(pdf)
    assert verdict["valid"] is True
    assert verdict["seal"]["intact"] is True and verdict["seal"]["agency_certificate"] is True
    assert verdict["reference"] == sealed.document.reference
    assert verify(changed_byte(pdf))["valid"] is False


def test_a_second_download_is_the_stored_object_not_a_new_seal(
    world, s3, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    first = download(world, document_id)[1]

    second = download(world, document_id)[1]

    assert first == second
    assert SealedPdf.objects.filter(document_id=document_id).count() == 1
    assert len(s3.keys("sealed/")) == 1


def test_an_english_copy_is_sealed_into_the_bucket_when_first_asked_for(
    world, s3, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)

    response = world.client(world.officer).get(f"/api/v1/documents/{document_id}/pdf/?lang=en")

    assert response.status_code == 200
    english = SealedPdf.objects.get(document_id=document_id, lang="en")
    assert f"{PREFIX}/{english.file.name}" in s3.keys("sealed/")
    assert verify(b"".join(response.streaming_content))["lang"] == "en"


def test_a_draft_preview_is_kept_in_the_bucket_and_served_from_it(world, s3):
    document = new_document(world, "email_account_request")

    status, first, _ = download(world, str(document.pk))

    assert status == 200 and first.startswith(b"%PDF-")
    (key,) = s3.keys(f"previews/{document.pk}/")
    assert s3.read(key) == first
    status, again, response = download(world, str(document.pk))
    assert status == 200 and again == first
    assert response.streaming  # the stored object, not a new render


def test_an_unreachable_bucket_is_a_503_not_a_500(
    world, s3, monkeypatch, settings, django_capture_on_commit_callbacks
):
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    use_s3(monkeypatch, settings, "http://127.0.0.1:1")  # nothing listens there

    status, _content, response = download(world, document_id)

    assert status == 503
    assert response.json() == {
        "detail": "Hifadhi ya mafaili haipatikani sasa hivi; jaribu tena baadaye.",
        "code": "storage_unavailable",
    }
    assert SealedPdf.objects.filter(document_id=document_id).count() == 1  # nothing changed


def test_s3_storage_needs_a_bucket_and_a_known_kind():
    with pytest.raises(ImproperlyConfigured, match="IDHINI_S3_BUCKET"):
        storages_config(kind="s3", s3={"bucket_name": " "})
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        storages_config(kind="ftp", s3={})
    with pytest.raises(ImproperlyConfigured, match="IDHINI_S3_ADDRESSING_STYLE"):
        storages_config(kind="s3", s3={"bucket_name": "b", "addressing_style": "sideways"})
    assert storages_config(kind="", s3={}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_the_settings_read_the_s3_variables_from_the_environment(s3_server):
    script = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage as s\n"
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], s.bucket_name, s.location,"
        " s.endpoint_url, s.file_overwrite]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IDHINI_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", IDHINI_TESTING="1")
    env.update(s3_environment(s3_server.endpoint))

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "storages.backends.s3.S3Storage",
        BUCKET,
        PREFIX,
        s3_server.endpoint,
        False,
    ]
    bad = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**env, "IDHINI_STORAGE": "ftp"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "IDHINI_STORAGE must be filesystem or s3" in bad.stderr

"""Settings, demo data, health and the API description."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from rest_framework.test import APIClient

from workflow.models import Institution, Membership, Project

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IDHINI_"))}
    clean.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be a boolean"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("IDHINI_UPLOAD_MAX_BYTES", "10", "IDHINI_UPLOAD_MAX_BYTES must be at least"),
    ],
)
def test_a_malformed_setting_stops_start_up(name, value, message):
    result = _start({"DJANGO_SECRET_KEY": "x" * 60, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_development_needs_nothing_set():
    result = _start({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.django_db
def test_seed_demo_makes_the_documented_world_and_is_idempotent():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert sorted(Institution.objects.values_list("code", flat=True)) == ["EGA", "MOE", "MOH"]
    assert Institution.objects.get(code="EGA").is_agency
    expected = {
        ("officer", "MOH", "officer"),
        ("ict_head", "MOH", "head_of_ict"),
        ("accounting_officer", "MOH", "accounting_officer"),
        ("officer_moe", "MOE", "officer"),
        ("ict_head_moe", "MOE", "head_of_ict"),
        ("accounting_officer_moe", "MOE", "accounting_officer"),
        ("system_owner", "MOH", "system_owner"),
        ("procurement_head", "MOH", "head_of_procurement"),
        ("hr_head", "MOH", "head_of_hr"),
        ("servant", "MOH", "servant"),
        ("system_owner_moe", "MOE", "system_owner"),
        ("procurement_head_moe", "MOE", "head_of_procurement"),
        ("hr_head_moe", "MOE", "head_of_hr"),
        ("reviewer", "EGA", "reviewer"),
        ("reviewer2", "EGA", "reviewer"),
        ("mail_admin", "EGA", "mail_admin"),
    }
    found = set(Membership.objects.values_list("user__username", "institution__code", "role"))
    assert found == expected
    assert Project.objects.count() == 1
    assert authenticate(username="officer", password="demo-pass-2026") is not None
    admin = authenticate(username="admin", password="demo-pass-2026")
    assert admin is not None and admin.is_superuser
    call_command("seed_demo", "--password", "another-pass-1", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert authenticate(username="reviewer", password="another-pass-1") is not None


@pytest.mark.django_db
def test_health_reports_the_database_and_the_broker():
    response = APIClient().get("/healthz")
    assert response.status_code == 200
    # The contract's keys (../shared/API.md); config/health.py adds more (tests/ops).
    assert {"database": "ok", "broker": "eager"}.items() <= response.json().items()


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = APIClient().get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_the_openapi_schema_and_its_docs_page_are_served_locally():
    client = APIClient()
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/documents/",
        "/api/v1/documents/{id}/{action}/",
        "/api/v1/review-queue/",
        "/api/v1/signature-requests/",
        "/api/v1/projects/",
    ]:
        assert path in paths
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_document_types_carry_names_signatories_and_schema(client=None):
    client = APIClient()
    listing = client.get("/api/v1/document-types/").json()["results"]
    assert [t["key"] for t in listing] == [
        "concept_note",
        "implementation_report",
        "completion_report",
        "terms_of_reference",
        "email_account_request",
    ]
    concept = client.get("/api/v1/document-types/concept_note/").json()
    assert concept["name"] == {
        "sw": "Dhana ya Uanzishaji wa Mfumo/Mradi",
        "en": "Project Concept Note",
    }
    assert [s["title"]["sw"] for s in concept["signatories"]] == [
        "Imeandaliwa na",
        "Imeridhiwa na",
        "Imehakikiwa na",
        "Imeidhinishwa na",
    ]
    assert concept["schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.django_db
def test_a_membership_keeps_a_person_in_one_institution_and_roles_where_they_belong(world):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(ValidationError, match="another institution"):
            Membership(user=world.officer, institution=world.moe, role="head_of_ict").full_clean()
        with pytest.raises(ValidationError, match="Reviewers belong to the agency"):
            Membership(user=world.officer, institution=world.moh, role="reviewer").full_clean()
        with pytest.raises(ValidationError, match="Reviewers belong to the agency"):
            Membership(user=world.reviewer, institution=world.ega, role="officer").full_clean()
        Membership(user=world.officer, institution=world.moh, role="head_of_ict").full_clean()


@pytest.mark.django_db
def test_library_messages_speak_swahili_by_default_and_english_when_asked():
    client = APIClient()
    swahili = client.get("/api/v1/review-queue/").json()["detail"]
    english = client.get("/api/v1/review-queue/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert swahili == "Hujatoa taarifa za utambulisho (ingia kwanza)."
    assert english == "Authentication credentials were not provided."


def test_making_migrations_needs_no_secret_but_serving_does():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IDHINI_"))}
    clean.pop("PYTEST_CURRENT_TEST", None)
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    offline = run("makemigrations", "--check", "--dry-run")
    assert offline.returncode == 0, offline.stderr
    online = run("check")
    assert online.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in online.stderr


def test_in_production_plain_http_is_redirected_to_https_except_the_health_probe(tmp_path):
    """A probe speaks plain HTTP to gunicorn, behind the TLS proxy: it gets its answer."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='idhini.example.go.tz')\n"
        "print(client.get('/healthz').status_code, client.get('/').status_code,"
        " client.get('/', headers={'X-Forwarded-Proto': 'https'}).status_code)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IDHINI_"))}
    clean.pop("PYTEST_CURRENT_TEST", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ALLOWED_HOSTS": "idhini.example.go.tz",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "IDHINI_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    health, page, page_over_https = result.stdout.split()
    assert health == "200"  # answered, not redirected
    assert page == "301"
    assert page_over_https == "302"  # to the login page

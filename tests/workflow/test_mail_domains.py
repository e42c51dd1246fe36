"""An institution's own mail domains: set in admin, checked against every mailbox request."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.helpers import complete_data
from workflow.models import Institution

pytestmark = pytest.mark.django_db


def test_domains_are_cleaned_to_one_list_and_a_wrong_one_is_named():
    institution = Institution(code="MOF", name_sw="Hazina", name_en="Treasury")
    institution.mail_domains = " MOF.go.tz; @hazina.go.tz,mof.go.tz\nzanzibar.go.tz "
    institution.full_clean()
    assert institution.mail_domains == "mof.go.tz, hazina.go.tz, zanzibar.go.tz"
    assert institution.mail_domain_list() == ("mof.go.tz", "hazina.go.tz", "zanzibar.go.tz")
    institution.mail_domains = "mof.go.tz, not a domain, gmail"
    with pytest.raises(ValidationError) as refused:
        institution.full_clean()
    [message] = refused.value.message_dict["mail_domains"]
    assert message.startswith("Si kikoa cha barua pepe: not, a, domain, gmail.")


def test_the_admin_edits_an_institutions_mail_domains(admin_client, world):
    page = admin_client.get(f"/admin/workflow/institution/{world.moh.pk}/change/")
    assert page.status_code == 200
    assert 'name="mail_domains"' in page.content.decode()
    listing = admin_client.get("/admin/workflow/institution/").content.decode()
    assert "afya.go.tz" in listing


def test_the_demo_refuses_a_gmail_mailbox_and_accepts_one_of_the_ministry():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Institution.objects.get(code="MOH").mail_domain_list() == ("moh.go.tz",)
    assert Institution.objects.get(code="MOE").mail_domain_list() == ("moe.go.tz",)
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="officer"))
    document = client.post(
        "/api/v1/documents/",
        {"type": "email_account_request", "title": "Barua pepe ya Amina", "project": None},
        format="json",
    ).json()
    url = f"/api/v1/documents/{document['id']}/"
    data = {**complete_data("email_account_request"), "requested_address": "amina@gmail.com"}
    del data["new_address"]  # a new account: only a rename names a new address
    assert client.patch(url, {"data": data}, format="json").status_code == 200
    refused = client.post(f"{url}request-signatures/")
    assert refused.status_code == 400
    assert [rule["code"] for rule in refused.json()["rules"]] == ["address_in_institution_domain"]
    data["requested_address"] = "amina.mollel@moh.go.tz"
    assert client.patch(url, {"data": data}, format="json").status_code == 200
    accepted = client.post(f"{url}request-signatures/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "awaiting_signatures"

"""Create the demo world of the API contract. Running it again changes nothing but passwords."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from workflow.agency import AgencyIdentity
from workflow.models import Institution, Membership, Project, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password

INSTITUTIONS = [
    ("MOH", "Wizara ya Afya", "Ministry of Health", False),
    ("MOE", "Wizara ya Elimu", "Ministry of Education", False),
    ("EGA", "Mamlaka ya Serikali Mtandao", "e-Government Authority", True),
]

# The mail domains a mailbox request may ask for (Institution.mail_domains, set in admin).
MAIL_DOMAINS = {"MOH": "moh.go.tz", "MOE": "moe.go.tz", "EGA": "ega.go.tz"}

PEOPLE = [
    # username, first, last, institution, role, title
    ("officer", "Amina", "Mollel", "MOH", Role.OFFICER, "Afisa TEHAMA"),
    ("ict_head", "Juma", "Kweka", "MOH", Role.HEAD_OF_ICT, "Mkuu wa Kitengo cha TEHAMA"),
    ("accounting_officer", "Neema", "Swai", "MOH", Role.ACCOUNTING_OFFICER, "Katibu Mkuu"),
    ("officer_moe", "Baraka", "Mushi", "MOE", Role.OFFICER, "Afisa TEHAMA"),
    ("ict_head_moe", "Rehema", "Lyimo", "MOE", Role.HEAD_OF_ICT, "Mkuu wa Kitengo cha TEHAMA"),
    ("accounting_officer_moe", "Hamisi", "Mrema", "MOE", Role.ACCOUNTING_OFFICER, "Katibu Mkuu"),
    # The other signatories of issue 15's chains, and a servant who files their own mailbox.
    ("system_owner", "Grace", "Minja", "MOH", Role.SYSTEM_OWNER, "Mkurugenzi wa Huduma za Tiba"),
    ("procurement_head", "Saidi", "Ngowi", "MOH", Role.HEAD_OF_PROCUREMENT, "Mkuu wa PMU"),
    ("hr_head", "Upendo", "Mbwambo", "MOH", Role.HEAD_OF_HR, "Mkurugenzi wa Utawala na RUW"),
    ("servant", "Faraja", "Temba", "MOH", Role.SERVANT, "Afisa Muuguzi"),
    ("system_owner_moe", "Joseph", "Shirima", "MOE", Role.SYSTEM_OWNER, "Mkurugenzi wa Elimu"),
    ("procurement_head_moe", "Mwanaisha", "Kombo", "MOE", Role.HEAD_OF_PROCUREMENT, "Mkuu wa PMU"),
    ("hr_head_moe", "Elias", "Urio", "MOE", Role.HEAD_OF_HR, "Mkurugenzi wa Utawala na RUW"),
    ("reviewer", "Zawadi", "Kimaro", "EGA", Role.REVIEWER, "Mhakiki wa Mifumo"),
    ("reviewer2", "Emmanuel", "Massawe", "EGA", Role.REVIEWER, "Mhakiki wa Mifumo"),
    # Creates approved mailboxes in the Government Mailing System (approvals.provisioning).
    ("mail_admin", "Subira", "Ngowi", "EGA", Role.MAIL_ADMIN, "Msimamizi wa Barua Pepe"),
]

DOMAINS = {"MOH": "afya.go.tz", "MOE": "moe.go.tz", "EGA": "ega.go.tz"}

# Two-step verification shown: this demo reviewer has an authenticator already, with a known
# secret (add it to an app by hand: base32 below), so the code is asked at sign-in and approval.
# The others enrol themselves (Two-step verification in the header).
DEMO_TOTP_USER = "reviewer2"
# Hex, as django-otp keeps it; typed into an app as base32 JFSG Q2LJ NZUS 2ZDF NVXS 25DP ORYC 2MRQ.
DEMO_TOTP_KEY = "49646869696e692d64656d6f2d746f74702d3230"


class Command(BaseCommand):
    help = "Create the demo institutions, people and roles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        User = get_user_model()
        # The mainland authority, as an administrator would set it (admin: Agency identity);
        # kept as it is when the demo is seeded again.
        AgencyIdentity.objects.get_or_create(pk=1)
        institutions = {}
        for code, name_sw, name_en, is_agency in INSTITUTIONS:
            institutions[code], _ = Institution.objects.update_or_create(
                code=code,
                defaults={
                    "name_sw": name_sw,
                    "name_en": name_en,
                    "is_agency": is_agency,
                    "mail_domains": MAIL_DOMAINS[code],
                },
            )
        for username, first, last, code, role, title in PEOPLE:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@{DOMAINS[code]}",
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            Membership.objects.update_or_create(
                user=user, institution=institutions[code], role=role, defaults={"title": title}
            )
        admin, _ = User.objects.update_or_create(
            username="admin",
            defaults={"email": "admin@ega.go.tz", "is_staff": True, "is_superuser": True},
        )
        admin.set_password(password)
        admin.save(update_fields=["password"])
        officer = User.objects.get(username="officer")
        Project.objects.get_or_create(
            institution=institutions["MOH"],
            name="Mfumo wa Taarifa za Hospitali (HMIS)",
            defaults={
                "description": "Mfumo wa kielektroniki wa kusimamia taarifa za wagonjwa.",
                "created_by": officer,
            },
        )
        self.stdout.write(self.style.SUCCESS(f"Demo world ready. Logins (password: {password}):"))
        for username, _first, _last, code, role, _title in PEOPLE:
            self.stdout.write(f"  {username:<24} {code}  {role.label}")
        self.stdout.write(f"  {'admin':<24} —    superuser (/admin/)")
        self._demo_authenticator(User.objects.get(username=DEMO_TOTP_USER))

    def _demo_authenticator(self, user: User) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from workflow.second_factor import (
            DEVICE_NAME,
            recovery_codes_left,
            recovery_codes_renew,
            secret_of,
        )

        device, _created = TOTPDevice.objects.update_or_create(
            user=user, name=DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        if not recovery_codes_left(user):
            recovery_codes_renew(user=user)
        self.stdout.write(
            f"Two-step verification: {user.username} has an authenticator with the secret "
            f"{secret_of(device)} (type it into an authenticator app); every other person can "
            "set one up from the header's link."
        )

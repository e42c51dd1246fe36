"""The agency's staff of a role (whom a submission or a mailbox request tells), read by one
statement compiled once per connection: the same people, in the same order, with the same
language, as the ORM's own query reads."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Language, Preference
from notifications.people import agency_reviewers, agency_staff, language_of, mail_admins
from tests.helpers import make_user
from workflow.models import Institution, Membership, Role

pytestmark = pytest.mark.django_db
User = get_user_model()


def orm_staff(role: str) -> list:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=role, memberships__institution__is_agency=True
        )
        .select_related("notification_preference")
        .distinct()
        .order_by("pk")
    )


def test_the_agency_staff_are_the_orm_s_people_with_their_language(world):
    Preference.objects.create(user=world.reviewer2, language=Language.ENGLISH)
    # A reviewer of an institution (not the agency), a former reviewer, a second role held.
    make_user("not_agency", world.moh, Role.REVIEWER)
    make_user("left", world.ega, Role.REVIEWER, is_active=False)
    Membership.objects.create(user=world.reviewer, institution=world.ega, role=Role.MAIL_ADMIN)
    # The same role in a second agency institution (a regional office): one person, listed once.
    office = Institution.objects.create(
        code="EGA-DOM", name_sw="Ofisi", name_en="Office", is_agency=True
    )
    Membership.objects.create(user=world.reviewer, institution=office, role=Role.REVIEWER)
    admin = make_user("admin", world.ega, Role.MAIL_ADMIN, first_name="Asha")

    for role in (Role.REVIEWER, Role.MAIL_ADMIN):
        read, expected = agency_staff(role), orm_staff(role)
        assert [user.pk for user in read] == [user.pk for user in expected]
        for user, orm in zip(read, expected, strict=True):
            fields = [field.attname for field in User._meta.concrete_fields]
            assert [getattr(user, name) for name in fields] == [
                getattr(orm, name) for name in fields
            ]
            assert language_of(user) == language_of(orm)
    assert [u.username for u in agency_reviewers()] == ["reviewer", "reviewer2"]
    assert [language_of(u) for u in agency_reviewers()] == [Language.SWAHILI, Language.ENGLISH]
    assert [u.username for u in mail_admins()] == ["reviewer", "admin"]
    assert mail_admins()[1].get_full_name() == admin.get_full_name() == "Asha"


def test_the_agency_staff_cost_one_statement_and_none_for_their_language(
    world, django_assert_num_queries
):
    Preference.objects.create(user=world.reviewer, language=Language.ENGLISH)
    with django_assert_num_queries(1):
        people = agency_reviewers()
        assert [language_of(user) for user in people] == [Language.ENGLISH, Language.SWAHILI]

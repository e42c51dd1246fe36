"""Rules across fields, as data in the type definition: each kind holds or breaks by name."""

from __future__ import annotations

import pytest
from django.utils import translation

from forms_templates.definitions import (
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.registry import all_types, get_type
from forms_templates.rules import (
    DateOrder,
    DatesWithin,
    MailDomain,
    Range,
    SumAtMost,
    SumEquals,
    broken_rules,
    describe_rules,
    messages_by_field,
    rules_of,
)
from forms_templates.signatories import (
    PREPARED_BY,
)
from tests.helpers import complete_data

MESSAGE = T("Ujumbe", "Message")


def _broken(key: str, data: dict, domains=("afya.go.tz",)) -> dict[str, tuple[str, ...]]:
    return {b.code: b.fields for b in broken_rules(get_type(key), data, mail_domains=domains)}


@pytest.mark.parametrize("key", list(all_types()))
@pytest.mark.parametrize("rows", [1, 3])
def test_a_complete_sample_of_every_type_breaks_no_rule(key, rows):
    assert _broken(key, complete_data(key, rows=rows)) == {}


@pytest.mark.parametrize("key", list(all_types()))
def test_every_rule_is_published_with_its_fields_and_both_languages(key):
    described = describe_rules(get_type(key))
    assert [rule["code"] for rule in described] == [r.code for r in rules_of(get_type(key))]
    for rule in described:
        assert rule["fields"] and rule["kind"]
        assert rule["message"]["sw"] and rule["message"]["en"]
        assert rule["message"]["sw"] != rule["message"]["en"]


def test_every_required_table_has_a_rows_required_rule():
    definition = get_type("concept_note")
    codes = {rule["code"]: rule for rule in describe_rules(definition)}
    assert codes["milestones_rows_required"]["fields"] == ["milestones"]
    assert codes["budget_items_rows_required"]["kind"] == "rows_required"
    assert "risks_rows_required" not in codes  # risks is not a required table
    assert _broken("concept_note", {"milestones": []}) == {
        "similar_systems_rows_required": ("similar_systems",),
        "milestones_rows_required": ("milestones",),
        "budget_items_rows_required": ("budget_items",),
    }


def test_an_end_date_before_the_start_date_names_both_dates():
    data = {**complete_data("concept_note"), "start_date": "2027-03-01", "end_date": "2027-04-30"}
    data["milestones"] = [
        {"milestone": "A", "due_date": "2027-03-01"},
        {"milestone": "B", "due_date": "2027-05-02"},
        {"milestone": "C", "due_date": "2027-04-30"},
    ]
    assert _broken("concept_note", data) == {
        "milestones_within_project": ("milestones[2].due_date", "start_date", "end_date")
    }
    data["end_date"] = "2026-12-31"
    broken = _broken("concept_note", data)
    assert broken["end_not_before_start"] == ("start_date", "end_date")


def test_a_total_must_equal_its_rows_exactly():
    data = complete_data("concept_note")
    data["budget_items"] = [
        {"item": "Seva", "amount": 400_000_000},
        {"item": "Mafunzo", "amount": 65_000_000},
    ]
    data["total_budget"] = 999
    [broken] = broken_rules(get_type("concept_note"), data)
    assert broken.code == "total_budget_matches_items"
    assert broken.fields == ("total_budget", "budget_items[1].amount", "budget_items[2].amount")
    with translation.override("en"):
        [broken] = broken_rules(get_type("concept_note"), data)
    assert "999" in broken.detail and "465,000,000" in broken.detail
    data["total_budget"] = 465_000_000
    assert _broken("concept_note", data) == {}


def test_percentages_add_up_exactly_and_stay_between_0_and_100():
    data = complete_data("terms_of_reference", rows=3)
    rows = data["payment_milestones"]
    for row, percentage in zip(rows, [33.33, 33.33, 33.34], strict=True):
        row["percentage"] = percentage  # 100 exactly, though not in binary floating point
    assert _broken("terms_of_reference", data) == {}
    rows[0]["percentage"], rows[1]["percentage"], rows[2]["percentage"] = 150, -50, 0
    assert _broken("terms_of_reference", data) == {
        "payment_percentage_range": (
            "payment_milestones[1].percentage",
            "payment_milestones[2].percentage",
        )
    }
    rows[0]["percentage"], rows[1]["percentage"] = 60, 60
    assert set(_broken("terms_of_reference", data)) == {"payment_percentages_total_100"}
    report = {**complete_data("implementation_report"), "percent_complete": 101}
    assert _broken("implementation_report", report) == {
        "percent_complete_range": ("percent_complete",)
    }


def test_payments_above_the_budget_ceiling_are_named():
    data = complete_data("terms_of_reference", rows=2)
    data["budget_ceiling"] = 1_000
    assert _broken("terms_of_reference", data) == {
        "payments_within_ceiling": (
            "budget_ceiling",
            "payment_milestones[1].amount",
            "payment_milestones[2].amount",
        )
    }


def test_a_mailbox_outside_the_institutions_domains_is_refused_and_none_set_refuses_all():
    data = complete_data("email_account_request")
    del data["new_address"]  # a new account: only a rename names a new address
    data["requested_address"] = "amina.mollel@gmail.com"
    assert _broken("email_account_request", data) == {
        "address_in_institution_domain": ("requested_address",)
    }
    data["requested_address"] = "Amina.Mollel@AFYA.go.tz"
    assert _broken("email_account_request", data, domains=("moh.go.tz", "afya.go.tz")) == {}
    with translation.override("en"):
        [broken] = broken_rules(get_type("email_account_request"), data, mail_domains=())
    assert broken.code == "address_in_institution_domain"
    assert "no mail domain" in broken.detail
    # A subdomain is another domain: the administrator lists it if it is the institution's.
    data["requested_address"] = "amina@hq.afya.go.tz"
    assert _broken("email_account_request", data) != {}


def test_rules_skip_what_is_not_answered_yet():
    for key in all_types():
        broken = _broken(key, {})
        assert {code for code in broken if not code.endswith("_rows_required")} == set(), key
    partial = {"total_budget": 999, "budget_items": [{"item": "Seva"}]}  # a row without amount
    assert "total_budget_matches_items" not in _broken("concept_note", partial)


def test_messages_by_field_put_each_rule_beside_its_fields_and_tables():
    data = {**complete_data("concept_note"), "total_budget": 1}
    with translation.override("sw"):
        by_field = messages_by_field(broken_rules(get_type("concept_note"), data), "sw")
    assert set(by_field) == {"total_budget", "budget_items[1].amount", "budget_items"}
    assert by_field["total_budget"][0].startswith("Jumla ya bajeti lazima ilingane")


def _type(*rules, items=None) -> DocumentType:
    items = items or (
        Field("start", "date", T("Mwanzo", "Start")),
        Field("name", "text", T("Jina", "Name")),
        Table("rows", T("Mistari", "Rows"), columns=(Field("amount", "money", T("K", "A")),)),
    )
    return DocumentType(
        key="jaribio",
        code="JR",
        name=T("Jaribio", "Trial"),
        description=T("Jaribio", "Trial"),
        sections=(Section("s", T("S", "S"), items),),
        signatories=(PREPARED_BY,),
        rules=rules,
    )


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (DateOrder("a", earlier="start", later="finish", message=MESSAGE), "no field"),
        (DateOrder("a", earlier="start", later="name", message=MESSAGE), "is not date"),
        (SumEquals("a", total="start", lines="rows[*].amount", message=MESSAGE), "is not money"),
        (SumEquals("a", total=100, lines="name[*].amount", message=MESSAGE), "not a table"),
        (SumAtMost("a", ceiling="name", lines="rows[*].amount", message=MESSAGE), "is not"),
        (Range("a", field="rows[*].nothing", message=MESSAGE), "no field"),
        (MailDomain("a", field="name", message=MESSAGE), "is not email"),
        (DatesWithin("a", dates="rows[*].amount", start="start", message=MESSAGE), "not date"),
    ],
)
def test_a_rule_naming_a_field_the_type_lacks_is_a_broken_definition(rule, problem):
    with pytest.raises(ValueError, match=problem):
        _type(rule).check()


def test_two_rules_with_one_code_are_a_broken_definition():
    rule = Range("same", field="rows[*].amount", message=MESSAGE)
    with pytest.raises(ValueError, match="duplicate rule code"):
        _type(rule, rule).check()

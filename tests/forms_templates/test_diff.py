"""What changed between two versions: tables row by row, text word by word."""

from __future__ import annotations

from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_templates.diff import change_label, changed_fields, diff_versions, word_diff
from forms_templates.registry import all_types, get_type
from tests.strategies import TEXT_ALPHABET, form_data

CONCEPT = get_type("concept_note")


def _risk(name: str, likelihood: str = "low", mitigation: str = "Ufuatiliaji") -> dict:
    return {"risk": name, "likelihood": likelihood, "mitigation": mitigation}


def _diff(old_data: dict, new_data: dict, old_title: str = "Dhana", new_title: str = "Dhana"):
    return [
        change.as_dict()
        for change in diff_versions(
            CONCEPT, old_title=old_title, old_data=old_data, new_title=new_title, new_data=new_data
        )
    ]


def test_a_row_inserted_in_the_middle_is_one_added_row_not_every_later_row_changed():
    old = {"risks": [_risk("Umeme"), _risk("Mtandao"), _risk("Wizi")]}
    new = {"risks": [_risk("Umeme"), _risk("Mafuriko", "high"), _risk("Mtandao"), _risk("Wizi")]}
    assert _diff(old, new) == [
        {"field": "risks[2]", "kind": "added", "old": None, "new": _risk("Mafuriko", "high")}
    ]


def test_a_table_with_rows_added_removed_and_changed():
    old = {
        "risks": [
            _risk("Umeme"),
            _risk("Mtandao", mitigation="Laini mbili"),
            _risk("Wizi"),
            _risk("Moto"),
        ]
    }
    new = {
        "risks": [
            _risk("Mafuriko", "high"),  # added at the top
            _risk("Umeme"),
            # "Mtandao" row: one cell changed, one given; "Wizi" removed.
            {"risk": "Mtandao", "likelihood": "medium", "mitigation": "Laini mbili za mtandao"},
            _risk("Moto"),
            _risk("Virusi", "medium"),  # added at the end
        ]
    }
    changes = _diff(old, new)
    assert [(c["field"], c["kind"]) for c in changes] == [
        ("risks[1]", "added"),
        ("risks[3].likelihood", "changed"),
        ("risks[3].mitigation", "changed"),
        ("risks[3]", "removed"),
        ("risks[5]", "added"),
    ]
    likelihood, mitigation, removed = changes[1], changes[2], changes[3]
    assert (likelihood["old"], likelihood["new"]) == ("low", "medium")
    assert "words" not in likelihood  # a choice, not text
    assert mitigation["words"] == [["equal", "Laini mbili "], ["insert", "za mtandao"]]
    assert removed == {"field": "risks[3]", "kind": "removed", "old": _risk("Wizi"), "new": None}
    assert changed_fields(
        CONCEPT, old_title="Dhana", old_data=old, new_title="Dhana", new_data=new
    ) == ["risks"]


def test_a_replaced_run_of_unequal_length_pairs_the_rows_that_share_cells():
    old = {"risks": [_risk("Umeme"), _risk("Mtandao", "high"), _risk("Wizi")]}
    new = {"risks": [_risk("Umeme"), _risk("Mtandao", "medium"), _risk("Wizi", "high")]}
    # Equal counts: cell by cell.
    assert [(c["field"], c["old"], c["new"]) for c in _diff(old, new)] == [
        ("risks[2].likelihood", "high", "medium"),
        ("risks[3].likelihood", "low", "high"),
    ]
    new = {"risks": [_risk("Umeme"), {"risk": "Mtandao", "likelihood": "medium"}]}
    changes = _diff(old, new)
    assert [(c["field"], c["kind"]) for c in changes] == [
        ("risks[2].likelihood", "changed"),
        ("risks[2].mitigation", "removed"),
        ("risks[3]", "removed"),
    ]


def test_a_whole_table_given_or_cleared_is_row_by_row():
    rows = [_risk("Umeme"), _risk("Wizi")]
    assert [(c["field"], c["kind"]) for c in _diff({}, {"risks": rows})] == [
        ("risks[1]", "added"),
        ("risks[2]", "added"),
    ]
    assert [(c["field"], c["kind"]) for c in _diff({"risks": rows}, {"risks": []})] == [
        ("risks[1]", "removed"),
        ("risks[2]", "removed"),
    ]


def test_a_title_change_comes_first_with_its_words_marked():
    changes = _diff(
        {"scope": "Wigo"},
        {"scope": "Wigo", "total_budget": 1_500_000},
        old_title="Mfumo wa hospitali",
        new_title="Mfumo wa hospitali za mikoa",
    )
    assert changes == [
        {
            "field": "title",
            "kind": "changed",
            "old": "Mfumo wa hospitali",
            "new": "Mfumo wa hospitali za mikoa",
            "words": [["equal", "Mfumo wa hospitali "], ["insert", "za mikoa"]],
        },
        {"field": "total_budget", "kind": "added", "old": None, "new": 1_500_000},
    ]


def test_long_text_marks_the_words_removed_and_added():
    old = "Mfumo wa kumbukumbu za wagonjwa katika hospitali tano za mkoa."
    new = "Mfumo wa kumbukumbu za wagonjwa katika hospitali kumi za mkoa na wilaya."
    (change,) = _diff({"scope": old}, {"scope": new})
    assert (change["field"], change["kind"], change["old"], change["new"]) == (
        "scope",
        "changed",
        old,
        new,
    )
    assert change["words"] == [
        ["equal", "Mfumo wa kumbukumbu za wagonjwa katika hospitali "],
        ["delete", "tano "],
        ["insert", "kumi "],
        ["equal", "za mkoa "],
        ["insert", "na wilaya"],
        ["equal", "."],
    ]


def test_whitespace_alone_is_not_marked_and_blank_answers_count_as_unanswered():
    assert word_diff("mstari wa kwanza", "mstari wa\nkwanza") == [("equal", "mstari wa\nkwanza")]
    assert _diff({"scope": ""}, {}) == []
    assert _diff({"risks": []}, {}) == []
    assert _diff({"scope": "Wigo"}, {"scope": ""}) == [
        {"field": "scope", "kind": "removed", "old": "Wigo", "new": None}
    ]
    assert (
        _diff({"risks": [{"risk": "Umeme", "mitigation": ""}]}, {"risks": [{"risk": "Umeme"}]})
        == []
    )


HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(old=form_data(CONCEPT), new=form_data(CONCEPT))
def test_changed_fields_are_exactly_the_fields_the_diff_names(old, new):
    changes = diff_versions(CONCEPT, old_title="a", old_data=old, new_title="a", new_data=new)
    fields = changed_fields(CONCEPT, old_title="a", old_data=old, new_title="a", new_data=new)
    assert list(dict.fromkeys(change.key for change in changes)) == fields
    if old == new:
        assert fields == []


@HYPOTHESIS
@given(old=st.text(TEXT_ALPHABET, max_size=200), new=st.text(TEXT_ALPHABET, max_size=200))
def test_the_word_segments_spell_the_newer_text_and_the_older_words(old, new):
    segments = word_diff(old, new)
    assert "".join(text for op, text in segments if op != "delete") == new
    # Equal words carry the newer text's whitespace; the words themselves are the older's.
    older = "".join(text for op, text in segments if op != "insert")
    assert "".join(older.split()) == "".join(old.split())
    assert all(op in ("equal", "delete", "insert") and text for op, text in segments)


def _rebuild_rows(old_rows: list, changes: list, key: str) -> list:
    """The newer rows, from the older rows and the changes alone (rows counted from 1)."""
    mine = [c for c in changes if c.key == key]
    removed = {c.old_row for c in mine if c.kind == "removed" and c.column is None}
    added = {c.row: c.new for c in mine if c.kind == "added" and c.column is None}
    edited: dict[int, tuple[int, dict]] = {}
    for change in (c for c in mine if c.column is not None):
        old_row, cells = edited.setdefault(change.row, (change.old_row, {}))
        cells[change.column] = change.new
    length = len(old_rows) - len(removed) + len(added)
    rebuilt: list = [None] * length
    for row, value in added.items():
        rebuilt[row - 1] = value
    for row, (old_row, cells) in edited.items():
        rebuilt[row - 1] = {**old_rows[old_row - 1], **cells}
    used = removed | {old_row for old_row, _ in edited.values()}
    kept = iter(r for number, r in enumerate(old_rows, start=1) if number not in used)
    rebuilt = [row if row is not None else next(kept) for row in rebuilt]
    assert next(kept, None) is None
    return [{k: v for k, v in row.items() if v not in (None, "")} for row in rebuilt]


@st.composite
def _edited_rows(draw, rows_strategy):
    """Older rows and newer ones made from them: rows kept, dropped, inserted, cells changed."""
    old = draw(rows_strategy)
    new = []
    for row in old:
        action = draw(st.sampled_from(["keep", "keep", "drop", "edit", "insert_before"]))
        if action == "insert_before":
            new += draw(rows_strategy)[:1]
        if action == "edit":
            replacement = draw(rows_strategy)[:1]
            new.append({**row, **(replacement[0] if replacement else {})})
        elif action != "drop":
            new.append(row)
    new += draw(rows_strategy)[:2]
    return old, new


# Few values, so that rows repeat and runs of equal rows are common.
RISK_ROW = st.fixed_dictionaries(
    {},
    optional={
        "risk": st.sampled_from(["Umeme", "Wizi", "Moto"]),
        "likelihood": st.sampled_from(["low", "medium", "high"]),
        "mitigation": st.sampled_from(["", "Laini mbili", "Laini mbili za mtandao"]),
    },
)


@HYPOTHESIS
@given(rows=_edited_rows(st.lists(RISK_ROW, max_size=6)))
def test_the_newer_table_can_be_rebuilt_from_the_older_and_the_changes(rows):
    old_rows, new_rows = rows
    changes = diff_versions(
        CONCEPT,
        old_title="a",
        old_data={"risks": old_rows},
        new_title="a",
        new_data={"risks": new_rows},
    )
    assert _rebuild_rows(old_rows, changes, "risks") == [
        {k: v for k, v in row.items() if v not in (None, "")} for row in new_rows
    ]


def test_each_change_is_named_as_the_form_names_it_in_the_readers_language():
    old = {"scope": "Wigo", "risks": [_risk("Umeme"), _risk("Wizi")]}
    new = {"risks": [_risk("Umeme", "high"), _risk("Wizi"), _risk("Moto")]}
    changes = diff_versions(CONCEPT, old_title="a", old_data=old, new_title="b", new_data=new)
    assert [change_label(CONCEPT, c) for c in changes] == [
        "Kichwa",
        "Wigo wa mradi",
        "Vihatarishi, mstari 1, Uwezekano",
        "Vihatarishi, mstari 3",
    ]
    with translation.override("en"):
        assert [change_label(CONCEPT, c) for c in changes] == [
            "Title",
            "Scope",
            "Risks, row 1, Likelihood",
            "Risks, row 3",
        ]


def test_no_type_has_a_field_called_title_which_names_the_document_title_in_a_diff():
    assert all(item.key != "title" for d in all_types().values() for item in d.items())

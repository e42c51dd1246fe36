"""Swahili agreement (issue 15): each document type's name has a noun class, and the sentences
generated about a document agree with it — a ripoti and a dhana take i-, hadidu (za rejea) zi-,
an ombi li-."""

from __future__ import annotations

import pytest
from django.utils import translation

from forms_templates.registry import all_types
from forms_templates.swahili import CLASSES, UnknownNoun, agreement_for
from notifications.messages import compose
from notifications.models import Kind

# What a Swahili speaker expects for each type's name: its class and the phrases it takes.
EXPECTED = {
    "concept_note": ("9", "imesainiwa", "kuiwasilisha", "haikusubiri", "ya"),
    "implementation_report": ("9", "imesainiwa", "kuiwasilisha", "haikusubiri", "ya"),
    "completion_report": ("9", "imesainiwa", "kuiwasilisha", "haikusubiri", "ya"),
    "terms_of_reference": ("10", "zimesainiwa", "kuziwasilisha", "hazikusubiri", "za"),
    "email_account_request": ("5", "limesainiwa", "kuliwasilisha", "halikusubiri", "la"),
}


def test_every_type_has_a_known_noun_class():
    assert set(EXPECTED) == set(all_types())
    for key, definition in all_types().items():
        assert agreement_for(definition.name.sw).noun_class == EXPECTED[key][0], key


def test_the_table_holds_the_concords_of_each_class():
    assert [CLASSES[c].subject for c in ("5", "9", "10")] == ["li", "i", "zi"]
    assert [CLASSES[c].negative for c in ("5", "9", "10")] == ["hali", "hai", "hazi"]
    assert [CLASSES[c].of for c in ("5", "9", "10")] == ["la", "ya", "za"]
    assert [CLASSES[c].this for c in ("5", "9", "10")] == ["hili", "hii", "hizi"]


def test_an_unknown_head_noun_is_refused_not_guessed():
    with pytest.raises(UnknownNoun):
        agreement_for("Kitabu cha Mradi")


def payload(key: str) -> dict:
    return {"type": key, "title": "Mfumo", "actor": "Juma", "institution": {"sw": "Wizara"}}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_generated_sentences_agree_with_the_type(key, db):  # compose reads the agency
    _cls, signed, submit_it, waits_not, of = EXPECTED[key]
    with translation.override("sw"):
        fully_signed = compose(Kind.FULLY_SIGNED, payload(key), "x").paragraphs[0]
        withdrawn = compose(Kind.WITHDRAWN, payload(key), "x").paragraphs[0]
        turn = compose(Kind.SIGNATURE_REQUESTED, payload(key), "x").paragraphs[0]
    assert signed in fully_signed and submit_it in fully_signed, fully_signed
    assert waits_not in withdrawn, withdrawn
    assert f"“Mfumo” {of} Wizara" in turn, turn


def test_english_prints_no_swahili_concords(db):  # compose reads the agency
    with translation.override("en"):
        text = compose(Kind.FULLY_SIGNED, payload("terms_of_reference"), "x").paragraphs[0]
    assert text.endswith("“Mfumo” is signed. You can now submit it to the agency.")


def test_an_unknown_noun_agrees_with_hati_and_check_names_it():
    from django.core import checks

    from forms_templates.swahili import DOCUMENT, agreement_or_document
    from workflow.checks import document_type_names_have_a_swahili_noun_class

    assert agreement_or_document("Kitabu cha Mradi") is DOCUMENT
    assert document_type_names_have_a_swahili_noun_class() == []  # every shipped type is known
    assert all(
        isinstance(w, checks.Warning) for w in document_type_names_have_a_swahili_noun_class()
    )

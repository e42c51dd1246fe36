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


# Every generated sentence whose subject (or object) is the document, as a Swahili speaker
# writes it for each type's head noun: a ripoti/dhana (class 9) i-, hadidu za rejea (class 10)
# zi-, an ombi (class 5) li-. Each line is what the e-mail's headline or paragraph must contain.
SENTENCES = {
    "9": [
        (Kind.APPROVED, None, "Imeidhinishwa: Mfumo"),
        (Kind.REJECTED, None, "Imekataliwa: Mfumo"),
        (Kind.WITHDRAWN, None, "Imeondolewa: Mfumo"),
        (Kind.SUBMITTED, None, "Imeingia kwenye foleni ya mapitio: Mfumo"),
        (Kind.RESUBMITTED, None, "Imewasilishwa tena baada ya marekebisho: Mfumo"),
        (Kind.FULLY_SIGNED, None, "“Mfumo” imesainiwa. Sasa unaweza kuiwasilisha kwa Mamlaka."),
        (Kind.REMINDER, "signature", "Kikumbusho: Mfumo inasubiri sahihi yako"),
        (Kind.REMINDER, "signature", "Imesubiri sahihi yako kwa siku 3."),
        (Kind.REMINDER, "queue", "Hakuna aliyeichukua kwa siku 3."),
        (Kind.REMINDER, "review", "Uliichukua siku 3 zilizopita na inasubiri uamuzi wako."),
        (Kind.ESCALATION, "signature", "Imechelewa: Mfumo inasubiri sahihi ya Asha"),
        (Kind.ESCALATION, "signature", "Asha hajaisaini kwa siku 3."),
        (Kind.ESCALATION, "queue", "Imechelewa: Mfumo haijachukuliwa kwenye foleni ya mapitio"),
        (Kind.ESCALATION, "queue", "Hakuna aliyeichukua kwa siku 3. Tafadhali ichukue."),
        (Kind.ESCALATION, "review", "Asha aliichukua siku 3 zilizopita na bado hajatoa uamuzi."),
    ],
    "10": [
        (Kind.APPROVED, None, "Zimeidhinishwa: Mfumo"),
        (Kind.REJECTED, None, "Zimekataliwa: Mfumo"),
        (Kind.WITHDRAWN, None, "Zimeondolewa: Mfumo"),
        (Kind.SUBMITTED, None, "Zimeingia kwenye foleni ya mapitio: Mfumo"),
        (Kind.RESUBMITTED, None, "Zimewasilishwa tena baada ya marekebisho: Mfumo"),
        (Kind.FULLY_SIGNED, None, "“Mfumo” zimesainiwa. Sasa unaweza kuziwasilisha kwa Mamlaka."),
        (Kind.REMINDER, "signature", "Kikumbusho: Mfumo zinasubiri sahihi yako"),
        (Kind.REMINDER, "signature", "Zimesubiri sahihi yako kwa siku 3."),
        (Kind.REMINDER, "queue", "Hakuna aliyezichukua kwa siku 3."),
        (Kind.REMINDER, "review", "Ulizichukua siku 3 zilizopita na zinasubiri uamuzi wako."),
        (Kind.ESCALATION, "signature", "Zimechelewa: Mfumo zinasubiri sahihi ya Asha"),
        (Kind.ESCALATION, "signature", "Asha hajazisaini kwa siku 3."),
        (Kind.ESCALATION, "queue", "Zimechelewa: Mfumo hazijachukuliwa kwenye foleni ya mapitio"),
        (Kind.ESCALATION, "queue", "Hakuna aliyezichukua kwa siku 3. Tafadhali zichukue."),
        (Kind.ESCALATION, "review", "Asha alizichukua siku 3 zilizopita na bado hajatoa uamuzi."),
    ],
    "5": [
        (Kind.APPROVED, None, "Limeidhinishwa: Mfumo"),
        (Kind.REJECTED, None, "Limekataliwa: Mfumo"),
        (Kind.WITHDRAWN, None, "Limeondolewa: Mfumo"),
        (Kind.SUBMITTED, None, "Limeingia kwenye foleni ya mapitio: Mfumo"),
        (Kind.RESUBMITTED, None, "Limewasilishwa tena baada ya marekebisho: Mfumo"),
        (Kind.FULLY_SIGNED, None, "“Mfumo” limesainiwa. Sasa unaweza kuliwasilisha kwa Mamlaka."),
        (Kind.REMINDER, "signature", "Kikumbusho: Mfumo linasubiri sahihi yako"),
        (Kind.REMINDER, "signature", "Limesubiri sahihi yako kwa siku 3."),
        (Kind.REMINDER, "queue", "Hakuna aliyelichukua kwa siku 3."),
        (Kind.REMINDER, "review", "Ulilichukua siku 3 zilizopita na linasubiri uamuzi wako."),
        (Kind.ESCALATION, "signature", "Limechelewa: Mfumo linasubiri sahihi ya Asha"),
        (Kind.ESCALATION, "signature", "Asha hajalisaini kwa siku 3."),
        (Kind.ESCALATION, "queue", "Limechelewa: Mfumo halijachukuliwa kwenye foleni ya mapitio"),
        (Kind.ESCALATION, "queue", "Hakuna aliyelichukua kwa siku 3. Tafadhali lichukue."),
        (Kind.ESCALATION, "review", "Asha alilichukua siku 3 zilizopita na bado hajatoa uamuzi."),
    ],
}

# The agency's names, as the issue spells them, and the class a speaker gives each head noun.
NAMES = {
    "concept_note": "9",
    "implementation_report": ("Ripoti ya Utekelezaji wa Mfumo/Mradi", "9"),
    "completion_report": ("Ripoti ya Kukamilisha Mfumo/Mradi", "9"),
    "terms_of_reference": ("Hadidu za Rejea za Mfumo/Mradi", "10"),
    "email_account_request": "5",
}


def test_the_renamed_types_carry_the_agencys_names():
    for key, expected in NAMES.items():
        if isinstance(expected, tuple):
            assert all_types()[key].name.sw == expected[0], key
    assert all_types()["email_account_request"].name.sw.startswith("Ombi ")


def _text(kind: str, key: str, step: str | None) -> str:
    data = {**payload(key), "days": 3, "person": "Asha", "version": 2}
    if step:
        data["step"] = step
    message = compose(kind, data, "x")
    return " / ".join([message.headline, *message.paragraphs])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_sentence_about_the_document_agrees_with_its_type(key, db):
    noun_class = EXPECTED[key][0]
    assert NAMES[key] in (noun_class, (all_types()[key].name.sw, noun_class))
    with translation.override("sw"):
        for kind, step, sentence in SENTENCES[noun_class]:
            text = _text(kind, key, step)
            assert sentence in text, (kind, step, text)


def test_english_sentences_carry_no_concords(db):
    with translation.override("en"):
        assert _text(Kind.APPROVED, "email_account_request", None).startswith("Approved: Mfumo / ")
        assert _text(Kind.ESCALATION, "email_account_request", "queue") == (
            "Overdue: Mfumo is unclaimed in the review queue / "
            "Nobody has claimed it for 3 days. Please claim it."
        )


@pytest.mark.parametrize(
    ("key", "refusal"),
    [
        (
            "terms_of_reference",
            "Hadidu za Rejea za Mfumo/Mradi zinahitaji kwanza Dhana ya Uanzishaji wa Mfumo/Mradi "
            "iliyoidhinishwa katika mradi huu.",
        ),
        (
            "completion_report",
            "Ripoti ya Kukamilisha Mfumo/Mradi inahitaji kwanza Ripoti ya Utekelezaji wa "
            "Mfumo/Mradi iliyoidhinishwa katika mradi huu.",
        ),
    ],
)
def test_refusals_naming_two_types_agree_with_each(world, key, refusal):
    from tests.helpers import create_project

    project = create_project(world)
    body = {"type": key, "title": "Hati", "project": str(project.pk)}
    client = world.client(world.officer)
    refused = client.post("/api/v1/documents/", body, format="json", HTTP_ACCEPT_LANGUAGE="sw")
    assert (refused.status_code, refused.json()["detail"]) == (409, refusal)
    no_project = {"type": key, "title": "Hati", "project": None}
    missing = client.post(
        "/api/v1/documents/", no_project, format="json", HTTP_ACCEPT_LANGUAGE="sw"
    ).json()
    of = "za" if key == "terms_of_reference" else "ya"
    subj = "zi" if key == "terms_of_reference" else "i"
    assert missing["project"] == [f"{all_types()[key].name.sw} lazima {subj}we {of} mradi."]

"""Swahili agreement: the prefixes a sentence needs for the noun it speaks of.

Swahili verbs, possessives and demonstratives agree with the noun class of their subject or
object. A sentence generated about a document must therefore know the class of the document
type's name: *ripoti imesainiwa* and *dhana imesainiwa* (class 9, i-), but *hadidu za rejea
zimesainiwa* (class 10, zi-) and *ombi limesainiwa* (class 5, li-). The class is read from the
head noun of the type's Swahili name (its first word), so a new type needs no code here unless
its head noun is new: then sentences fall back to the agreement of *hati* (document, class 9,
the commonest for document names) and ``manage.py check`` warns until the noun is added.

Table written from standard Swahili grammar (Ashton, *Swahili Grammar*; TUKI's *Sarufi Maumbo
ya Kiswahili Sanifu*) for the classes Idhini's document names use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    """The concords of one noun class."""

    noun_class: str
    subject: str  # subject prefix: i-mesainiwa, zi-mesainiwa, li-mesainiwa
    object: str  # object infix: ku-i-wasilisha, ku-zi-wasilisha, ku-li-wasilisha
    negative: str  # negative subject prefix: hai-kusubiri, hazi-kusubiri, hali-kusubiri
    of: str  # the "of" connective: ripoti ya, hadidu za, ombi la
    this: str  # demonstrative: ripoti hii, hadidu hizi, ombi hili
    relative: str  # relative infix: ripoti ili-yo-idhinishwa, hadidu zili-zo-, ombi lili-lo-

    def values(self) -> dict[str, str]:
        """Placeholders for a translated sentence: ``%(sw_subj)smesainiwa`` and so on."""
        return {
            "sw_subj": self.subject,
            "sw_Subj": self.subject.capitalize(),
            "sw_obj": self.object,
            "sw_Obj": self.object.capitalize(),
            "sw_neg": self.negative,
            "sw_of": self.of,
            "sw_this": self.this,
            "sw_rel": self.relative,
        }


CLASSES: dict[str, Agreement] = {
    "3": Agreement("3", "u", "u", "hau", "wa", "huu", "o"),  # m-/mi- singular: mpango, mkataba
    "5": Agreement("5", "li", "li", "hali", "la", "hili", "lo"),  # ji-/ma- singular: ombi
    "9": Agreement("9", "i", "i", "hai", "ya", "hii", "yo"),  # n- singular: dhana, ripoti, hati
    "10": Agreement("10", "zi", "zi", "hazi", "za", "hizi", "zo"),  # n- plural: hadidu (za rejea)
}

# Head nouns of the document types' Swahili names, by noun class.
HEAD_NOUNS: dict[str, str] = {
    "mpango": "3",
    "mkataba": "3",
    "mradi": "3",
    "ombi": "5",
    "pendekezo": "5",
    "dhana": "9",
    "ripoti": "9",
    "hati": "9",
    "barua": "9",
    "taarifa": "9",
    "tathmini": "9",
    "orodha": "9",
    "hadidu": "10",
}


class UnknownNoun(LookupError):
    pass


def agreement_for(name_sw: str) -> Agreement:
    """The agreement of a document type's Swahili name, by its head noun."""
    words = name_sw.split()
    head = words[0].lower() if words else ""
    try:
        return CLASSES[HEAD_NOUNS[head]]
    except KeyError:
        raise UnknownNoun(
            f"No noun class for “{head}” (from “{name_sw}”): add it to HEAD_NOUNS."
        ) from None


# The agreement of the word "hati" (document), for sentences that name no type.
DOCUMENT = CLASSES["9"]


def agreement_or_document(name_sw: str) -> Agreement:
    """As :func:`agreement_for`, but a sentence is never refused for an unknown noun: it agrees
    with *hati* instead (``manage.py check`` names the noun to add)."""
    try:
        return agreement_for(name_sw)
    except UnknownNoun:
        return DOCUMENT


def concords(type_key: str, lang: str, prefix: str = "sw") -> dict[str, str]:
    """The ``%(sw_…)s`` placeholders of a sentence about a document of ``type_key`` in ``lang``.

    A sentence's English msgid ends in the placeholders its Swahili msgstr uses (gettext allows
    a translation only the arguments its msgid names); in any language but Swahili they are
    empty and print nothing. A second noun in the same sentence takes another ``prefix``:
    ``concords(required, lang, "sw_req")`` gives ``%(sw_req_subj)s`` and so on."""
    from forms_templates.registry import get_type

    definition = get_type(type_key)
    agreement = agreement_or_document(definition.name.sw) if definition else DOCUMENT
    values = {prefix + key[2:]: value for key, value in agreement.values().items()}
    return values if lang == "sw" else dict.fromkeys(values, "")

"""Each action is declared once (workflow.actions): its words in both languages, the phrase the
refusals use, what the page says next, the kinds of notification it sends and its service. The
refusals, the pages and the audience read that declaration; nothing else spells it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from approvals import actions as performing
from notifications.models import Kind
from workflow.actions import ACTIONS, SERVICES

BASE = Path(__file__).resolve().parent.parent.parent


def words_of(action) -> dict[str, object]:
    after = action.after
    words = {
        "label": action.label,
        "done": action.done,
        "history": action.history,
        "refusal": action.refusal,
        "after": after.text,
    }
    if after.when_signed is not None:
        words["when_signed"] = after.when_signed
    for index, text in enumerate(after.next_signer or ()):
        if text:
            words[f"next_signer[{index}]"] = text
    return words


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_word_of_an_action_is_in_swahili_and_english(name):
    for key, text in words_of(ACTIONS[name]).items():
        with translation.override("en"):
            english = str(text)
        with translation.override("sw"):
            swahili = str(text)
        assert english and swahili, (name, key)
        assert swahili != english, f"{name}.{key} has no Swahili: {english!r}"


def test_every_action_has_one_service_from_approvals_transitions():
    assert set(SERVICES) == set(ACTIONS)
    for name, service in SERVICES.items():
        assert service.__module__.startswith("approvals.transitions."), name
        assert ACTIONS[name].service is service
    assert performing.ACTIONS is ACTIONS


def test_every_kind_an_action_sends_is_a_notification_kind():
    sent = {kind for action in ACTIONS.values() for kind in action.notifies.values()}
    assert sent <= set(Kind.values)
    # claim and release tell nobody; every other action tells someone.
    assert {name for name, action in ACTIONS.items() if not action.notifies} == {
        "claim",
        "release",
    }


def attribute_names(path: Path, owner: str) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == owner
    }


def test_the_audience_names_no_kind_itself():
    # Which kind an action sends is said once, in its declaration: the audience only picks whom.
    path = BASE / "notifications/audience.py"
    assert attribute_names(path, "Kind") == set()
    source = path.read_text()
    for action in ACTIONS.values():
        for kind in action.notifies.values():
            assert f'"{kind}"' not in source, kind


@pytest.mark.parametrize("path", ["workflow/refusals.py", "portal/next_steps.py"])
def test_the_words_are_read_from_the_declaration(path):
    # The refusal phrases and the "what happens next" texts are not written a second time.
    source = (BASE / path).read_text()
    for action in ACTIONS.values():
        for key, text in words_of(action).items():
            if key in ("refusal", "after", "when_signed") or key.startswith("next_signer"):
                with translation.override(None):
                    msgid = str(text)
                assert f'"{msgid}"' not in source, (action.name, key)

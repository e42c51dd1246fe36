"""``allowed_actions`` reads the transitions leaving a status from a table made once: it answers
what the machine's own ``get_available_transitions`` answers, in lifecycle order, for a document
in every status and every person who might ask."""

from __future__ import annotations

import pytest

from tests.helpers import drive, new_document
from workflow.lifecycle import ACTIONS, DocumentLifecycle, allowed_actions
from workflow.models import Status

pytestmark = pytest.mark.django_db


def _machine(document, user) -> list[str]:
    flow = DocumentLifecycle(document)
    available = DocumentLifecycle.status.get_available_transitions(flow, document.status, user)
    slugs = {transition.slug for transition in available}
    return [action for action, method in ACTIONS.items() if method in slugs]


def test_it_allows_what_the_machine_allows_in_every_status(world):
    people = [
        world.officer,
        world.ict_head,
        world.accounting_officer,
        world.officer_moe,
        world.reviewer,
        world.reviewer2,
    ]
    allowed_somewhere = set()
    for status in Status.values:
        document = drive(world, new_document(world), status)
        for person in people:
            actions = allowed_actions(document, person)
            assert actions == _machine(document, person), (status, person.username)
            allowed_somewhere.update(actions)
    # Not an empty answer everywhere: every action is someone's in some status.
    assert allowed_somewhere == set(ACTIONS)

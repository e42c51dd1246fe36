"""The government of tests/similar: a patient-registration concept note of MOH, its reworded
near-duplicate approved at TAMISEMI, and thirty other systems at five institutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.similar.support import NEAR_DUPLICATE, PATIENTS, concept_note, decoys, staff


@dataclass
class Government:
    document: Any  # MOH's concept note, submitted
    duplicate: Any  # TAMISEMI's, approved
    decoys: list[Any]
    tamisemi: dict[str, Any]


@pytest.fixture
def government(world) -> Government:
    tamisemi = staff("TAMISEMI")
    duplicate = concept_note(world, tamisemi["officer"], NEAR_DUPLICATE, "approved")
    authors = [staff(code)["officer"] for code in ("NIDA", "TRA", "MOF", "MOL")]
    projects = decoys([*authors, world.officer_moe])
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    return Government(document=document, duplicate=duplicate, decoys=projects, tamisemi=tamisemi)


@pytest.fixture(autouse=True)
def _fresh_statistics():
    # The common terms are kept per process for minutes: each test counts its own.
    from similar.backends import forget_common_terms

    forget_common_terms()
    yield
    forget_common_terms()

"""The figures page and its CSV: the hand-made data set's numbers, for the agency and for one
institution (its own documents only); charts drawn on the server as labelled SVG."""

from __future__ import annotations

import csv
import io

import pytest

from tests.approvals.test_dashboard_figures import data, now  # noqa: F401 - fixtures
from tests.portal.web_helpers import browser

pytestmark = pytest.mark.django_db


def test_the_agency_sees_every_institution_with_its_medians(world, data):  # noqa: F811
    response = browser(world.reviewer).get("/figures/")
    assert response.status_code == 200
    page = response.content.decode()
    table = page.split('id="by-institution"', 1)[1].split("</table>", 1)[0]
    moh = table.split("MOH — Wizara ya Afya", 1)[1].split("</tr>", 1)[0]
    cells = [c.split("<", 1)[0] for c in moh.split('class="num">')[1:]]
    assert cells == ["4", "3.0", "15.2", "75%", "25%", "1.50"]
    moe = table.split("MOE — Wizara ya Elimu", 1)[1].split("</tr>", 1)[0]
    assert [c.split("<", 1)[0] for c in moe.split('class="num">')[1:]] == [
        "2", "6.5", "9.3", "100%", "50%", "1.50",
    ]  # fmt: skip
    assert page.count('role="img"') == 3 and "<title id=" in page
    assert "<script" not in page.split("</head>", 1)[1]  # no script in the body


def test_an_institution_sees_its_own_figures(world, data):  # noqa: F811
    page = browser(world.officer_moe).get("/figures/").content.decode()
    table = page.split('id="by-institution"', 1)[1].split("</table>", 1)[0]
    assert "MOE" in table and "MOH" not in table


def test_the_csv_has_the_same_numbers(world, data):  # noqa: F811
    response = browser(world.reviewer).get("/figures/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    found = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    by_type = [key for key in found if key[2] == "wastani wa kati wa siku hadi uamuzi"]
    assert by_type, rows[:5]
    assert (
        found[("Kwa taasisi", "MOH — Wizara ya Afya", "wastani wa kati wa siku hadi uamuzi")]
        == "3.0"
    )
    assert (
        found[("Kwa taasisi", "MOE — Wizara ya Elimu", "asilimia 90 ya siku hadi uamuzi")] == "9.3"
    )
    assert found[("Kwa ujumla", "Zote", "wastani wa kati wa siku hadi uamuzi")] == "3.5"
    assert found[("Zinazosubiri kwa Mamlaka", "Zote", "hati")] == "4"
    assert found[("Imechelewa", "Zote", "hati")] == "3"

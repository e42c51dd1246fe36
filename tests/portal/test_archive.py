"""The archive: every document a person may see, decided ones included; filters and order;
the filtered list as CSV and Excel, streamed in constant memory; a document's audit trail as
CSV and JSON that a published script re-checks."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Decision, Review
from tests.helpers import drive, new_document
from tests.portal.test_queue import queued
from tests.portal.web_helpers import browser
from workflow.models import Document, Status

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_audit_export.py"


def text(response) -> str:
    return response.content.decode()


def listed(page: str) -> list[str]:
    body = page.split('<table class="list archive">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/documents/[^"]+/">([^<]+)</a>', body)


def archive(user, query: str = "") -> str:
    response = browser(user).get("/archive/" + query)
    assert response.status_code == 200, text(response)[:400]
    return text(response)


def decided(world, title, *, status=Status.APPROVED, by=None, days=10, **extra) -> Document:
    document = queued(world, title, status=status, days=days, **extra)
    decision = {Status.APPROVED: Decision.APPROVED, Status.REJECTED: Decision.REJECTED}[status]
    Review.objects.create(
        document=document, version=1, reviewer=by or world.reviewer, decision=decision
    )
    return document


@pytest.fixture
def shelf(world):
    """Documents of two institutions in several states, decided ones among them."""
    return {
        "mailbox": decided(world, "Sanduku la barua pepe la mkurugenzi", days=30),
        "rejected": decided(
            world, "Mfumo wa mishahara", status=Status.REJECTED, by=world.reviewer2, days=20
        ),
        "waiting": queued(world, "Mfumo wa maabara", type_key="concept_note", days=2),
        "moe": decided(world, "Mfumo wa shule", institution=world.moe, days=5),
        "draft": Document.objects.create(
            type="email_account_request",
            title="Rasimu ya ombi",
            institution=world.moh,
            author=world.officer,
            content_hash="sha256:0",
        ),
    }


def test_each_person_sees_what_they_may_decided_ones_included(world, shelf):
    assert sorted(listed(archive(world.reviewer))) == sorted(
        ["Sanduku la barua pepe la mkurugenzi", "Mfumo wa mishahara", "Mfumo wa maabara",
         "Mfumo wa shule"]
    )  # fmt: skip
    officer = listed(archive(world.officer))
    assert "Rasimu ya ombi" in officer and "Mfumo wa shule" not in officer
    assert listed(archive(world.officer_moe)) == ["Mfumo wa shule"]
    assert browser().get("/archive/").status_code == 302  # sign in first


def test_a_decided_mailbox_request_is_found_by_text(world, shelf):
    assert listed(archive(world.reviewer, "?q=sanduku")) == ["Sanduku la barua pepe la mkurugenzi"]
    assert listed(archive(world.officer, "?q=mkurugenzi")) == [
        "Sanduku la barua pepe la mkurugenzi"
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=rejected", ["Mfumo wa mishahara"]),
        ("?type=concept_note", ["Mfumo wa maabara"]),
        ("?institution=MOE", ["Mfumo wa shule"]),
        ("?reviewer=reviewer2", ["Mfumo wa mishahara"]),
        ("?status=approved&institution=MOH", ["Sanduku la barua pepe la mkurugenzi"]),
        ("?sort=title&institution=MOH&q=mfumo", ["Mfumo wa maabara", "Mfumo wa mishahara"]),
        ("?sort=oldest&q=mfumo", ["Mfumo wa mishahara", "Mfumo wa shule", "Mfumo wa maabara"]),
    ],
)
def test_filters_and_order(world, shelf, query, expected):
    assert listed(archive(world.reviewer, query)) == expected


def test_a_date_range_and_a_project(world, shelf):
    today = timezone.localdate()
    since = (today - timedelta(days=21)).isoformat()
    until = (today - timedelta(days=4)).isoformat()
    assert sorted(listed(archive(world.reviewer, f"?from={since}&to={until}"))) == [
        "Mfumo wa mishahara",
        "Mfumo wa shule",
    ]
    project = shelf["waiting"].project
    assert listed(archive(world.officer, f"?project={project.pk}")) == ["Mfumo wa maabara"]


def test_a_bad_filter_says_what_is_wrong_and_shows_nothing(world, shelf):
    response = browser(world.reviewer).get("/archive/?from=31-12-2026")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in text(response)
    assert listed(text(response)) == []
    assert browser(world.reviewer).get("/archive/?project=x").status_code == 400
    assert browser(world.reviewer).get("/archive/?sort=x").status_code == 400
    assert browser(world.reviewer).get("/archive/export.csv?status=x").status_code == 400


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_csv_is_the_filtered_list(world, shelf):
    response = browser(world.reviewer).get("/archive/export.csv?q=mfumo&sort=title")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Kumbukumbu namba", "Kichwa", "Aina"]
    expected = ["Mfumo wa maabara", "Mfumo wa mishahara", "Mfumo wa shule"]
    assert [row[1] for row in rows[1:]] == expected
    rejected = next(row for row in rows if row[1] == "Mfumo wa mishahara")
    assert rejected[0] == shelf["rejected"].reference
    assert rejected[6] == "Imekataliwa" and rejected[11] == "reviewer2"
    assert rejected[13].endswith(f"/documents/{shelf['rejected'].pk}/")


def test_the_excel_file_is_the_filtered_list(world, shelf):
    response = browser(world.officer).get("/archive/export.xlsx?sort=reference")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response)
    assert rows[0][0] == "Kumbukumbu namba"
    references = [row[0] or "" for row in rows[1:]]
    visible = Document.objects.filter(institution=world.moh).order_by("reference")
    assert sorted(references, key=str) == sorted((d.reference or "" for d in visible), key=str)
    assert "Rasimu ya ombi" in [row[1] for row in rows]
    assert "Mfumo wa shule" not in [row[1] for row in rows]


def test_a_title_that_looks_like_a_formula_stays_text(world):
    queued(world, '=HYPERLINK("http://evil.example","x")')
    rows = read_csv(browser(world.reviewer).get("/archive/export.csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'
    response = browser(world.reviewer).get("/archive/export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def many(world, count: int) -> None:
    Document.objects.all().delete()
    now = timezone.now()
    Document.objects.bulk_create(
        [
            Document(
                id=uuid.uuid4(),
                reference=f"EGA/EM/2026/{index:06d}",
                type="email_account_request",
                title=f"Ombi la barua pepe namba {index} — Wizara ya Afya",
                institution=world.moh,
                author=world.officer,
                status=Status.APPROVED,
                content_hash="sha256:0",
                submitted_at=now,
                last_submitted_at=now,
                approved_at=now,
                status_changed_at=now,
            )
            for index in range(count)
        ],
        batch_size=2000,
    )


def peak_of_export(world, count: int, kind: str) -> tuple[int, int]:
    """(peak bytes allocated while exporting, bytes exported)."""
    many(world, count)
    client = browser(world.reviewer)
    tracemalloc.start()
    try:
        response = client.get(f"/archive/export.{kind}")
        size = sum(len(chunk) for chunk in response.streaming_content)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exports_stream_in_constant_memory(world, kind):
    """Ten times the rows, about the same memory: the rows come from the database in chunks
    (``.iterator(chunk_size=2000)``) and leave as they come (CSV), or go to a temporary file
    one at a time (XLSX, XlsxWriter's constant_memory)."""
    small_peak, small_size = peak_of_export(world, 5_000, kind)
    large_peak, large_size = peak_of_export(world, 20_000, kind)
    print(
        f"{kind}: 5,000 rows peak {small_peak / 1e6:.1f} MB ({small_size / 1e6:.1f} MB out); "
        f"20,000 rows peak {large_peak / 1e6:.1f} MB ({large_size / 1e6:.1f} MB out)"
    )
    assert large_size > 3.5 * small_size
    # A few chunks of rows at most (two at a chunk's edge), whatever the number of rows.
    assert large_peak < small_peak * 1.2 + 500_000


def test_a_page_of_the_archive_costs_the_same_for_3_and_30_documents(world):
    def cost(count: int) -> int:
        Review.objects.all().delete()
        Document.objects.all().delete()
        for index in range(count):
            decided(world, f"Ombi {index}", days=index % 7)
        client = browser(world.reviewer)
        client.get("/archive/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/archive/").status_code == 200
        return len(queries)

    assert cost(3) == cost(30)


# --- One document's audit trail ----------------------------------------------------------------


def verify(tmp_path, trail: dict) -> subprocess.CompletedProcess:
    path = tmp_path / "trail.json"
    path.write_text(json.dumps(trail, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_audit_trail_exports_as_json_that_the_script_verifies(world, tmp_path):
    document = drive(world, new_document(world), "changes_requested")
    response = browser(world.reviewer).get(f"/documents/{document.pk}/audit.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{document.reference.replace("/", "-")}-audit.json"'
    )
    trail = json.loads(response.content)
    assert trail["head"] == {"seq": document.audit_seq, "hash": document.audit_head}
    assert [e["action"] for e in trail["events"]][-2:] == ["claim", "request-changes"]
    result = verify(tmp_path, trail)
    assert result.returncode == 0, result.stdout
    assert "intact" in result.stdout

    edited = json.loads(json.dumps(trail))
    edited["events"][-1]["payload"]["comment"] = "Imebadilishwa"
    result = verify(tmp_path, edited)
    assert result.returncode == 1 and "was changed" in result.stdout

    shortened = json.loads(json.dumps(trail))
    shortened["events"].pop()
    result = verify(tmp_path, shortened)
    assert result.returncode == 1 and "last events are missing" in result.stdout

    gap = json.loads(json.dumps(trail))
    del gap["events"][1]
    result = verify(tmp_path, gap)
    assert result.returncode == 1 and "event 2 is missing" in result.stdout


def test_the_audit_trail_exports_as_csv_with_its_hashes(world):
    document = drive(world, new_document(world), "submitted")
    response = browser(world.officer).get(f"/documents/{document.pk}/audit.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["seq", "at", "action", "actor", "from", "to", "version", "payload",
                       "prev", "hash"]  # fmt: skip
    assert len(rows) - 1 == document.audit_seq
    assert rows[-1][-1] == document.audit_head and rows[-1][2] == "submit"
    assert rows[2][-2] == rows[1][-1]  # each event names the one before it


def test_only_those_who_may_see_the_document_get_its_trail(world):
    document = drive(world, new_document(world), "submitted")
    assert browser(world.officer_moe).get(f"/documents/{document.pk}/audit.json").status_code == 404
    assert browser(world.officer_moe).get(f"/documents/{document.pk}/audit.csv").status_code == 404
    draft = new_document(world)
    assert browser(world.reviewer).get(f"/documents/{draft.pk}/audit.json").status_code == 404

"""Page weight of the officer's and signatory's pages: what a browser transfers on a first load
(empty cache), compressed, and how many requests it makes.

For each page: the HTML as the server renders it for a person signed in (the Django test client
on a throw-away test database, with a concept note in each state), plus every file the page
loads (stylesheets, scripts, images: found in the HTML, read from the static files). Each
response is counted gzip-compressed (level 6, as the reverse proxy sends the HTML and WhiteNoise
its precompressed static files) plus its headers (the page's own, and 400 bytes for each
static file's). Budget: 100 KB and 6 requests per page. Not a test: it asserts nothing, it
prints, and marks what is over.

Run: ``python -m bench pages``.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from typing import Any

from bench import run_in_test_database

BUDGET_BYTES = 100 * 1024
BUDGET_REQUESTS = 6
STATIC_HEADER_BYTES = 400
_ASSET = re.compile(
    r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src|img[^>]*src)="(/static/[^"]+)"'
)


@dataclass
class Weight:
    name: str
    status: int
    html_raw: int
    html_gzip: int
    assets: list[tuple[str, int, int]]

    @property
    def requests(self) -> int:
        return 1 + len(self.assets)

    @property
    def transferred(self) -> int:
        return self.html_gzip + sum(
            compressed + STATIC_HEADER_BYTES for _, _, compressed in self.assets
        )


def _gzip(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6, mtime=0))


def _asset_bytes(url: str) -> bytes:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?", 1)[0])
    if path is None:
        raise FileNotFoundError(url)
    with open(path, "rb") as handle:
        return handle.read()


def weigh(client, name: str, url: str, **extra: Any) -> Weight:
    response = client.get(url, **extra)
    html = response.content
    headers = len(response.serialize_headers()) + len(b"HTTP/1.1 200 OK\r\n\r\n")
    assets = []
    for asset in dict.fromkeys(_ASSET.findall(html.decode())):
        content = _asset_bytes(asset)
        assets.append((asset, len(content), _gzip(content)))
    return Weight(name, response.status_code, len(html), _gzip(html) + headers, assets)


def _world():
    from types import SimpleNamespace

    from tests.helpers import make_user
    from workflow.models import Institution, Role

    moh = Institution.objects.create(
        code="MOH", name_sw="Wizara ya Afya", name_en="Health", mail_domains="afya.go.tz"
    )
    ega = Institution.objects.create(code="EGA", name_sw="Wakala", name_en="EGA", is_agency=True)
    users = {
        "officer": make_user("officer", moh, Role.OFFICER, first_name="Amina", last_name="Mollel"),
        "ict_head": make_user("ict_head", moh, Role.HEAD_OF_ICT, first_name="Juma"),
        "accounting_officer": make_user("accounting_officer", moh, Role.ACCOUNTING_OFFICER),
        "reviewer": make_user("reviewer", ega, Role.REVIEWER),
    }
    nobody = SimpleNamespace(pk=-1)  # tests.helpers.new_document asks who is the other officer
    return SimpleNamespace(**users, moh=moh, officer_moe=nobody, reviewer2=users["reviewer"])


def _documents(world) -> dict[str, Any]:
    """A concept note in each state the pages show, filled as a real one is (rows in tables)."""
    from approvals import services as approvals
    from forms_templates.docx import build_template
    from forms_templates.registry import get_type
    from portal.word import word_upload
    from tests.helpers import PASSWORD, complete_data, new_document
    from workflow.services import document_update

    draft = new_document(world, "concept_note", fill=False)
    document_update(
        document_id=draft.pk, by=world.officer, data={"project_owner": "Mfumo wa Maabara"}
    )
    upload = word_upload(
        document_id=draft.pk,
        by=world.officer,
        content=build_template(get_type("concept_note")),
        filename="dhana.docx",
    )
    waiting = new_document(world, "concept_note")
    document_update(
        document_id=waiting.pk, by=world.officer, data=complete_data("concept_note", rows=5)
    )
    approvals.document_request_signatures(document_id=waiting.pk, by=world.officer)
    approvals.document_sign(document_id=waiting.pk, by=world.officer, password=PASSWORD)
    declined = new_document(world, "concept_note")
    approvals.document_request_signatures(document_id=declined.pk, by=world.officer)
    approvals.document_sign(document_id=declined.pk, by=world.officer, password=PASSWORD)
    approvals.document_decline(
        document_id=declined.pk, by=world.ict_head, reason="Ongeza gharama za mafunzo."
    )
    signed = new_document(world, "email_account_request")
    approvals.document_request_signatures(document_id=signed.pk, by=world.officer)
    approvals.document_sign(document_id=signed.pk, by=world.officer, password=PASSWORD)
    broken = new_document(world, "concept_note")
    document_update(document_id=broken.pk, by=world.officer, data={"total_budget": 999})
    return {
        "resent": _resent(world).pk,
        "broken": broken.pk,
        "draft": draft.pk,
        "upload": upload.pk,
        "waiting": waiting.pk,
        "declined": declined.pk,
        "signed": signed.pk,
    }


def _resent(world):
    """A concept note (5 rows a table) returned by the agency, edited — a sentence reworded, a
    row changed, one removed, one added — and sent for signature again: version 2."""
    from approvals import services as approvals
    from tests.helpers import PASSWORD, complete_data, drive, new_document
    from workflow.services import document_update

    document = new_document(world, "concept_note")
    data = complete_data("concept_note", rows=5)
    document_update(document_id=document.pk, by=world.officer, data=data)
    drive(world, document, "changes_requested")
    risks = [dict(row) for row in data["risks"]]
    risks[1]["mitigation"] = "Laini mbili za mtandao kutoka kwa watoa huduma tofauti"
    del risks[3]
    risks.append({**risks[0], "risk": "Moto kwenye chumba cha seva"})
    statement = "Tatizo lililoelezwa upya: " + str(data["problem_statement"])
    document_update(
        document_id=document.pk,
        by=world.officer,
        data={"risks": risks, "problem_statement": statement},
    )
    approvals.document_request_signatures(document_id=document.pk, by=world.officer)
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    return document


def _pages(ids: dict[str, Any]) -> list[tuple[str, str, str]]:
    draft, waiting = ids["draft"], ids["waiting"]
    return [
        ("officer", "home", "/"),
        ("officer", "document types", "/document-types/"),
        ("officer", "new document", "/documents/new/"),
        ("officer", "task list", f"/documents/{draft}/edit/"),
        ("officer", "section", f"/documents/{draft}/edit/project_information/"),
        ("officer", "section with a table", f"/documents/{draft}/edit/budget/"),
        ("officer", "check your answers", f"/documents/{draft}/check/"),
        ("officer", "word upload", f"/documents/{draft}/word/"),
        ("officer", "word changes", f"/documents/{draft}/word/{ids['upload']}/"),
        ("officer", "document (draft)", f"/documents/{draft}/"),
        ("officer", "document (declined)", f"/documents/{ids['declined']}/"),
        ("officer", "whole form on one page", f"/documents/{draft}/edit/?all=1"),
        ("officer", "signed", f"/documents/{ids['signed']}/signed/"),
        ("ict_head", "signing (5 rows a table)", f"/documents/{waiting}/"),
        ("ict_head", "signing again (what changed)", f"/documents/{ids['resent']}/"),
        ("reviewer", "compare versions", f"/documents/{ids['resent']}/changes/?from=1&to=2"),
        ("officer", "section, broken rule", f"/documents/{ids['broken']}/edit/budget/"),
    ]


def _print(weights: list[Weight]) -> None:
    print(
        f"  {'page':<28} {'status':>6} {'HTML':>9} {'HTML gz':>9} {'requests':>8} "
        f"{'transferred':>12}"
    )
    for w in weights:
        over = []
        if w.transferred > BUDGET_BYTES:
            over.append("OVER 100 KB")
        if w.requests > BUDGET_REQUESTS:
            over.append("OVER 6 requests")
        print(
            f"  {w.name:<28} {w.status:>6} {w.html_raw / 1024:8.1f}K {w.html_gzip / 1024:8.1f}K "
            f"{w.requests:>8} {w.transferred / 1024:11.1f}K  {' '.join(over) or 'ok'}"
        )
    assets = {url: (raw, compressed) for w in weights for url, raw, compressed in w.assets}
    print("  files the pages load (raw → gzip):")
    for url, (raw, compressed) in sorted(assets.items()):
        print(f"    {url:<44} {raw / 1024:7.1f}K → {compressed / 1024:6.1f}K")


def _run() -> None:
    from django.test import Client, override_settings

    from tests.approvals.pdf_support import reset_broker_connections

    world = _world()
    ids = _documents(world)
    clients = {}
    for username in ("officer", "ict_head", "reviewer"):
        clients[username] = Client()
        clients[username].force_login(getattr(world, username))
    weights = [weigh(clients[user], name, url) for user, name, url in _pages(ids)]
    # A PDF being prepared: a broker, and no worker, so the API answers 202.
    with override_settings(CELERY_BROKER_URL="memory://", CELERY_TASK_ALWAYS_EAGER=False):
        reset_broker_connections()
        weights.append(
            weigh(
                clients["officer"], "pdf being prepared", f"/documents/{ids['draft']}/pdf/?lang=en"
            )
        )
    reset_broker_connections()
    _print(weights)


def main() -> None:
    run_in_test_database(_run, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")

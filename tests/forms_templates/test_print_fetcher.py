"""WeasyPrint reaches nothing: the print fetcher serves our own static files and refuses every
other file and every network address, for the HTML, its stylesheets and its attachments.

These tests feed WeasyPrint raw, unescaped markup (what a form value can never become) to show
that the fetcher holds even if escaping failed."""

from __future__ import annotations

import http.server
import io
import os
import socket
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms_templates.printing import PRINT_STATIC_ROOT, SafeURLFetcher, render_in_process
from forms_templates.printing.render import PRINT_BASE_URL, PdfAttachment, render_pdf

SECRET = "idhini-secret-" + "7f3a9c"


class _Trap(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self):
        self.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = b"body { background: red }" if self.path.endswith(".css") else b"\x89PNG"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        return


@pytest.fixture
def trap():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    hits: list[str] = []
    handler = type("Trap", (_Trap,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def hostile_html(base: str, secret: Path) -> str:
    return f"""<!doctype html><html><head>
<link rel="stylesheet" href="print.css">
<link rel="stylesheet" href="{base}/evil.css">
<link rel="attachment" href="file://{secret}">
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="{base}/attach.bin">
<style>
  @import url("{base}/import.css");
  @font-face {{ font-family: X; src: url("{base}/font.ttf"); }}
  body {{ background: url("{base}/bg.png"); }}
</style>
</head><body>
<p>Hello</p>
<img src="file:///etc/passwd">
<img src="file://{secret}">
<img src="{base}/a.png">
<img src="{base}/redirect">
<img src="https://127.0.0.1:1/x.png">
<img src="file://localhost/etc/hostname">
<img src="../../../../../../etc/passwd">
<img src="emblem.svg">
<a rel="attachment" href="file://{secret}">a</a>
<svg><image href="file://{secret}" width="10" height="10"/></svg>
<object data="file://{secret}"></object>
<iframe src="{base}/frame.html"></iframe>
</body></html>"""


def test_the_fetcher_serves_our_static_files_and_refuses_everything_else(tmp_path, secret_file):
    fetcher = SafeURLFetcher()
    outside = tmp_path / "link-out"
    outside.symlink_to(secret_file)

    assert fetcher.local_path((PRINT_STATIC_ROOT / "print.css").as_uri()) is not None
    response = fetcher.fetch(PRINT_BASE_URL + "emblem.svg")
    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")
    for url in (
        secret_file.as_uri(),
        "file:///etc/passwd",
        PRINT_BASE_URL + "../../../../../../etc/passwd",
        PRINT_BASE_URL + "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "file://localhost/etc/passwd",
        "file://example.org/etc/passwd",
        outside.as_uri(),
        PRINT_BASE_URL + "missing.css",
        PRINT_BASE_URL,  # a directory
        "http://127.0.0.1:1/x.css",
        "https://example.org/x.css",
        "data:text/plain,hello",
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 13


def test_a_symlink_inside_our_root_cannot_lead_outside(tmp_path, secret_file):
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok.css").write_text("p { color: red }")
    (root / "escape.css").symlink_to(secret_file)
    fetcher = SafeURLFetcher(root)

    assert fetcher.fetch((root / "ok.css").as_uri()).read() == b"p { color: red }"
    with pytest.raises(ValueError):
        fetcher.fetch((root / "escape.css").as_uri())


def test_weasyprint_fetches_nothing_from_the_file_system_or_the_network(trap, secret_file):
    base, hits = trap
    fetcher = SafeURLFetcher()
    attachment = PdfAttachment("data.json", b'{"ok": true}')

    pdf = render_in_process(hostile_html(base, secret_file), [attachment], None, fetcher)

    assert hits == []
    assert SECRET.encode() not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert list(reader.attachments) == ["data.json"]
    assert "Hello" in reader.pages[0].extract_text()
    assert any(url.endswith("emblem.svg") for url in fetcher.served)
    assert any(url.endswith("print.css") for url in fetcher.served)
    refused = " ".join(fetcher.refused)
    for asked in (
        "evil.css",
        "import.css",
        "font.ttf",
        "bg.png",
        "a.png",
        "redirect",
        "/etc/passwd",
    ):
        assert asked in refused, asked
    assert str(secret_file) in refused


def test_the_sandboxed_renderer_fetches_nothing_either(trap, secret_file):
    base, hits = trap

    pdf = render_pdf(hostile_html(base, secret_file))

    assert hits == []
    assert SECRET.encode() not in pdf
    assert PdfReader(io.BytesIO(pdf)).attachments == {}


def test_the_trap_does_answer_when_asked(trap):
    # The guard against a test that cannot fail: the trap sees a request that is really made.
    base, hits = trap
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        connection.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
        connection.recv(100)
    assert hits == ["/probe"]


def test_the_default_fetcher_would_have_embedded_the_file(secret_file):
    # Why this module exists: WeasyPrint's own fetcher reads any local file it is pointed at.
    from weasyprint import HTML

    html = f'<html><head><link rel="attachment" href="file://{secret_file}"></head><body>x</body></html>'

    pdf = HTML(string=html).write_pdf()

    assert list(PdfReader(io.BytesIO(pdf)).attachments) == [os.path.basename(secret_file)]

"""The only way WeasyPrint reads anything: files under our own print static root.

WeasyPrint's default fetcher reads any ``file://`` path (``<link rel=attachment
href=file:///etc/passwd>`` embeds the file in the PDF) and makes HTTP requests, loopback
included. Every ``HTML``, ``CSS`` and ``Attachment`` object gets its own default fetcher unless
it is given one, so the renderer passes this one to each of them.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Where the print stylesheet and the emblem live; the base URL of every print.
PRINT_STATIC_ROOT = Path(__file__).resolve().parent.parent / "static" / "forms_templates" / "print"
MAX_RESOURCE_BYTES = 2 * 1024 * 1024
PNG_DATA_PREFIX = "data:image/png;base64,"


class FetchRefused(ValueError):
    """A URL the print may not read. WeasyPrint logs it and goes on without the resource."""


class SafeURLFetcher(URLFetcher):
    """Serves regular files under ``root`` (symlinks resolved first) and PNG data URLs, and
    refuses everything else: other ``file://`` paths, ``http(s)://`` and every other scheme,
    so no redirect is ever followed either. ``refused`` records what was asked for and not given."""

    def __init__(self, root: Path = PRINT_STATIC_ROOT) -> None:
        super().__init__(
            timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False
        )
        self.root = Path(root).resolve()
        self.served: list[str] = []
        self.refused: list[str] = []

    def local_path(self, url: str) -> Path | None:
        """The file under our root that ``url`` names, or None."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path)))
            if not path.is_absolute():
                return None
            resolved = path.resolve(strict=True)
        except (OSError, ValueError, RuntimeError):
            return None
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            return None
        return resolved

    def fetch(self, url, headers=None):
        if isinstance(url, str) and url.startswith(PNG_DATA_PREFIX):
            return self._png_data(url)
        path = self.local_path(url) if isinstance(url, str) else None
        if path is None:
            self.refused.append(str(url)[:300])
            raise FetchRefused(f"the print reads only its own files, not {str(url)[:200]!r}")
        with path.open("rb") as handle:
            body = handle.read(MAX_RESOURCE_BYTES + 1)
        if len(body) > MAX_RESOURCE_BYTES:
            self.refused.append(url)
            raise FetchRefused(f"{path.name} is too large to print")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": content_type})

    def _png_data(self, url: str) -> URLFetcherResponse:
        """The agency's emblem, which the print embeds as a PNG data URL (our own re-encoded
        image: form data never becomes a URL in the print)."""
        encoded = url[len(PNG_DATA_PREFIX) :]
        if len(encoded) > MAX_RESOURCE_BYTES * 4 // 3 + 4:
            self.refused.append(url[:60])
            raise FetchRefused("the emblem is too large to print")
        try:
            body = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self.refused.append(url[:60])
            raise FetchRefused("the emblem is not valid base64") from None
        self.served.append(PNG_DATA_PREFIX)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})

    def open(self, url, data=None, timeout=None):  # urllib's entry point: same rules
        return self.fetch(url.full_url if hasattr(url, "full_url") else url)

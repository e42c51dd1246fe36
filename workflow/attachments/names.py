"""An annex's display name: what the person called the file, made harmless.

The name is shown and offered as the download's file name; it never names the stored file
(that is random). No folders (``../../etc/passwd`` is ``passwd``), no control or invisible
formatting characters (a right-to-left override can make ``fdp.exe`` read ``exe.pdf``), none of
the characters Windows forbids in file names, at most :data:`NAME_MAX` characters, and an
extension that fits what the file really is (a PDF sent as ``barua.docx`` is ``barua.docx.pdf``).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from forms_templates.docx import ascii_filename
from workflow.attachments.types import FileType
from workflow.models import Attachment

NAME_MAX = Attachment.NAME_MAX
_WINDOWS_FORBIDDEN = str.maketrans(dict.fromkeys('<>:"/\\|?*', "_"))
FALLBACK_STEM = "kiambatisho"  # "annex"


def _visible(text: str) -> str:
    # Unicode categories C*: controls, format characters (bidirectional overrides, zero-width
    # joiners), surrogates, private use, unassigned.
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))


def display_name(raw: str | None, file_type: FileType) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _visible(" ".join(name.split())).translate(_WINDOWS_FORBIDDEN)
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if extension.lower() not in file_type.extensions:
        stem, extension = name, file_type.extensions[0]
    stem = stem.strip(" .") or FALLBACK_STEM
    room = NAME_MAX - len(extension) - 1
    return f"{stem[:room].rstrip(' .') or FALLBACK_STEM}.{extension}"


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the exact name as RFC 5987 ``filename*``."""
    fallback = ascii_filename(name) or FALLBACK_STEM
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"

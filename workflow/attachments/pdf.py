"""A file that starts as a PDF: opened by pypdf (in a limited child, see ``inspect``).

Refused: a file pypdf cannot read or that has no pages, an encrypted one (nobody at the agency
could read it), one of more than :data:`MAX_PAGES` pages, and one with active content — JavaScript
or an action that launches a program or imports data — anywhere reachable from its catalogue.
Streams are not decoded (pypdf caps what it inflates to resolve objects), and the walk stops
after :data:`MAX_OBJECTS` objects.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from workflow.attachments.types import FileRefused

MAX_PAGES = 2000
MAX_OBJECTS = 500_000
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}
_ACTIVE_KEYS = ("/JS", "/JavaScript")


def _damaged() -> FileRefused:
    return FileRefused(
        _("The PDF is damaged: it could not be read. Save it again as PDF and upload the copy."),
        code="damaged",
    )


def _active() -> FileRefused:
    return FileRefused(
        _(
            "The PDF contains active content (JavaScript or an action that starts a program). "
            "Print it to a new PDF, or save it without scripts, and upload it again."
        ),
        code="active_content",
    )


def _walk_for_active_content(root) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise FileRefused(
                    _("The PDF holds too many objects to be checked."), code="too_complex"
                )
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            action = dict.get(item, "/S")
            if isinstance(action, IndirectObject):
                action = action.get_object()
            if action in _ACTIVE_ACTIONS or any(key in item for key in _ACTIVE_KEYS):
                raise _active()
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def check_pdf(content: bytes) -> dict[str, int]:
    """``{"pages": n}`` of a PDF safe to keep; :class:`FileRefused` otherwise."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise FileRefused(
                _(
                    "The PDF is encrypted (protected by a password or by restrictions). Save "
                    "a copy without protection and upload it."
                ),
                code="encrypted",
            )
        pages = len(reader.pages)
        if pages == 0:
            raise _damaged()
        if pages > MAX_PAGES:
            raise FileRefused(
                _("The PDF has %(pages)d pages; at most %(limit)d are accepted.")
                % {"pages": pages, "limit": MAX_PAGES},
                code="too_many_pages",
            )
        _walk_for_active_content(reader.trailer.raw_get("/Root"))
    except FileRefused:
        raise
    # pypdf reads a hostile file: any of its failures (and there are many kinds) means "damaged".
    except Exception:
        raise _damaged() from None
    return {"pages": pages}

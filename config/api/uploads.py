"""Uploads limited before and while the body is read, held in memory and never written to disk.

A view that takes a file calls :func:`limit_upload` before anything reads the body (in
``initial()``, ahead of authentication: session authentication's CSRF check reads the form):
a declared ``Content-Length`` over the limit is refused at once with 413, and the only upload
handler left counts the bytes as they stream in, so a request that understates its length (or
has none, as chunked requests on ASGI) is refused with 413 as soon as it crosses the limit. The
file is kept in memory (it is at most the limit), so nothing is left on disk after the request.
"""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from workflow.exceptions import Invalid, TooLarge

# Room for the multipart boundaries and part headers around the file itself.
ENVELOPE_BYTES = 64 * 1024


def too_large(max_bytes: int) -> TooLarge:
    return TooLarge(
        _("The file is too large: the largest file accepted is %(limit)s.")
        % {"limit": f"{max_bytes / (1024 * 1024):.1f} MB"},
        code="too_large",
    )


class LimitedMemoryUploadHandler(FileUploadHandler):
    """Keep uploaded files in memory, refusing the request once they pass ``max_bytes``."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            raise too_large(self.max_bytes)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def limit_upload(request, *, max_bytes: int) -> None:
    """Refuse by declared length, and make sure the body is read only through the counting
    handler. Call before anything touches ``request.data`` / ``request.FILES``."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes + ENVELOPE_BYTES:
        raise too_large(max_bytes)
    django_request = getattr(request, "_request", request)
    django_request.upload_handlers = [
        LimitedMemoryUploadHandler(django_request, max_bytes=max_bytes)
    ]


def uploaded_bytes(request, *, field: str = "file") -> bytes:
    """The one uploaded file of a multipart request; 400 naming ``field`` otherwise."""
    return uploaded_file(request, field=field)[1]


def uploaded_file(
    request, *, field: str = "file", extra_fields: frozenset[str] = frozenset()
) -> tuple[str, bytes]:
    """(the name the client gave, the bytes) of the one uploaded file of a multipart request;
    400 naming ``field`` otherwise, or naming any field but ``field`` and ``extra_fields``."""
    files = request.FILES
    # A browser form posting with its session also sends its CSRF token: not an unknown field.
    expected = {field, "csrfmiddlewaretoken", *extra_fields}
    unknown = sorted((set(request.data.keys()) | set(files.keys())) - expected)
    if unknown:
        allowed = ", ".join(f"“{name}”" for name in sorted({field, *extra_fields}))
        raise Invalid(
            _("Invalid request."),
            errors={
                key: [
                    _("Unknown field. Send only “%(field)s”.") % {"field": field}
                    if not extra_fields
                    else _("Unknown field. Send only %(fields)s.") % {"fields": allowed}
                ]
                for key in unknown
            },
        )
    uploads = files.getlist(field)
    if len(uploads) != 1:
        message = (
            _("Attach the file as the multipart form field “%(field)s”.") % {"field": field}
            if not uploads
            else _("Send one file only.")
        )
        raise Invalid(message, errors={field: [message]})
    upload = uploads[0]
    try:
        return upload.name or "", upload.read()
    finally:
        upload.close()

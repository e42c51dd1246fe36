"""A zip that should be Word (.docx), Excel (.xlsx) or OpenDocument text (.odt).

Through the same package guard as the Word import (``forms_templates.zipguard``: entry count,
sizes, compression ratio, names, encryption, macros, XML with a DTD or entities), then told
apart by what the package says it is: an Office file by its main part's content type in
``[Content_Types].xml``, an OpenDocument file by its ``mimetype`` entry. Macro-enabled files
(.docm, .xlsm, ODF Basic or scripts) and encrypted ones are refused.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from forms_templates.zipguard import (
    GENERAL_WORDING,
    UnsafePackage,
    check_relationships,
    main_part,
    override_types,
    scan_zip,
)
from workflow.attachments.types import ACCEPTED_LABELS, DOCX, ODT, XLSX, FileRefused, FileType

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
VBA_PROJECT = "application/vnd.ms-office.vbaproject"
ODF_TEXT = b"application/vnd.oasis.opendocument.text"
ODF_MANIFEST = "META-INF/manifest.xml"
ODF_MANIFEST_NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
# Where an OpenDocument file keeps macros and scripts.
ODF_MACRO_FOLDERS = ("basic/", "scripts/")


def _keep_xml(name: str) -> bool:
    return name.lower().endswith(".rels") or name in ("[Content_Types].xml", ODF_MANIFEST)


def _not_accepted(what: str) -> FileRefused:
    return FileRefused(
        _("This kind of file (%(what)s) is not accepted. Accepted: %(types)s.")
        % {"what": what, "types": ACCEPTED_LABELS},
        code="type_not_allowed",
    )


def _macro() -> FileRefused:
    return FileRefused(GENERAL_WORDING.macro(), code="macro")


def _opendocument(scan) -> FileType:
    mimetype = scan.raw.get("mimetype", b"").strip()
    if mimetype != ODF_TEXT:
        kind = mimetype.decode("ascii", "replace")[:80] or _("unknown kind")
        raise _not_accepted(_("OpenDocument “%(kind)s”") % {"kind": kind})
    names = [info.filename.lower() for info in scan.infos]
    if any(name.startswith(ODF_MACRO_FOLDERS) for name in names):
        raise _macro()
    manifest = scan.xml.get(ODF_MANIFEST)
    if manifest is None:
        raise FileRefused(GENERAL_WORDING.damaged(), code="damaged")
    if next(manifest.iter(f"{ODF_MANIFEST_NS}encryption-data"), None) is not None:
        raise FileRefused(GENERAL_WORDING.encrypted(), code="encrypted")
    return ODT


def _office(scan) -> FileType:
    rels = {name: root for name, root in scan.xml.items() if name.lower().endswith(".rels")}
    check_relationships(rels)
    content_types = scan.xml.get("[Content_Types].xml")
    found = main_part(rels, content_types)
    if found is None:
        raise _not_accepted(_("zip archive"))
    _main, content_type = found
    if "macroenabled" in content_type or VBA_PROJECT in override_types(content_types):
        raise _macro()
    file_type = MAIN_TYPES.get(content_type)
    if file_type is None:
        raise _not_accepted(_("Office “%(type)s”") % {"type": content_type[:100] or _("unknown")})
    return file_type


def check_office(content: bytes) -> FileType:
    """The type of an Office or OpenDocument file safe to keep; :class:`FileRefused` else."""
    try:
        scan = scan_zip(
            content, wording=GENERAL_WORDING, keep_xml=_keep_xml, keep_raw=frozenset({"mimetype"})
        )
        if "mimetype" in scan.raw:
            return _opendocument(scan)
        return _office(scan)
    except UnsafePackage as exc:
        raise FileRefused(exc.message, code=exc.code) from None

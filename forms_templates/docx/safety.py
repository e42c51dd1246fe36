"""Open an uploaded Word file's zip without trusting it, before python-docx sees a byte.

python-docx has no guard of its own: measured here, a 441 KB file grew to 847 MB of memory and a
323 KB file held 3 million paragraphs that took 143 s to read. :func:`inspect_docx` refuses such
files cheaply and in this order:

1. size cap on the bytes received (:func:`check_size`, reusable for any upload);
2. the zip magic (``PK\\x03\\x04``), with a precise message for a PDF or an old ``.doc``;
3. the central directory only (nothing inflated yet): entry count, names (no absolute paths,
   ``..``, backslashes or drive letters, no duplicates), no encrypted entries, only stored or
   deflated entries, the declared uncompressed size of each entry and of all of them, and the
   compression ratio of large entries; no ``vbaProject.bin``;
4. every entry streamed through with those caps (``zipfile`` never yields more than the declared
   size, and a CRC mismatch is "damaged"); XML parts are parsed with defusedxml
   (``forbid_dtd``, no entities, no external references) and counted: elements and depth;
5. relationships: nothing external but hyperlinks (no attached templates, linked pictures,
   OLE links, sub-documents), no target outside the package; the main part's content type must
   be a Word document (a ``.docm`` is refused as macro-enabled).

Only then may python-docx open the bytes (``forms_templates.docx.read``).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError
from xml.sax import SAXException

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from defusedxml.expatreader import DefusedExpatParser
from django.utils.translation import gettext as _

from forms_templates.docx.errors import FileTooLarge, UnsafeFile

WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_CONTENT_TYPES = {
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-office.vbaproject",
}
PKG_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and password-protected .docx


@dataclass(frozen=True)
class ZipLimits:
    """Bounds for one Word file, measured (bench/docx_bench.py): the largest schema-valid
    document of any type (every table at 500 rows, every text at its length limit) unzips to
    about 5 MB of XML and 93,000 elements; 1,000,000 elements take about 1 s and 130 MB to read.
    """

    max_entries: int = 1000
    max_entry_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 64 * 1024 * 1024
    # Inflation allowed for an entry larger than ratio_floor_bytes. Word's XML deflates 10-60x,
    # a bomb of zeros ~1000x; no legitimate part is that large.
    max_ratio: int = 100
    ratio_floor_bytes: int = 16 * 1024 * 1024
    max_xml_elements: int = 1_000_000
    max_xml_depth: int = 200


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class DocxInspection:
    main_part: str
    entries: int
    uncompressed_bytes: int
    xml_elements: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int, max_bytes: int) -> None:
    """Refuse an upload over the limit (reusable for any uploaded file)."""
    if size > max_bytes:
        raise FileTooLarge(
            _("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes)},
            code="too_large",
        )


def _not_docx(content: bytes) -> UnsafeFile:
    if content.startswith(OLE_MAGIC):
        return UnsafeFile(
            _(
                "This looks like an old Word 97-2003 document (.doc) or a password-protected "
                "file. Save it as “Word Document (.docx)” without a password and upload it again."
            ),
            code="not_docx",
        )
    if content.startswith(b"%PDF"):
        return UnsafeFile(
            _("This is a PDF, not a Word document. Upload the Word (.docx) file."),
            code="not_docx",
        )
    return UnsafeFile(
        _(
            "This is not a Word document (.docx). Save the file in Word or LibreOffice as "
            "“Word Document (.docx)” and upload it again."
        ),
        code="not_docx",
    )


def _damaged() -> UnsafeFile:
    return UnsafeFile(
        _(
            "The file is damaged: it could not be opened as a Word document. Save it again in "
            "Word or LibreOffice and upload the new copy."
        ),
        code="damaged",
    )


def _bomb(size: int) -> UnsafeFile:
    return UnsafeFile(
        _(
            "The file would expand to %(size)s, far more than a Word form holds; it was refused "
            "without being opened."
        )
        % {"size": _megabytes(size)},
        code="zip_bomb",
    )


def _macro() -> UnsafeFile:
    return UnsafeFile(
        _(
            "Macro-enabled Word files (.docm) are not accepted. Save the document as "
            "“Word Document (.docx)” and upload it again."
        ),
        code="macro",
    )


def _unsafe_name(name: str) -> bool:
    if not name or len(name) > 1024 or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or ":" in name.split("/", 1)[0]:
        return True
    return ".." in name.split("/")


def _check_directory(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> int:
    """Everything the central directory tells before any entry is inflated."""
    if len(infos) > limits.max_entries:
        raise UnsafeFile(
            _("The file holds too many parts (%(count)d; at most %(limit)d).")
            % {"count": len(infos), "limit": limits.max_entries},
            code="zip_bomb",
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise UnsafeFile(
                _("The file contains a part with an unsafe name (%(name)s).") % {"name": name[:80]},
                code="unsafe_name",
            )
        if name.lower() in seen:
            raise UnsafeFile(
                _("The file contains the part %(name)s twice.") % {"name": name[:80]},
                code="damaged",
            )
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise UnsafeFile(
                _(
                    "The file has encrypted parts. Remove the password, save it as .docx and "
                    "upload it again."
                ),
                code="encrypted",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeFile(
                _("The file uses a compression method Word does not use."), code="damaged"
            )
        if posixpath.basename(name).lower() == "vbaproject.bin":
            raise _macro()
        if info.file_size > limits.max_entry_bytes:
            raise _bomb(info.file_size)
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _bomb(info.file_size)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _bomb(total)
    return total


class _Budget:
    def __init__(self, limits: ZipLimits):
        self.limits = limits
        self.elements = 0


def _too_complex() -> UnsafeFile:
    return UnsafeFile(
        _("The file's content is too large or too deeply nested to be a Word form."),
        code="zip_bomb",
    )


class _CountingParser(DefusedExpatParser):
    """defusedxml's expat parser (DTDs, entities and external references forbidden) that only
    counts elements and depth: no tree, no text kept, so memory stays flat and it is fast."""

    def __init__(self, budget: _Budget):
        self.budget = budget
        self.depth = 0
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)

    def reset(self):
        super().reset()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = None

    def _start(self, name, attributes):
        budget = self.budget
        budget.elements += 1
        self.depth += 1
        if budget.elements > budget.limits.max_xml_elements:
            raise _too_complex()
        if self.depth > budget.limits.max_xml_depth:
            raise _too_complex()

    def _end(self, name):
        self.depth -= 1


def _parse_xml(stream, *, keep: bool, budget: _Budget) -> Element | None:
    """Stream one XML part through defusedxml, counting; the tree only of the small parts whose
    content matters here (relationships, content types)."""
    parser = _CountingParser(budget)
    kept: list[bytes] = []
    while chunk := stream.read(256 * 1024):
        parser.feed(chunk)
        if keep:
            kept.append(chunk)
    parser.close()
    if not keep:
        return None
    return defused_fromstring(b"".join(kept), forbid_dtd=True)


def _drain(stream) -> None:
    while stream.read(1024 * 1024):
        pass


def _is_xml(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels"))


def _source_dir(rels_name: str) -> str:
    # word/_rels/document.xml.rels describes word/document.xml; _rels/.rels the package.
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder


def _check_relationships(rels: dict[str, Element]) -> None:
    for rels_name, root in rels.items():
        base = _source_dir(rels_name)
        for rel in root.iter(f"{PKG_RELS_NS}Relationship"):
            target = rel.get("Target") or ""
            rel_type = rel.get("Type") or ""
            if (rel.get("TargetMode") or "").lower() == "external":
                if rel_type.endswith("/hyperlink"):
                    continue
                raise UnsafeFile(
                    _(
                        "The file links to content outside itself (%(target)s): a linked "
                        "template, picture or file. Remove the link, save the document and "
                        "upload it again."
                    )
                    % {"target": target[:100]},
                    code="external_reference",
                )
            resolved = posixpath.normpath(
                target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            )
            if resolved == ".." or resolved.startswith("../") or "\\" in target:
                raise UnsafeFile(
                    _("The file contains a part with an unsafe name (%(name)s).")
                    % {"name": target[:80]},
                    code="unsafe_name",
                )


def _main_part(rels: dict[str, Element], content_types: Element | None) -> str:
    package_rels = rels.get("_rels/.rels")
    if package_rels is None or content_types is None:
        raise _not_docx(b"")
    main = None
    for rel in package_rels.iter(f"{PKG_RELS_NS}Relationship"):
        if (rel.get("Type") or "").endswith("/officeDocument"):
            main = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
            break
    if not main:
        raise _not_docx(b"")
    content_type = None
    for override in content_types.iter(f"{CT_NS}Override"):
        if (override.get("PartName") or "").lstrip("/").lower() == main.lower():
            content_type = override.get("ContentType")
            break
    if content_type is None:
        extension = posixpath.splitext(main)[1].lstrip(".").lower()
        for default in content_types.iter(f"{CT_NS}Default"):
            if (default.get("Extension") or "").lower() == extension:
                content_type = default.get("ContentType")
                break
    content_type = (content_type or "").strip().lower()
    if content_type in MACRO_CONTENT_TYPES or "macroenabled" in content_type:
        raise _macro()
    if content_type != WML_MAIN:
        raise UnsafeFile(
            _(
                "This is not a Word document: it is a “%(type)s” file. Save it as "
                "“Word Document (.docx)” and upload it again."
            )
            % {"type": content_type or _("unknown")},
            code="not_docx",
        )
    for override in content_types.iter(f"{CT_NS}Override"):
        if (override.get("ContentType") or "").strip().lower() in MACRO_CONTENT_TYPES:
            raise _macro()
    return main


def inspect_docx(
    content: bytes, *, max_bytes: int, limits: ZipLimits = DEFAULT_LIMITS
) -> DocxInspection:
    """Raise :class:`UnsafeFile` unless ``content`` is a Word document safe to hand to
    python-docx; see the module docstring for what is checked, in which order."""
    check_size(len(content), max_bytes)
    if not content.startswith(ZIP_MAGIC):
        raise _not_docx(content)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise _damaged() from None
    budget = _Budget(limits)
    rels: dict[str, Element] = {}
    content_types = None
    with archive:
        infos = archive.infolist()
        total = _check_directory(infos, limits)
        for info in infos:
            if info.is_dir():
                continue
            name = info.filename
            try:
                with archive.open(info) as stream:
                    if _is_xml(name):
                        keep = name.lower().endswith(".rels") or name == "[Content_Types].xml"
                        root = _parse_xml(stream, keep=keep, budget=budget)
                        if name.lower().endswith(".rels"):
                            rels[name] = root
                        elif name == "[Content_Types].xml":
                            content_types = root
                    else:
                        _drain(stream)
            except DefusedXmlException:
                raise UnsafeFile(
                    _(
                        "The file contains XML declarations (a DTD or entities) that Word never "
                        "writes; it was refused unread."
                    ),
                    code="unsafe_xml",
                ) from None
            except (
                ParseError,
                SAXException,
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                ValueError,
            ):
                raise _damaged() from None
    _check_relationships(rels)
    main = _main_part(rels, content_types)
    return DocxInspection(
        main_part=main,
        entries=len(infos),
        uncompressed_bytes=total,
        xml_elements=budget.elements,
    )

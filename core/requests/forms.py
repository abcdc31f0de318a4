"""Plugin request fields (``register_request_fields``) on the staff and portal request forms.

Each field of a plugin's schema becomes one input named ``extra.<namespace>.<field>``; the
submitted values are gathered back into ``{namespace: {field: value}}`` for
:func:`core.requests.services.load_extra`, whose errors are flattened back per input.

A ``List(Nested(schema))`` field is a group of repeating rows: cell inputs named
``extra.<namespace>.<field>.<row>.<sub-field>``, none at first (:data:`MIN_ROWS`: an empty row
with its ticked defaults would be taken for data), and an "add a row" button: with JavaScript
(``static/rows.js``) it copies the group's ``<template>`` row in place; without, it submits the
form (``add_row=<key>``), which comes back with one more row and nothing saved. Rows whose text
cells are all empty are left out.

A field is marked required (a visible mark and ``aria-required``) when its schema requires it or
its metadata says ``"mandatory": True`` (needed to submit, checked by the plugin's
``validate_request_submission``); ``"inputmode"`` and ``"autocomplete"`` in the metadata reach the
input (whole numbers get the numeric keypad, amounts the decimal one).

A plugin's document slots (``RequestFields(documents=…)``) are file inputs named
``documents.<namespace>.<slot>`` on the staff intake form; :func:`attach_uploads` attaches the
files posted to the new request; a missing document's error (``documents.<type>``) shows at
the slots taking that type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from marshmallow import ValidationError, fields, validate

from ..documents.services import upload
from ..numbers import format_halalas, normalize_digits
from .schemas import AnyDate, Money
from .services import request_field_sets

MIN_ROWS = 0  # empty rows a repeating group shows at first
MAX_ROWS = 50  # rows a form may post for one group (more are ignored)
ADD_ROW = "add_row"  # the submit button that asks for one more row
TEMPLATE_INDEX = "__row__"  # the row number static/rows.js replaces in a copied <template> row


def html_id(key: str) -> str:
    """The ``id`` of the input named ``key`` (dots and other characters become ``-``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


@dataclass(frozen=True)
class ExtraInput:
    namespace: str
    name: str  # the key the schema loads (data_key or field name)
    label: str
    kind: str  # text / number / money / date / checkbox / select / rows
    required: bool
    choices: tuple = ()
    attribute: str = ""  # the key kept in request.extra (attribute or field name)
    help: str = ""
    default_checked: bool = False
    columns: tuple = ()  # rows: the cells (ExtraInput) of one row
    prefix: str = ""  # rows' cells: "extra.<ns>.<group>.<i>"
    inputmode: str = ""  # the keypad a phone shows: numeric, decimal, tel…
    autocomplete: str = ""

    @property
    def key(self) -> str:
        return f"{self.prefix or 'extra.' + self.namespace}.{self.name}"

    @property
    def html_id(self) -> str:
        return html_id(self.key)

    def cell(self, column: ExtraInput, index: int | str) -> ExtraInput:
        """The input of ``column`` in row ``index`` of this group (``TEMPLATE_INDEX``: the row
        the page's script copies)."""
        return replace(column, prefix=f"{self.key}.{index}")

    def template_row(self) -> list[tuple[ExtraInput, bool]]:
        """The cells of a new row, for the group's ``<template>`` (checkboxes at their default)."""
        return [(self.cell(column, TEMPLATE_INDEX), column.default_checked) for column in self.columns]

    def row_count(self, form) -> int:
        """Rows to show: at least MIN_ROWS, every row posted, one more when asked."""
        posted = _posted_indexes(form, self.key)
        count = max(MIN_ROWS, (max(posted) + 1) if posted else 0)
        if form.get(ADD_ROW) == self.key:
            count += 1
        return min(count, MAX_ROWS)

    def rows(self, form) -> list[list[tuple[ExtraInput, bool]]]:
        """``[[(cell input, checked) …] …]`` for the template (checkbox state per row)."""
        filled = {index for index, _values in _posted_rows(form, self)}
        result = []
        for index in range(self.row_count(form)):
            cells = []
            for column in self.columns:
                cell = self.cell(column, index)
                if column.kind == "checkbox":
                    checked = bool(form.get(cell.key)) if index in filled else column.default_checked
                else:
                    checked = False
                cells.append((cell, checked))
            result.append(cells)
        return result


def _kind(item: fields.Field) -> tuple[str, tuple]:
    for validator in item.validators:
        if isinstance(validator, validate.OneOf):
            labels = list(validator.labels or validator.choices)
            return "select", tuple((str(c), lbl) for c, lbl in zip(validator.choices, labels, strict=False))
    if isinstance(item, fields.List) and isinstance(item.inner, fields.Nested):
        return "rows", ()
    if isinstance(item, fields.Boolean):
        return "checkbox", ()
    if isinstance(item, Money):
        return "money", ()
    if isinstance(item, AnyDate):
        return "date", ()
    if isinstance(item, fields.Number):
        return "number", ()
    return "text", ()


def _keypad(item: fields.Field, kind: str) -> str:
    if isinstance(item, fields.Integer):
        return "numeric"
    return "decimal" if kind in ("number", "money") else ""


def _inputs(namespace: str, schema) -> list[ExtraInput]:
    inputs = []
    for name, item in schema.fields.items():
        if item.dump_only:
            continue
        kind, choices = _kind(item)
        columns: tuple = ()
        if kind == "rows":
            columns = tuple(_inputs(namespace, item.inner.schema))
        inputs.append(
            ExtraInput(
                namespace,
                item.data_key or name,
                str(item.metadata.get("label") or name.replace("_", " ")),
                kind,
                item.required or bool(item.metadata.get("mandatory")),
                choices,
                attribute=item.attribute or name,
                help=str(item.metadata.get("help") or ""),
                default_checked=item.load_default is True,
                columns=columns,
                inputmode=str(item.metadata.get("inputmode") or _keypad(item, kind)),
                autocomplete=str(item.metadata.get("autocomplete") or ""),
            )
        )
    return inputs


def extra_inputs() -> list[tuple[Any, list[ExtraInput]]]:
    """``[(RequestFields, [ExtraInput …]) …]`` for the enabled plugins of the current tenant."""
    return [(fs, _inputs(fs.namespace, fs.schema())) for fs in request_field_sets()]


@dataclass(frozen=True)
class DocumentSlot:
    """A file input of the request-intake form declared with a plugin's request fields. The
    file is attached to the new request as ``doc_type`` or, with ``by_field``, as the type
    ``by_value`` gives for that request field's value (``doc_type`` for any other value)."""

    name: str
    label: Any
    doc_type: str
    required: bool = False
    by_field: str = ""
    by_value: tuple = ()  # ((field value, document type), …); a dict is accepted
    namespace: str = ""

    @property
    def key(self) -> str:
        return f"documents.{self.namespace}.{self.name}"

    @property
    def html_id(self) -> str:
        return html_id(self.key)

    @property
    def doc_types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.doc_type, *(kind for _value, kind in self.by_value))))

    def doc_type_for(self, data: dict) -> str:
        """The document type of an upload to a request whose plugin data is ``data``."""
        if not self.by_field:
            return self.doc_type
        return dict(self.by_value).get(str(data.get(self.by_field) or ""), self.doc_type)


def as_slot(namespace: str, declared: DocumentSlot | Mapping) -> DocumentSlot:
    """A declared slot (a DocumentSlot or its fields as a dict) under its plugin's namespace."""
    slot = declared if isinstance(declared, DocumentSlot) else DocumentSlot(**declared)
    by_value = tuple(dict(slot.by_value).items())
    return replace(slot, namespace=namespace, by_value=by_value)


def document_slots() -> list[DocumentSlot]:
    """The document slots of the enabled plugins' request fields, in declaration order."""
    return [as_slot(fs.namespace, declared) for fs in request_field_sets() for declared in fs.documents]


def attach_uploads(files, request, actor, household_id: int | None = None) -> list:
    """Attach the files posted in the document slots to ``request`` (and ``household_id``'s
    household when given; empty slots skipped). A refused file's errors are raised together,
    each on its slot's input (``documents.<ns>.<slot>``)."""
    documents = []
    errors: dict = {}
    for slot in document_slots():
        posted = files.get(slot.key)
        if posted is None or not posted.filename:
            continue
        data = (request.extra or {}).get(slot.namespace) or {}
        fields = {"doc_type": slot.doc_type_for(data), "request_id": request.id, "household_id": household_id}
        try:
            documents.append(upload(posted.read(), posted.filename, fields, actor))
        except ValidationError as refused:
            messages = refused.messages if isinstance(refused.messages, dict) else {"file": refused.messages}
            for problems in messages.values():
                errors.setdefault(slot.key, []).extend(problems if isinstance(problems, list) else [problems])
    if errors:
        raise ValidationError(errors)
    return documents


def _posted_indexes(form, key: str) -> set[int]:
    pattern = re.compile(re.escape(key) + r"\.(\d{1,3})\.")
    found = set()
    for name in form:
        match = pattern.match(name)
        if match and int(match.group(1)) < MAX_ROWS:
            found.add(int(match.group(1)))
    return found


def _value(form, item: ExtraInput) -> str:
    value = (form.get(item.key) or "").strip()
    return normalize_digits(value) if item.kind == "number" else value


def _posted_rows(form, group: ExtraInput) -> list[tuple[int, dict]]:
    """``[(row index, values) …]`` of the rows with at least one text cell filled in."""
    rows = []
    for index in sorted(_posted_indexes(form, group.key)):
        values: dict = {}
        for column in group.columns:
            cell = group.cell(column, index)
            if column.kind == "checkbox":
                continue
            value = _value(form, cell)
            if value:
                values[column.name] = value
        if not values:
            continue
        for column in group.columns:
            if column.kind == "checkbox":
                values[column.name] = bool(form.get(group.cell(column, index).key))
        rows.append((index, values))
    return rows


def extra_from_form(form) -> dict:
    """The plugin values posted by a form (empty inputs left out, so defaults apply)."""
    extra: dict = {}
    for field_set, inputs in extra_inputs():
        values: dict = {}
        for item in inputs:
            if item.kind == "checkbox":
                if form.get(item.key):
                    values[item.name] = True
            elif item.kind == "rows":
                rows = [row for _index, row in _posted_rows(form, item)]
                if rows:
                    values[item.name] = rows
            else:
                value = _value(form, item)
                if value:
                    values[item.name] = value
        extra[field_set.namespace] = values
    return extra


def adding_row(form) -> bool:
    """The form was posted by an "add a row" button: show it again, save nothing."""
    return bool(form.get(ADD_ROW))


def _flatten(prefix: str, value: Any, flat: dict, row_map: dict) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            name = str(name)
            if prefix in row_map and name.isdigit():
                positions = row_map[prefix]
                name = str(positions[int(name)]) if int(name) < len(positions) else name
            _flatten(f"{prefix}.{name}" if name != "_schema" else prefix, inner, flat, row_map)
    else:
        flat.setdefault(prefix, []).extend(value if isinstance(value, list) else [value])


def flatten_errors(messages: dict, form=None) -> dict:
    """``{"extra.ns": {"field": [...]}}`` → ``{"extra.ns.field": [...]}`` for the form inputs.

    Errors of repeating rows land on their cell (``extra.ns.field.<row>.<cell>``), the row
    numbers being those of the form (``form``: empty rows were left out before validation).
    """
    row_map: dict = {}
    if form is not None:
        for _field_set, inputs in extra_inputs():
            for item in inputs:
                if item.kind == "rows":
                    row_map[item.key] = [index for index, _values in _posted_rows(form, item)]
    flat: dict = {}
    for key, value in messages.items():
        if key.startswith("extra.") and isinstance(value, dict):
            _flatten(key, value, flat, row_map)
        else:
            flat[key] = value
    return flat


def place_errors(messages: dict) -> dict:
    """Errors keyed by a plugin field (``validate_request_submission``) moved onto its input.

    A key equal to a plugin input's name or kept attribute becomes ``extra.<ns>.<name>``;
    any other key (core fields, ``documents.<type>``) is kept as it is.
    """
    where: dict = {}
    for _field_set, inputs in extra_inputs():
        for item in inputs:
            where.setdefault(item.name, item.key)
            where.setdefault(item.attribute, item.key)
    placed: dict = {}
    for key, value in messages.items():
        placed.setdefault(where.get(key, key), []).extend(value if isinstance(value, list) else [value])
    return placed


def _form_value(item: ExtraInput, value: Any) -> str | None:
    """A kept plugin value as its input shows it (None: leave the input empty / unchecked)."""
    if value is None or value == "":
        return None
    if item.kind == "checkbox":
        return "on" if value else None
    if item.kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_halalas(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def request_form_values(request) -> dict:
    """A request's own data as the apply form's inputs (core fields and ``extra.<ns>.<field>``),
    so the applicant corrects what they entered; repeating rows fill ``….<row>.<cell>``."""
    values: dict = {
        "applicant_name": request.applicant_name or "",
        "applicant_phone": request.applicant_phone or "",
        "applicant_city": request.applicant_city or "",
        "catalog_item_id": str(request.catalog_item_id) if request.catalog_item_id else "",
        "summary": request.summary or "",
        "requested_amount": format_halalas(request.requested_halalas)
        if request.requested_halalas is not None
        else "",
    }
    phone = values["applicant_phone"]
    if phone.startswith("+966"):
        values["applicant_phone"] = "0" + phone[4:]
    for field_set, inputs in extra_inputs():
        stored = (request.extra or {}).get(field_set.namespace) or {}
        for item in inputs:
            value = stored.get(item.attribute, stored.get(item.name))
            if item.kind == "rows":
                for index, row in enumerate(value if isinstance(value, list) else []):
                    for column in item.columns:
                        cell = item.cell(column, index)
                        shown = _form_value(column, row.get(column.attribute, row.get(column.name)))
                        if shown is not None:
                            values[cell.key] = shown
                continue
            shown = _form_value(item, value)
            if shown is not None:
                values[item.key] = shown
    return values


def _shown(item: ExtraInput, value: Any) -> str:
    if item.kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_halalas(value)
    if item.kind == "select":
        return str(dict(item.choices).get(str(value), value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def extra_display(request) -> list[tuple[str, str, Any]]:
    """``[(group label, field label, value) …]`` of a request's plugin data, for the views."""
    rows = []
    for field_set, inputs in extra_inputs():
        stored = (request.extra or {}).get(field_set.namespace) or {}
        for item in inputs:
            value = stored.get(item.attribute, stored.get(item.name))
            if value in (None, "", []):
                continue
            if item.kind == "rows" and isinstance(value, list):
                shown = "؛ ".join(
                    " · ".join(
                        _shown(column, row.get(column.attribute, row.get(column.name)))
                        for column in item.columns
                        if column.kind != "checkbox"
                        and row.get(column.attribute, row.get(column.name)) not in (None, "")
                    )
                    for row in value
                    if isinstance(row, dict)
                )
            else:
                shown = _shown(item, value)
            rows.append((str(field_set.label or field_set.namespace), item.label, shown))
    return rows


__all__ = [
    "ADD_ROW",
    "MIN_ROWS",
    "TEMPLATE_INDEX",
    "DocumentSlot",
    "ExtraInput",
    "adding_row",
    "as_slot",
    "attach_uploads",
    "document_slots",
    "extra_display",
    "extra_from_form",
    "extra_inputs",
    "flatten_errors",
    "html_id",
    "place_errors",
    "request_form_values",
]

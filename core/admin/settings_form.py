"""A plugin's settings as a form generated from its marshmallow schema, in words and riyals.

Every field of the schema becomes an input a person can read: its label (``metadata["label"]``),
help (``metadata["description"]``) and unit (``metadata["unit"]``); money (``metadata["money"]``,
stored in halalas) is shown and typed in riyals; a choice (a ``OneOf`` validator) is a select, a
list of choices a row of checkboxes, each option in words (``metadata["choices"]`` — a mapping
code → label — or the label registry's kind ``metadata["label_kind"]``); a list of values is one
input per value (plus empty ones to add); a list of records is a group of rows, each with a
"remove" box, plus an empty row to add one; a dict keyed by choices (e.g. overrides per catalog
item) is one group per key, used when its box is ticked.

Form names are ``settings-<path>`` where the path joins field names and row indexes with ``-``
(``settings-bands-1-ceiling_halalas``); the errors of the schema are flattened to the same paths,
so each message is shown beside its input. Riyals become halalas here, at the boundary: services
and the stored settings only ever see halalas.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields, validate

from ..i18n import lazy_gettext as _l
from ..labels import label as code_label
from ..numbers import NumberFormatError, format_halalas, normalize_digits, parse_decimal, parse_halalas

PREFIX = "settings-"
EXTRA_ITEMS = 2  # empty inputs offered to add values to a list
NOT_A_NUMBER = _l("Enter a number.")
NOT_A_WHOLE_NUMBER = _l("Enter a whole number.")
NOT_AN_AMOUNT = _l("Enter an amount in riyals, e.g. 1500 or 1500.50.")


# --------------------------------------------------------------------------- field kinds


def _one_of(field: fields.Field) -> tuple[str, ...] | None:
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return tuple(validator.choices)
    return None


def _nested_schema(field: fields.Field) -> Schema | None:
    if isinstance(field, fields.Nested):
        schema = field.schema
        return schema if isinstance(schema, Schema) else None
    return None


def _kind(field: fields.Field) -> str:
    if isinstance(field, fields.Boolean):
        return "checkbox"
    if isinstance(field, fields.List):
        inner = field.inner
        if _nested_schema(inner) is not None:
            return "rows"
        return "choices" if _one_of(inner) else "items"
    if isinstance(field, fields.Dict):
        return "groups" if _nested_schema(field.value_field) is not None and _keys(field) else "items"
    if _nested_schema(field) is not None:
        return "group"
    if _one_of(field):
        return "select"
    if isinstance(field, fields.Integer | fields.Float | fields.Decimal):
        return "money" if field.metadata.get("money") else "number"
    return "text"


def _keys(field: fields.Dict) -> tuple[str, ...] | None:
    return _one_of(field.key_field) if field.key_field is not None else None


def _option_label(field: fields.Field, code: str, owner: fields.Field | None = None) -> str:
    for source in (field, owner):
        if source is None:
            continue
        choices = source.metadata.get("choices")
        if isinstance(choices, Mapping) and code in choices:
            return str(choices[code])
        kind = source.metadata.get("label_kind")
        if kind:
            return code_label(code, kind)
    return code


def _label(field: fields.Field, name: str) -> str:
    return str(field.metadata.get("label", name))


# --------------------------------------------------------------------------- values → widgets


def _scalar_text(field: fields.Field, value: Any) -> str:
    if value is None:
        return ""
    if field.metadata.get("money") and isinstance(value, int) and not isinstance(value, bool):
        return format_halalas(value)
    return str(value)


def _widget(name: str, field: fields.Field, value: Any, path: str) -> dict:
    kind = _kind(field)
    widget = {
        "name": name,
        "key": path,
        "form_name": PREFIX + path,
        "kind": kind,
        "label": _label(field, name),
        "help": str(field.metadata.get("description", "")),
        "unit": str(field.metadata.get("unit", "")) or (str(_l("SAR")) if kind == "money" else ""),
        "required": bool(field.required),
    }
    if kind == "checkbox":
        widget["value"] = bool(value)
    elif kind == "select":
        widget["value"] = "" if value is None else str(value)
        widget["options"] = [(code, _option_label(field, code)) for code in _one_of(field) or ()]
    elif kind == "choices":
        chosen = set(value or [])
        widget["options"] = [
            (code, _option_label(field.inner, code, field), code in chosen)
            for code in _one_of(field.inner) or ()
        ]
    elif kind == "items":
        inner = field.inner if isinstance(field, fields.List) else fields.String()
        values = [_scalar_text(inner, item) for item in (value or [])]
        widget["entries"] = [
            {"form_name": f"{PREFIX}{path}-{i}", "key": f"{path}-{i}", "value": text}
            for i, text in enumerate([*values, *[""] * EXTRA_ITEMS])
        ]
        widget["numeric"] = isinstance(inner, fields.Integer | fields.Float | fields.Decimal)
    elif kind == "rows":
        schema = _nested_schema(field.inner)
        records = list(value or [])
        widget["rows"] = [
            _row(schema, record, f"{path}-{i}", index=i, blank=False) for i, record in enumerate(records)
        ]
        widget["rows"].append(_row(schema, {}, f"{path}-{len(records)}", index=len(records), blank=True))
        widget["count"] = len(records) + 1
    elif kind == "groups":
        schema = _nested_schema(field.value_field)
        current = dict(value or {})
        widget["groups"] = [
            {
                **_row(
                    schema, current.get(code) or {}, f"{path}-{code}", index=code, blank=code not in current
                ),
                "title": _option_label(field.key_field, code, field),
                "on": code in current,
                "on_name": f"{PREFIX}{path}-{code}-_on",
            }
            for code in _keys(field) or ()
        ]
    elif kind == "group":
        widget.update(_row(_nested_schema(field), value or {}, path, index=None, blank=False))
    else:
        widget["value"] = _scalar_text(field, value)
    return widget


def _row(schema: Schema, record: Mapping, path: str, index: Any, blank: bool) -> dict:
    return {
        "index": index,
        "blank": blank,
        "remove_name": f"{PREFIX}{path}-_remove",
        "fields": [
            _widget(name, field, record.get(name), f"{path}-{name}")
            for name, field in schema.fields.items()
            if not field.dump_only
        ],
    }


def settings_widgets(schema: Schema | None, values: Mapping) -> list[dict]:
    """The form of a plugin's settings, filled with ``values`` (stored settings: halalas)."""
    if schema is None:
        return []
    return [
        _widget(name, field, values.get(name), name)
        for name, field in schema.fields.items()
        if not field.dump_only
    ]


# --------------------------------------------------------------------------- form → values


class _Reader:
    def __init__(self, form) -> None:
        self.form = form
        self.errors: dict[str, list] = {}

    def text(self, path: str) -> str:
        return (self.form.get(PREFIX + path) or "").strip()

    def has_any(self, path: str) -> bool:
        """Whether anything was typed or chosen under ``path`` (checkboxes aside)."""
        start = f"{PREFIX}{path}-"
        return any(
            key.startswith(start)
            and not key.endswith(("-_remove", "-_on", "-count"))
            and (value or "").strip() not in ("", "on")
            for key, value in self.form.items(multi=True)
        )

    def scalar(self, field: fields.Field, raw: str, path: str) -> Any:
        if isinstance(field, fields.Integer | fields.Float | fields.Decimal):
            try:
                if field.metadata.get("money"):
                    return parse_halalas(normalize_digits(raw))
                number = parse_decimal(normalize_digits(raw))
            except NumberFormatError:
                self.errors[path] = [NOT_AN_AMOUNT if field.metadata.get("money") else NOT_A_NUMBER]
                return None
            if isinstance(field, fields.Integer):
                if number != int(number):
                    self.errors[path] = [NOT_A_WHOLE_NUMBER]
                    return None
                return int(number)
            return str(number)
        return raw

    def field(self, field: fields.Field, path: str) -> tuple[bool, Any]:
        """(present, value) of one field; absent values are left to the schema's defaults."""
        kind = _kind(field)
        if kind == "checkbox":
            return True, self.form.get(PREFIX + path) == "on"
        if kind == "choices":
            chosen = set(self.form.getlist(PREFIX + path))
            return True, [code for code in _one_of(field.inner) or () if code in chosen]
        if kind == "items":
            inner = field.inner if isinstance(field, fields.List) else fields.String()
            values, i = [], 0
            while PREFIX + f"{path}-{i}" in self.form:
                raw = self.text(f"{path}-{i}")
                if raw:
                    values.append(self.scalar(inner, raw, f"{path}-{i}"))
                i += 1
            return True, values
        if kind == "rows":
            schema = _nested_schema(field.inner)
            count = self._count(path)
            records = []
            for i in range(count):
                row_path = f"{path}-{i}"
                if self.form.get(f"{PREFIX}{row_path}-_remove") == "on" or not self.has_any(row_path):
                    continue
                records.append(self.record(schema, row_path))
            return True, records
        if kind == "groups":
            schema = _nested_schema(field.value_field)
            return True, {
                code: self.record(schema, f"{path}-{code}")
                for code in _keys(field) or ()
                if self.form.get(f"{PREFIX}{path}-{code}-_on") == "on"
            }
        if kind == "group":
            return True, self.record(_nested_schema(field), path)
        raw = self.text(path)
        if raw == "":
            return (True, None) if field.allow_none else (False, None)
        return True, self.scalar(field, raw, path)

    def _count(self, path: str) -> int:
        try:
            return max(0, min(int(normalize_digits(self.text(f"{path}-count"))), 200))
        except ValueError:
            return 0

    def record(self, schema: Schema, path: str) -> dict:
        data = {}
        for name, field in schema.fields.items():
            if field.dump_only:
                continue
            present, value = self.field(field, f"{path}-{name}")
            if present:
                data[name] = value
        return data


def settings_from_form(schema: Schema | None, form) -> tuple[dict, dict]:
    """(settings in halalas, errors by path) from a posted settings form."""
    if schema is None:
        return {}, {}
    reader = _Reader(form)
    return _top(reader, schema), reader.errors


def _top(reader: _Reader, schema: Schema) -> dict:
    data = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        present, value = reader.field(field, name)
        if present:
            data[name] = value
    return data


# --------------------------------------------------------------------------- errors by path


def flatten_errors(messages: Any, path: str = "") -> dict[str, list]:
    """marshmallow's nested errors as ``{path: [messages]}`` with the form's paths.

    A dict field's errors (``{key: {"value": {...}}}``) drop marshmallow's ``value``/``key`` level.
    """
    flat: dict[str, list] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key in ("value", "key") and path:
                flat.update(flatten_errors(value, path))
                continue
            if key == "_schema":
                flat.setdefault(path or "_schema", []).extend(value if isinstance(value, list) else [value])
                continue
            flat.update(flatten_errors(value, f"{path}-{key}" if path else str(key)))
    elif isinstance(messages, list | tuple):
        if all(isinstance(item, Mapping) for item in messages):
            for item in messages:
                flat.update(flatten_errors(item, path))
        else:
            flat.setdefault(path, []).extend(messages)
    else:
        flat.setdefault(path, []).append(messages)
    return flat

"""Plugin request fields (``register_request_fields``) on the staff and portal request forms.

Each field of a plugin's schema becomes one input named ``extra.<namespace>.<field>``; the
submitted values are gathered back into ``{namespace: {field: value}}`` for
:func:`core.requests.services.load_extra`, whose errors are flattened back per input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import fields, validate

from .services import request_field_sets


@dataclass(frozen=True)
class ExtraInput:
    namespace: str
    name: str
    label: str
    kind: str  # text / number / checkbox / select
    required: bool
    choices: tuple = ()

    @property
    def key(self) -> str:
        return f"extra.{self.namespace}.{self.name}"

    @property
    def html_id(self) -> str:
        return f"extra-{self.namespace}-{self.name}"


def _kind(field: fields.Field) -> tuple[str, tuple]:
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            labels = list(validator.labels or validator.choices)
            return "select", tuple(
                (str(c), str(lbl)) for c, lbl in zip(validator.choices, labels, strict=False)
            )
    if isinstance(field, fields.Boolean):
        return "checkbox", ()
    if isinstance(field, fields.Number):
        return "number", ()
    return "text", ()


def extra_inputs() -> list[tuple[Any, list[ExtraInput]]]:
    """``[(RequestFields, [ExtraInput …]) …]`` for the enabled plugins of the current tenant."""
    groups = []
    for field_set in request_field_sets():
        inputs = []
        for name, field in field_set.schema().fields.items():
            if field.dump_only:
                continue
            kind, choices = _kind(field)
            label = field.metadata.get("label") or name.replace("_", " ")
            inputs.append(ExtraInput(field_set.namespace, name, str(label), kind, field.required, choices))
        groups.append((field_set, inputs))
    return groups


def extra_from_form(form) -> dict:
    """The plugin values posted by a form (empty inputs left out, so defaults apply)."""
    extra: dict = {}
    for field_set, inputs in extra_inputs():
        values = {}
        for item in inputs:
            if item.kind == "checkbox":
                if form.get(item.key):
                    values[item.name] = True
                continue
            value = (form.get(item.key) or "").strip()
            if value:
                values[item.name] = value
        extra[field_set.namespace] = values
    return extra


def flatten_errors(messages: dict) -> dict:
    """``{"extra.ns": {"field": [...]}}`` → ``{"extra.ns.field": [...]}`` for the form inputs."""
    flat: dict = {}
    for key, value in messages.items():
        if key.startswith("extra.") and isinstance(value, dict):
            for name, inner in value.items():
                flat[f"{key}.{name}"] = inner
        else:
            flat[key] = value
    return flat


def extra_display(request) -> list[tuple[str, str, Any]]:
    """``[(group label, field label, value) …]`` of a request's plugin data, for the views."""
    rows = []
    for field_set, inputs in extra_inputs():
        stored = (request.extra or {}).get(field_set.namespace) or {}
        for item in inputs:
            if item.name in stored and stored[item.name] not in (None, ""):
                rows.append((str(field_set.label or field_set.namespace), item.label, stored[item.name]))
    return rows

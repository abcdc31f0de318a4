"""Plugin fields on a request: each plugin's ``register_request_fields`` schema, stored
under ``AidRequest.extra[<namespace>]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks


@dataclass(frozen=True)
class RequestFields:
    namespace: str
    schema: type
    label: Any = ""
    # File inputs of the request-intake form (``forms.DocumentSlot`` or their fields as a dict).
    documents: tuple = ()
    # Core request fields (``catalog_item_id``, ``applicant_phone``…) the plugin requires to submit
    # (its ``validate_request_submission`` checks them): the forms mark them required.
    mandatory: tuple = ()


def request_field_sets() -> list[RequestFields]:
    found: list[RequestFields] = []
    for declared in tenant_hooks().register_request_fields():
        found.extend(declared or [])
    return found


def load_extra(extra: dict | None) -> dict:
    """Validate ``extra`` with every plugin's schema; ValidationError under ``extra.<ns>``."""
    extra = dict(extra or {})
    loaded: dict = {}
    errors: dict = {}
    known = set()
    for field_set in request_field_sets():
        known.add(field_set.namespace)
        try:
            loaded[field_set.namespace] = field_set.schema().load(extra.get(field_set.namespace) or {})
        except ValidationError as exc:
            errors[f"extra.{field_set.namespace}"] = exc.messages
    for unknown in set(extra) - known:
        errors[f"extra.{unknown}"] = [_l("Unknown field.")]
    if errors:
        raise ValidationError(errors)
    return loaded

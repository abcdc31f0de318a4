"""Open lists: household categories and exclusion reasons (core's and the plugins'), and the
plugins' extra file fields, validated per namespace."""

from __future__ import annotations

from marshmallow import ValidationError

from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks
from ..choices import Choice, FileFields, merge_choices


def household_categories() -> list[Choice]:
    return merge_choices(tenant_hooks().register_household_categories())


def exclusion_reasons() -> list[Choice]:
    return merge_choices(tenant_hooks().register_exclusion_reasons())


def file_fields() -> list[FileFields]:
    found: dict[str, FileFields] = {}
    for group in tenant_hooks().register_file_fields():
        for item in group or []:
            found.setdefault(item.namespace, item)
    return list(found.values())


def validate_extra(extra: dict, current: dict | None = None) -> dict:
    """Each namespace loaded by its plugin's schema; unknown namespaces refused."""
    known = {f.namespace: f for f in file_fields()}
    result = dict(current or {})
    errors: dict = {}
    for namespace, value in (extra or {}).items():
        spec = known.get(namespace)
        if spec is None:
            errors[namespace] = [_l("Unknown field group.")]
            continue
        try:
            result[namespace] = spec.schema().dump(spec.schema().load(value or {}))
        except ValidationError as exc:
            errors[namespace] = exc.messages
    if errors:
        raise ValidationError({"extra": errors})
    return result

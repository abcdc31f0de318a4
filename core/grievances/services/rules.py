"""The tenant's grievance rules, versioned by effective date, and the categories.

``Tenant.settings["grievances"] = {"versions": [{"effective_from": "2025-01-01",
"filing_window_days": 15, "deadline_working_days": 30, "appeal_window_working_days": 10}, …]}``.
The version in force on a date is the latest whose ``effective_from`` is on or before it
(the defaults when none is); each grievance keeps a copy of the version in force on its
filing date, so a later change never rewrites a case already filed. A new version may only
take effect today or later (:func:`add_rule_version`), and adding one is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy.orm.attributes import flag_modified

from ...audit.services import record
from ...extensions import db
from ...i18n import current_language
from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks
from ...tenancy import require_tenant

SETTINGS_KEY = "grievances"
DEFAULT_RULES = {"filing_window_days": 15, "deadline_working_days": 30, "appeal_window_working_days": 10}
# The clock of the queues: "due soon" within this many working days.
DUE_SOON_WORKING_DAYS = 5


class RuleVersionSchema(Schema):
    class Meta:
        unknown = RAISE

    effective_from = fields.Date(required=True)
    filing_window_days = fields.Integer(load_default=15, validate=validate.Range(min=1, max=365))
    deadline_working_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))
    appeal_window_working_days = fields.Integer(load_default=10, validate=validate.Range(min=1, max=365))


def rule_versions(tenant: Any = None) -> list[dict]:
    """The tenant's rule versions, oldest first (validated; ``effective_from`` a date)."""
    tenant = tenant or require_tenant()
    raw = ((tenant.settings or {}).get(SETTINGS_KEY) or {}).get("versions") or []
    versions = [RuleVersionSchema().load(v) for v in raw]
    return sorted(versions, key=lambda v: v["effective_from"])


def rules_on(on: date, tenant: Any = None) -> dict:
    """The rules in force on ``on``: ``filing_window_days``, ``deadline_working_days``,
    ``appeal_window_working_days`` and ``effective_from`` (None for the defaults)."""
    found = {**DEFAULT_RULES, "effective_from": None}
    for version in rule_versions(tenant):
        if version["effective_from"] <= on:
            found = dict(version)
    return found


def rules_json(rules: dict) -> dict:
    effective = rules.get("effective_from")
    return {**rules, "effective_from": effective.isoformat() if effective else None}


def add_rule_version(data: dict, actor: Any, today: date) -> dict:
    """Add a rule version (``RuleVersionSchema``'s fields) taking effect on ``effective_from``,
    which must be today or later: the rules a past day ran under are never rewritten."""
    version = RuleVersionSchema().load({k: v for k, v in data.items() if v is not None})
    if version["effective_from"] < today:
        raise ValidationError({"effective_from": [_l("A new rule version cannot take effect in the past.")]})
    tenant = require_tenant()
    kept = [v for v in rule_versions(tenant) if v["effective_from"] != version["effective_from"]]
    settings = dict(tenant.settings or {})
    settings[SETTINGS_KEY] = {
        **(settings.get(SETTINGS_KEY) or {}),
        "versions": [rules_json(v) for v in sorted([*kept, version], key=lambda v: v["effective_from"])],
    }
    tenant.settings = settings
    flag_modified(tenant, "settings")
    record("grievance.rules.version", "tenant", tenant.id, rules_json(version), user=actor)
    db.session.flush()
    return version


# The seed's categories (seed 004, التظلم وتقديم الشكوى): what diminishes a right, a shortfall
# in service, the conduct of service providers (staff), the bodies the association works through.
CORE_CATEGORIES = (
    {"code": "decision", "label_ar": "تظلم من قرار", "label_en": "Against a decision", "kind": "grievance"},
    {"code": "rights", "label_ar": "انتقاص من الحقوق", "label_en": "A right diminished", "kind": None},
    {"code": "service", "label_ar": "تقصير في تقديم الخدمة", "label_en": "Shortfall in service", "kind": "complaint"},
    {"code": "staff_conduct", "label_ar": "أسلوب تعامل مقدمي الخدمة", "label_en": "Staff conduct", "kind": "complaint"},
    {"code": "provider", "label_ar": "جهة مقدمة للخدمة", "label_en": "A contracted provider", "kind": "complaint"},
)  # fmt: skip


def categories() -> list[dict]:
    """The merged categories (``register_grievance_categories``): the first declaration of a code wins."""
    merged: dict[str, dict] = {}
    for declared in tenant_hooks().register_grievance_categories():
        for item in declared or []:
            merged.setdefault(item["code"], dict(item))
    return list(merged.values())


def category_label(code: str) -> str:
    for item in categories():
        if item["code"] == code:
            return item.get(f"label_{current_language()}") or item.get("label_ar") or code
    return code

"""The tenant's survey settings (``Tenant.settings["surveys"]``) with their defaults."""

from __future__ import annotations

from typing import Any

from ...audit.services import record
from ...auth.permissions import roles_in
from ...extensions import db
from ...tenancy import require_tenant

DEFAULTS: dict[str, Any] = {
    # "all": every beneficiary is invited; "sample": a random sample per program and month
    "sampling": "all",
    # target margin of error of a sampled month's result, in percentage points (95 % confidence)
    "target_margin": 5.0,
    # a KPI answer at or above this rating counts as satisfied
    "threshold": 4,
    # a rating at or below this one offers the complaint route
    "complaint_below": 2,
    "link_days": 30,  # how long an invitation link stays valid
    # staff may see which beneficiary gave which response (off: anonymous)
    "identified": False,
    # the roles that may read free-text answers
    "free_text_roles": ["executive_director"],
    "target_share": 85.0,  # the association's satisfaction target (seed 000)
}


def survey_settings(tenant: Any = None) -> dict[str, Any]:
    tenant = tenant or require_tenant()
    return {**DEFAULTS, **((tenant.settings or {}).get("surveys") or {})}


def update_settings(data: dict, actor: Any) -> dict[str, Any]:
    """Store validated settings (``SettingsSchema``) and audit the change."""
    tenant = require_tenant()
    merged = {**survey_settings(tenant), **data}
    tenant.settings = {**(tenant.settings or {}), "surveys": merged}
    db.session.flush()
    record("surveys.settings", "Tenant", tenant.id, dict(data), user=actor)
    return merged


def can_read_free_text(user: Any) -> bool:
    tenant = require_tenant()
    return bool(roles_in(user, tenant) & set(survey_settings(tenant)["free_text_roles"]))

"""The volunteer's offer (on the portal or registered by staff), the tenant's skill list, and
the coordinator's decision (accept, or decline with a reason)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from ...audit import record
from ...auth.permissions import can
from ...errors import Conflict, Forbidden, Invalid
from ...extensions import db
from ...i18n import current_language
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...tenancy import current_tenant, utcnow
from ..models import Volunteer
from .messages import tell_decision

COORDINATE = "volunteers.coordinate"
OFFER = "volunteers.offer"
CHOOSE = _l("Choose one of the listed values.")

# The skill list a tenant starts with (its admin replaces it in the tenant's settings).
DEFAULT_SKILLS = (
    {"code": "distribution", "label_ar": "توزيع المساعدات", "label_en": "Aid distribution"},
    {"code": "field_research", "label_ar": "مرافقة البحث الميداني", "label_en": "Field research support"},
    {"code": "teaching", "label_ar": "التعليم والتدريب", "label_en": "Teaching and training"},
    {"code": "health", "label_ar": "الرعاية الصحية", "label_en": "Health care"},
    {"code": "driving", "label_ar": "القيادة والنقل", "label_en": "Driving and transport"},
    {"code": "media", "label_ar": "الإعلام والتصميم", "label_en": "Media and design"},
    {"code": "admin", "label_ar": "الأعمال الإدارية", "label_en": "Office work"},
    {"code": "events", "label_ar": "تنظيم الفعاليات", "label_en": "Organising events"},
)


def skills() -> list[dict]:
    """The tenant's skill list (``settings["volunteers"]["skills"]``, else the defaults)."""
    tenant = current_tenant()
    declared = ((tenant.settings or {}).get("volunteers") or {}).get("skills") if tenant else None
    return [dict(item) for item in (declared or DEFAULT_SKILLS)]


def skill_label(code: str) -> str:
    lang = current_language()
    for item in skills():
        if item["code"] == code:
            return item.get(f"label_{lang}") or item["label_ar"]
    return code


def set_skills(items: list[dict], actor: Any) -> list[dict]:
    """Replace the tenant's skill list (codes unique)."""
    if not can(actor, COORDINATE):
        raise Forbidden(_("Your role cannot take this step."))
    codes = [item["code"] for item in items]
    if not items or len(set(codes)) != len(codes):
        raise Invalid({"skills": [_l("Give each skill once, with a unique code.")]})
    tenant = current_tenant()
    settings = dict(tenant.settings or {})
    settings["volunteers"] = {**(settings.get("volunteers") or {}), "skills": [dict(i) for i in items]}
    tenant.settings = settings
    flag_modified(tenant, "settings")
    record("volunteer.skills", "volunteer", None, {"count": len(items)})
    return skills()


def _check(data: dict) -> None:
    errors: dict[str, list] = {}
    known = {item["code"] for item in skills()}
    if any(code not in known for code in data.get("skills") or []):
        errors["skills"] = [CHOOSE]
    if data.get("kind") == "organisation" and not (data.get("organisation_name") or "").strip():
        errors["organisation_name"] = [_l("Name the organisation you volunteer for.")]
    start, end = data.get("available_from"), data.get("available_to")
    if start is not None and end is not None and end <= start:
        errors["available_to"] = [_l("The end of the time must come after its start.")]
    if errors:
        raise Invalid(errors)


FIELDS = (
    "name", "phone", "email", "city", "kind", "organisation_name", "skills", "days", "available_from",
    "available_to", "areas", "field_visits", "notes",
)  # fmt: skip


def _fill(volunteer: Volunteer, data: dict) -> None:
    for name in FIELDS:
        if name in data:
            setattr(volunteer, name, data[name])
    if volunteer.kind != "organisation":
        volunteer.organisation_name = None


def can_coordinate(user: Any) -> bool:
    return can(user, COORDINATE)


def own_volunteer(user: Any) -> Volunteer | None:
    """The signed-in portal user's volunteer record in the current tenant, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalars(db.select(Volunteer).where(Volunteer.user_id == user.id)).first()


def offer(data: dict, actor: Any) -> Volunteer:
    """A portal user's offer to volunteer (state ``applied``), or their changed offer while it
    waits; an accepted volunteer edits their availability the same way."""
    if not can(actor, OFFER):
        raise Forbidden(_("Your role cannot take this step."))
    _check(data)
    volunteer = own_volunteer(actor)
    if volunteer is not None and volunteer.state == "declined":
        raise Conflict(_("Your offer was declined; ask the association before offering again."))
    if volunteer is None:
        volunteer = Volunteer(user_id=actor.id, state="applied", registered_by_id=actor.id)
        db.session.add(volunteer)
    _fill(volunteer, {**data, "email": data.get("email") or actor.email})
    db.session.flush()
    record("volunteer.offer", "volunteer", volunteer.id, {"kind": volunteer.kind})
    return volunteer


def register(data: dict, actor: Any) -> Volunteer:
    """Staff register a volunteer (met at the office, or a list an organisation sent): accepted
    unless ``state`` says ``applied``."""
    if not can(actor, COORDINATE):
        raise Forbidden(_("Your role cannot take this step."))
    _check(data)
    volunteer = Volunteer(registered_by_id=actor.id, state=data.get("state") or "accepted")
    _fill(volunteer, data)
    if volunteer.state == "accepted":
        volunteer.decided_by_id, volunteer.decided_at = actor.id, utcnow()
    db.session.add(volunteer)
    db.session.flush()
    record(
        "volunteer.register", "volunteer", volunteer.id, {"kind": volunteer.kind, "state": volunteer.state}
    )
    return volunteer


def update(volunteer: Volunteer, data: dict, actor: Any) -> Volunteer:
    if not can(actor, COORDINATE):
        raise Forbidden(_("Your role cannot take this step."))
    _check({"kind": volunteer.kind, "organisation_name": volunteer.organisation_name, **data})
    _fill(volunteer, data)
    record("volunteer.update", "volunteer", volunteer.id, {"fields": sorted(data)})
    return volunteer


def decide(volunteer: Volunteer, outcome: str, actor: Any, reason: str | None = None) -> Volunteer:
    """Accept an offer, or decline it with a reason (the volunteer reads it); an accepted
    volunteer may later be made inactive (with a reason) and accepted again."""
    if not can(actor, COORDINATE):
        raise Forbidden(_("Your role cannot take this step."))
    allowed = {"accepted": ("applied", "inactive"), "declined": ("applied",), "inactive": ("accepted",)}
    if outcome not in allowed:
        raise Invalid({"outcome": [CHOOSE]})
    if volunteer.state not in allowed[outcome]:
        raise Conflict(_("This step does not apply to the volunteer's current state."))
    reason = (reason or "").strip() or None
    if outcome != "accepted" and reason is None:
        raise Invalid({"reason": [_l("Give the reason; the volunteer reads it.")]})
    volunteer.state, volunteer.decision_reason = outcome, reason
    volunteer.decided_by_id, volunteer.decided_at = actor.id, utcnow()
    record(f"volunteer.{outcome}", "volunteer", volunteer.id, {"state": outcome})
    tell_decision(volunteer)
    return volunteer

"""Supporters: recording and editing them, their pipeline stage, and contacts made with them —
only through a channel they consented to."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from ...auth.models import STAFF_ROLES, Membership, User
from ...calendar import today
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...validation import check_name, check_text
from ..models import CHANNELS, KINDS, STAGES, TRANSITIONS, ContactLog, Supporter
from .common import CHOOSE, audit, check_manage

NO_CONSENT = _l("The supporter has not agreed to be contacted through this channel.")
EDITABLE = (
    "kind",
    "name",
    "contact_name",
    "phone",
    "email",
    "city",
    "preferred_channel",
    "consent_channels",
    "owner_id",
    "note",
)


def _is_staff(user_id: int) -> bool:
    member = db.session.scalars(db.select(Membership).where(Membership.user_id == user_id)).first()
    return member is not None and bool(set(member.roles or []) & set(STAFF_ROLES))


def supporter_errors(data: dict) -> dict:
    """Every refusal for the fields of a supporter, ``{field: [messages]}``."""
    errors: dict = {}
    if "kind" in data and data["kind"] not in KINDS:
        errors["kind"] = [CHOOSE]
    if "name" in data:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = [_l("Give the supporter's name.")]
        elif problems := check_name(name) if data.get("kind") == "individual" else check_text(name):
            errors["name"] = problems
    for field in ("contact_name", "city", "note"):
        if problems := check_text(data.get(field)):
            errors[field] = problems
    consents = data.get("consent_channels") or []
    if any(c not in CHANNELS for c in consents):
        errors["consent_channels"] = [CHOOSE]
    channel = data.get("preferred_channel")
    if channel is not None:
        if channel not in CHANNELS:
            errors["preferred_channel"] = [CHOOSE]
        elif channel not in consents:
            errors["preferred_channel"] = [NO_CONSENT]
    if ("sms" in consents or "phone" in consents or "whatsapp" in consents) and not data.get("phone"):
        errors.setdefault("phone", []).append(_l("Give a phone number for the channels that need one."))
    if "email" in consents and not data.get("email"):
        errors.setdefault("email", []).append(
            _l("Give an e-mail address to contact the supporter by e-mail.")
        )
    owner = data.get("owner_id")
    if owner is not None and not _is_staff(owner):
        errors["owner_id"] = [_l("Choose a staff member of the association.")]
    return errors


def create_supporter(data: dict, actor: Any, *, on: date | None = None) -> Supporter:
    """A new supporter; a potential one starts as a ``prospect``."""
    check_manage(actor)
    on = on or today()
    data = {k: data.get(k) for k in EDITABLE}
    data["consent_channels"] = sorted(set(data.get("consent_channels") or []))
    if errors := supporter_errors({**data, "name": data.get("name")}):
        raise ValidationError(errors)
    supporter = Supporter(
        **{**data, "name": data["name"].strip()},
        stage="prospect",
        stage_changed_on=on,
        consent_recorded_on=on if data["consent_channels"] else None,
        created_on=on,
        created_by_id=actor.id,
    )
    db.session.add(supporter)
    db.session.flush()
    audit(
        "create",
        "supporter",
        supporter.id,
        actor,
        {"kind": supporter.kind, "consents": data["consent_channels"]},
    )
    return supporter


def update_supporter(supporter: Supporter, data: dict, actor: Any, *, on: date | None = None) -> Supporter:
    check_manage(actor)
    changes = {k: v for k, v in data.items() if k in EDITABLE}
    if "consent_channels" in changes:
        changes["consent_channels"] = sorted(set(changes["consent_channels"] or []))
    merged = {k: getattr(supporter, k) for k in EDITABLE} | changes
    if errors := supporter_errors(merged):
        raise ValidationError(errors)
    consent_changed = (
        "consent_channels" in changes and changes["consent_channels"] != supporter.consent_channels
    )
    for key, value in changes.items():
        setattr(supporter, key, value.strip() if key == "name" else value)
    if consent_changed:
        supporter.consent_recorded_on = on or today()
    db.session.flush()
    audit(
        "update",
        "supporter",
        supporter.id,
        actor,
        {"fields": sorted(changes), "consents": supporter.consent_channels if consent_changed else None},
    )
    return supporter


def allowed_stages(supporter: Supporter) -> tuple[str, ...]:
    return TRANSITIONS.get(supporter.stage, ())


def move_stage(
    supporter: Supporter, to: str, actor: Any, *, on: date | None = None, reason: str = ""
) -> Supporter:
    """Move along the pipeline; only the transitions of ``TRANSITIONS`` (audited)."""
    check_manage(actor)
    if to not in STAGES or to not in allowed_stages(supporter):
        raise ValidationError(
            {"stage": [_l("This supporter cannot move to that stage from where they are.")]}
        )
    set_stage(supporter, to, actor, on or today(), reason)
    return supporter


def set_stage(supporter: Supporter, to: str, actor: Any, on: date, reason: str) -> None:
    before = supporter.stage
    supporter.stage, supporter.stage_changed_on = to, on
    db.session.flush()
    audit("stage", "supporter", supporter.id, actor, {"from": before, "to": to, "reason": reason or None})


def became_active(supporter: Supporter, actor: Any, on: date) -> None:
    """A gift received makes the supporter active (from any stage, audited as such)."""
    if supporter.stage != "active":
        set_stage(supporter, "active", actor, on, "donation")


def record_contact(supporter: Supporter, data: dict, actor: Any) -> ContactLog:
    """A contact made through a channel: refused when the supporter did not consent to it. The
    first contact moves a prospect (or a lapsed supporter) to ``contacted``."""
    check_manage(actor)
    channel, on = data.get("channel"), data.get("contacted_on") or today()
    errors: dict = {}
    if channel not in CHANNELS:
        errors["channel"] = [CHOOSE]
    elif not supporter.consents_to(channel):
        errors["channel"] = [NO_CONSENT]
    if on > today():
        errors["contacted_on"] = [_l("The date cannot be in the future.")]
    if problems := check_text(data.get("note")):
        errors["note"] = problems
    if errors:
        raise ValidationError(errors)
    log = ContactLog(
        supporter_id=supporter.id, channel=channel, contacted_on=on, note=data.get("note"), by_id=actor.id
    )
    db.session.add(log)
    db.session.flush()
    audit("contact", "supporter", supporter.id, actor, {"channel": channel})
    if supporter.stage in ("prospect", "lapsed"):
        set_stage(supporter, "contacted", actor, on, "contact")
    return log


def contact_targets(supporter: Supporter) -> dict[str, str | None]:
    """The addresses a message may go to: e-mail and SMS only with the supporter's consent."""
    return {
        "email": supporter.email if supporter.consents_to("email") else None,
        "phone": supporter.phone if supporter.consents_to("sms") else None,
    }


def contacts_of(supporter: Supporter) -> list[ContactLog]:
    return list(
        db.session.scalars(
            db.select(ContactLog)
            .where(ContactLog.supporter_id == supporter.id)
            .order_by(ContactLog.contacted_on.desc(), ContactLog.id.desc())
        )
    )


def staff_members() -> list:
    """The association's staff (candidates to own a relationship), as ``(user_id, name)``."""
    rows = db.session.execute(
        db.select(Membership.user_id, Membership.roles, User.name, User.email).join(
            User, User.id == Membership.user_id
        )
    ).all()
    return [(r.user_id, r.name or r.email) for r in rows if set(r.roles or []) & set(STAFF_ROLES)]

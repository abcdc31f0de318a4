"""Settings and rule versions: the tenant's rules as data, and the version in force.

Every recorded decision (assessment, violation, round, proposal) keeps the id of the rule
version it applied, so a later change of the settings never rewrites the past."""

from __future__ import annotations

import hashlib
import json

from core.toolkit import (
    audit_record,
    current_language,
    db,
    plugin_settings,
    require_tenant,
    utcnow,
)

from ..models import RuleVersion

PLUGIN_ID = "makkah_aid"


def settings() -> dict:
    return plugin_settings(PLUGIN_ID)


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_rule_version() -> RuleVersion:
    """The version of the settings in force now; a new one is written when they changed."""
    current = settings()
    digest = _digest(current)
    latest = db.session.scalars(
        db.select(RuleVersion).order_by(RuleVersion.effective_from.desc(), RuleVersion.id.desc()).limit(1)
    ).first()
    if latest is not None and latest.digest == digest:
        return latest
    version = RuleVersion(settings=current, digest=digest, effective_from=utcnow())
    db.session.add(version)
    db.session.flush()
    audit_record("makkah_aid.rules.version", "rule_version", version.id, {"digest": digest[:12]})
    return version


def rule_versions() -> list[RuleVersion]:
    return list(db.session.scalars(db.select(RuleVersion).order_by(RuleVersion.id.desc())))


def service_area(rule_settings: dict | None = None) -> list[str]:
    configured = (rule_settings or settings()).get("service_area") or []
    return list(configured) or [a for a in (require_tenant().service_area or []) if a and a.strip()]


def label(item: dict) -> str:
    """The Arabic or English label of a settings entry (band, violation, reason)."""
    return item.get(f"label_{current_language()}") or item.get("label_ar") or item.get("code", "")


def reason_entry(code: str, rule_settings: dict | None = None) -> dict | None:
    return next((r for r in (rule_settings or settings())["exclusion_reasons"] if r["code"] == code), None)

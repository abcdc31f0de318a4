"""Economic and community initiatives (seed 001, goal 3): needs study (text and an optional stored
document), design, an annual plan of activities (month, owner), status, and a quality score against
the tenant's criteria.

Rules, stated:
- The tenant's criteria carry weights that add up to 100 (a field error otherwise); they are
  replaced as a whole set.
- Scoring gives each criterion 0–10. The quality is the weighted percentage
  ``Σ weight × score / 10`` (kept exactly as points = ``Σ weight × score``, 0–1000) and the
  criteria used are kept with the scores, so later changes of the criteria do not rewrite it.
- An initiative *meets the target* when its quality is at least the tenant's target (setting
  ``initiative_quality_target``, default 95 %): points ≥ target × 10, no rounding.
- KPI: initiatives scored in the period that meet the target.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import NotFound, db, get_in_tenant, read_stored, store_file
from core.toolkit import today as tenant_today

from ..i18n import _l
from ..models_meetings import Initiative, InitiativeActivity, InitiativeCriterion
from ..schemas_meetings import (
    ActivityDoneSchema,
    ActivitySchema,
    CriteriaSchema,
    InitiativePatchSchema,
    InitiativeSchema,
    QualityScoresSchema,
)
from ._common import audit, settings

FILE_AREA = "productive_families_initiatives"
DEFAULT_CRITERIA = [
    ("ملاءمة المبادرة لاحتياج المجتمع", 25),
    ("وضوح الأهداف وقابليتها للقياس", 20),
    ("جودة التصميم والخطة التنفيذية", 20),
    ("الاستدامة المالية", 15),
    ("الشراكات والموارد", 10),
    ("آلية الرقابة والتقييم", 10),
]


def quality_target() -> int:
    return int(settings().get("initiative_quality_target", 95))


def criteria() -> list[InitiativeCriterion]:
    """The tenant's criteria in order (the seed's defaults on first use)."""
    rows = list(db.session.scalars(sa.select(InitiativeCriterion).order_by(InitiativeCriterion.position)))
    if rows:
        return rows
    for position, (name, weight) in enumerate(DEFAULT_CRITERIA):
        db.session.add(InitiativeCriterion(name=name, weight=weight, position=position))
    db.session.flush()
    return list(db.session.scalars(sa.select(InitiativeCriterion).order_by(InitiativeCriterion.position)))


def set_criteria(data: dict, actor: Any = None) -> list[InitiativeCriterion]:
    """Replace the criteria (weights summing to 100, checked before anything is written)."""
    values = CriteriaSchema().load(data)["criteria"]
    db.session.execute(sa.delete(InitiativeCriterion))
    for position, item in enumerate(values):
        db.session.add(InitiativeCriterion(name=item["name"], weight=item["weight"], position=position))
    db.session.flush()
    rows = criteria()
    audit("initiative.criteria", rows[0], {"criteria": len(rows)}, actor)
    return rows


def create_initiative(
    data: dict, actor: Any = None, *, study: bytes | None = None, study_filename: str | None = None
) -> Initiative:
    values = InitiativeSchema().load(data)
    stored = store_file(study, study_filename, FILE_AREA, "needs_file") if study else None
    initiative = Initiative(**values, needs_file=stored.as_dict() if stored else None)
    db.session.add(initiative)
    db.session.flush()
    audit("initiative.created", initiative, {"kind": initiative.kind, "file": bool(stored)}, actor)
    return initiative


def update_initiative(
    initiative: Initiative,
    data: dict,
    actor: Any = None,
    *,
    study: bytes | None = None,
    study_filename: str | None = None,
) -> Initiative:
    values = InitiativePatchSchema().load(data)
    stored = store_file(study, study_filename, FILE_AREA, "needs_file") if study else None
    before = initiative.status
    for key, value in values.items():
        setattr(initiative, key, value)
    if stored:
        initiative.needs_file = stored.as_dict()
    db.session.flush()
    details = {"fields": sorted(values), "file": bool(stored)}
    if initiative.status != before:
        details.update({"from": before, "to": initiative.status})
    audit("initiative.updated", initiative, details, actor)
    return initiative


def get_initiative(initiative_id: int) -> Initiative:
    initiative = get_in_tenant(Initiative, initiative_id)
    if initiative is None:
        raise NotFound(_l("No such initiative."))
    return initiative


def list_initiatives(limit: int = 200) -> list[Initiative]:
    query = sa.select(Initiative).order_by(Initiative.year.desc(), Initiative.title)
    return list(db.session.scalars(query.limit(limit)))


def needs_file_of(initiative: Initiative, actor: Any = None) -> tuple[bytes, str, str]:
    """The needs study document (bytes, file name, type); its download is audited."""
    stored = initiative.needs_file or {}
    if not stored.get("storage_key"):
        raise NotFound(_l("This initiative has no needs study document."))
    audit("initiative.file_downloaded", initiative, {}, actor)
    return (
        read_stored(stored["storage_key"]),
        stored.get("filename") or "needs-study",
        stored.get("content_type") or "application/octet-stream",
    )


def add_activity(initiative: Initiative, data: dict, actor: Any = None) -> InitiativeActivity:
    values = ActivitySchema().load(data)
    activity = InitiativeActivity(initiative_id=initiative.id, **values)
    db.session.add(activity)
    db.session.flush()
    audit("initiative.activity_added", initiative, {"month": activity.month}, actor)
    return activity


def set_activity_done(
    initiative: Initiative, activity_id: int, data: dict, actor: Any = None
) -> InitiativeActivity:
    """Mark an activity of the initiative's plan done (or not done again); audited on a change."""
    done = ActivityDoneSchema().load(data)["done"]
    activity = get_in_tenant(InitiativeActivity, activity_id)
    if activity is None or activity.initiative_id != initiative.id:
        raise NotFound(_l("No such activity in this initiative's plan."))
    if activity.done != done:
        activity.done = done
        db.session.flush()
        audit(
            "initiative.activity_done" if done else "initiative.activity_reopened",
            initiative,
            {"activity_id": activity.id},
            actor,
        )
    return activity


def activities_of(initiative: Initiative) -> list[InitiativeActivity]:
    query = (
        sa.select(InitiativeActivity)
        .where(InitiativeActivity.initiative_id == initiative.id)
        .order_by(InitiativeActivity.month, InitiativeActivity.id)
    )
    return list(db.session.scalars(query))


def points(weighted: list[tuple[int, int]]) -> int:
    """Σ weight × score over (weight, score 0–10) pairs: the quality in tenths of a percent."""
    return sum(weight * score for weight, score in weighted)


def meets(points_: int | None, target: int) -> bool | None:
    """Whether a quality of ``points_`` (tenths of a percent) reaches ``target`` percent."""
    return None if points_ is None else points_ >= target * 10


def score(initiative: Initiative, data: dict, actor: Any = None, today: date | None = None) -> Initiative:
    """Score each of the tenant's criteria 0–10 (every one, none other)."""
    given = QualityScoresSchema().load(data)["scores"]
    rows = criteria()
    known = {str(c.id) for c in rows}
    errors = {}
    missing = [c.name for c in rows if str(c.id) not in given]
    if missing:
        errors["scores"] = [_l("Score every criterion: %(names)s.", names="، ".join(missing))]
    if set(given) - known:
        errors["scores"] = [_l("Score only the association's criteria.")]
    if errors:
        raise ValidationError(errors)
    initiative.scores = [{"name": c.name, "weight": c.weight, "score": given[str(c.id)]} for c in rows]
    initiative.quality_points = points([(c.weight, given[str(c.id)]) for c in rows])
    initiative.scored_on = today or tenant_today()
    db.session.flush()
    audit("initiative.scored", initiative, {"points": initiative.quality_points}, actor)
    return initiative


def quality_percent(initiative: Initiative) -> float | None:
    return None if initiative.quality_points is None else initiative.quality_points / 10


def initiatives_meeting_target(start: date, end: date) -> int:
    """Initiatives scored in the period whose quality reaches the tenant's target."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Initiative.id)).where(
                Initiative.scored_on.between(start, end), Initiative.quality_points >= quality_target() * 10
            )
        )
        or 0
    )


def as_out(initiative: Initiative, with_activities: bool = False) -> dict:
    """The API's view of an initiative (quality in percent, meets the target)."""
    out = {
        c: getattr(initiative, c)
        for c in ("id", "kind", "title", "year", "status", "needs_study", "design", "scores", "scored_on")
    }
    out["has_needs_file"] = bool((initiative.needs_file or {}).get("storage_key"))
    out["quality_percent"] = quality_percent(initiative)
    out["meets_target"] = meets(initiative.quality_points, quality_target())
    if with_activities:
        out["activities"] = activities_of(initiative)
    return out

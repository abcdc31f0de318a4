"""The plugin's stored documents, kept outside the registry's documents table through core's
``FileSlot`` (checked like any upload, stored, read back, audited):

- the **procedure leaflet** of an activity in the tenant's licensing reference list (one per
  activity, which the list pairs with its issuing body); a new upload replaces the old one;
- an exhibition's **feasibility study** (one per exhibition, replaced the same way).

Uploads and reads are audited (the file's hash, never its content)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import FileSlot, NotFound, db, utcnow

from ..i18n import _l
from ..models_graduation import FeasibilityStudy, LicenceLeaflet
from ._common import PLUGIN_ID, settings
from .exhibitions import get_exhibition

LEAFLET_AREA = "productive_families_leaflets"
STUDY_AREA = "productive_families_studies"

LEAFLET = FileSlot(
    area=LEAFLET_AREA,
    stored_action=f"{PLUGIN_ID}.leaflet.stored",
    read_action=f"{PLUGIN_ID}.leaflet.read",
    missing=_l("No procedure leaflet is kept for this activity."),
)
STUDY = FileSlot(
    area=STUDY_AREA,
    stored_action=f"{PLUGIN_ID}.study.stored",
    read_action=f"{PLUGIN_ID}.study.read",
    missing=_l("No feasibility study is kept for this exhibition."),
)


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None


def licensed_activities() -> dict[str, dict]:
    """The tenant's list: activity code → {issuing_body}."""
    return settings()["licensed_activities"]


def leaflets() -> dict[str, LicenceLeaflet]:
    """The procedure leaflets kept, by activity."""
    return {row.activity: row for row in db.session.scalars(sa.select(LicenceLeaflet))}


def store_leaflet(
    activity: str, data: bytes | None, filename: str | None, actor: Any = None
) -> LicenceLeaflet:
    """Keep (or replace) the procedure leaflet of an activity on the licensing list."""
    if activity not in licensed_activities():
        raise ValidationError({"activity": [_l("This activity is not on the association's licensing list.")]})
    stored = LEAFLET.keep(data, filename, actor)
    leaflet = db.session.scalar(sa.select(LicenceLeaflet).where(LicenceLeaflet.activity == activity))
    leaflet = leaflet or LicenceLeaflet(activity=activity)
    leaflet.uploaded_by_id = _actor_id(actor)
    leaflet.uploaded_at = utcnow()
    return LEAFLET.attach(leaflet, stored, actor, {"activity": activity})


def get_leaflet(activity: str) -> LicenceLeaflet:
    leaflet = db.session.scalar(sa.select(LicenceLeaflet).where(LicenceLeaflet.activity == activity))
    if leaflet is None:
        raise NotFound(_l("No procedure leaflet is kept for this activity."))
    return leaflet


def download_leaflet(leaflet: LicenceLeaflet, actor: Any = None):
    """The leaflet's download (audited, committed; core's ``download_response``)."""
    return LEAFLET.download(leaflet, actor, {"activity": leaflet.activity})


def leaflet_of(activity: str) -> LicenceLeaflet | None:
    """The procedure leaflet kept for an activity that is on the tenant's licensing list (None when
    the activity needs no licence or no leaflet is kept)."""
    if activity not in licensed_activities():
        return None
    return db.session.scalar(sa.select(LicenceLeaflet).where(LicenceLeaflet.activity == activity))


def study_of(exhibition_id: int) -> FeasibilityStudy | None:
    return db.session.scalar(
        sa.select(FeasibilityStudy).where(FeasibilityStudy.exhibition_id == exhibition_id)
    )


def studies_of(exhibition_ids: list[int]) -> dict[int, FeasibilityStudy]:
    if not exhibition_ids:
        return {}
    rows = db.session.scalars(
        sa.select(FeasibilityStudy).where(FeasibilityStudy.exhibition_id.in_(exhibition_ids))
    )
    return {row.exhibition_id: row for row in rows}


def store_study(
    exhibition_id: int, data: bytes | None, filename: str | None, actor: Any = None
) -> FeasibilityStudy:
    """Keep (or replace) an exhibition's feasibility study."""
    exhibition = get_exhibition(exhibition_id)
    stored = STUDY.keep(data, filename, actor)
    study = study_of(exhibition.id) or FeasibilityStudy(exhibition_id=exhibition.id)
    study.uploaded_by_id = _actor_id(actor)
    study.uploaded_at = utcnow()
    return STUDY.attach(study, stored, actor, {"exhibition_id": exhibition.id})


def get_study(exhibition_id: int) -> FeasibilityStudy:
    get_exhibition(exhibition_id)
    study = study_of(exhibition_id)
    if study is None:
        raise NotFound(_l("No feasibility study is kept for this exhibition."))
    return study


def download_study(study: FeasibilityStudy, actor: Any = None):
    """The study's download (audited, committed; core's ``download_response``)."""
    return STUDY.download(study, actor, {"exhibition_id": study.exhibition_id})

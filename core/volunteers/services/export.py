"""The tenant's volunteers as an XLSX workbook for the coordinators (audited)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from ...audit import record
from ...extensions import db
from ..models import Assignment, Volunteer

COLUMNS = (
    "name", "phone", "email", "city", "kind", "organisation_name", "state", "skills", "days", "available_from",
    "available_to", "areas", "field_visits", "opportunities", "confirmed_hours", "created_at",
)  # fmt: skip


def export_xlsx(user: Any) -> bytes:
    """One row per volunteer with their confirmed hours (two queries)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("volunteers")
    sheet.append(list(COLUMNS))
    volunteers = db.session.scalars(db.select(Volunteer).order_by(Volunteer.id)).all()
    totals = {
        volunteer_id: (count, minutes)
        for volunteer_id, count, minutes in db.session.execute(
            db.select(
                Assignment.volunteer_id,
                db.func.count(),
                db.func.coalesce(db.func.sum(Assignment.confirmed_minutes), 0),
            )
            .where(Assignment.state == "assigned")
            .group_by(Assignment.volunteer_id)
        )
    }
    for v in volunteers:
        count, minutes = totals.get(v.id, (0, 0))
        values: dict[str, Any] = {c: getattr(v, c, None) for c in COLUMNS}
        for key in ("skills", "days", "areas"):
            values[key] = ", ".join(values[key] or [])
        for key in ("available_from", "available_to", "created_at"):
            values[key] = values[key].isoformat(timespec="minutes") if values[key] else None
        values["opportunities"] = count
        values["confirmed_hours"] = round(int(minutes) / 60, 1)
        sheet.append([values[c] for c in COLUMNS])
    record("volunteer.export", "volunteer", None, {"rows": len(volunteers)})
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

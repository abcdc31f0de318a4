"""The grievances a reader may see, as an XLSX workbook for the tenant's auditors (audited)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from ...extensions import db
from ..models import Grievance
from .access import audit_list, visible_filter

COLUMNS = (
    "number", "kind", "category", "channel", "state", "filed_on", "event_date", "due_date", "paused_days",
    "late_excuse_accepted", "outcome", "decided_on", "decided_in_time", "inadmissible_rule", "malicious",
    "appeals",
)  # fmt: skip


def export_xlsx(user: Any) -> bytes:
    """One row per grievance ``user`` may read; no complainant's name or contact (codes and dates)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("grievances")
    sheet.append(list(COLUMNS))
    rows = db.session.scalars(db.select(Grievance).where(visible_filter(user)).order_by(Grievance.id)).all()
    for g in rows:
        values: dict[str, Any] = {c: getattr(g, c, None) for c in COLUMNS}
        values["late_excuse_accepted"] = g.excuse_accepted_at is not None
        values["decided_in_time"] = None if g.decided_on is None else g.decided_on <= g.due_date
        values["appeals"] = len(g.appeals)
        sheet.append([v.isoformat() if isinstance(v, date) else v for v in (values[c] for c in COLUMNS)])
    audit_list(user, "export", len(rows))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

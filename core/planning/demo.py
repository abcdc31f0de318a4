"""The seed plans as demo data, loaded through the same import path users take: Al-Aoun's 2024
plan (seed 000, approved by its board) and Esrar's draft plan (seed 001, this year)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..aid.services import install_default_catalog
from ..calendar import today
from ..extensions import db
from . import importer
from .models import Plan
from .services.lifecycle import approve

SEEDS = Path(__file__).resolve().parent / "seeds"
# slug → (file, fiscal year (None: this year), title, board meeting (number, date) or None for a draft)
DEMO_PLANS = {
    "aoun-prisoners": ("aoun_2024.csv", 2024, "الخطة التشغيلية لعام ٢٠٢٤م", ("٣", date(2023, 12, 20))),
    "esrar": ("esrar_draft.csv", None, "مسودة الخطة التشغيلية للجمعية التعاونية إصرار للأسر المنتجة", None),
}


def load(tenant) -> None:
    spec = DEMO_PLANS.get(tenant.slug)
    if spec is None or db.session.scalars(db.select(Plan).limit(1)).first() is not None:
        return
    filename, year, title, board = spec
    path = SEEDS / filename
    if not path.exists():
        return
    install_default_catalog(tenant)  # the plan's aid programs name items of the catalog (idempotent)
    plan = importer.create_plan(
        path.read_bytes(),
        filename,
        fiscal_year=year or today(tenant).year,
        calendar="gregorian",
        title=title,
        actor=None,
    )
    if board is not None:
        approve(plan, None, *board)
    db.session.flush()

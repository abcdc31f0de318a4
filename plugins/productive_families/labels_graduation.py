"""Words for graduation's and the stored documents' codes (``register_labels``), the KPI sources of
graduation (``register_kpi_sources``) and its daily job (baselines for anchors recorded elsewhere)."""

from __future__ import annotations

from datetime import date

from core.toolkit import KpiSource, Periodic, Tenant

from .i18n import _l
from .services import graduation

P = "productive_families."

AUDIT_ACTIONS = {
    P + "graduation.baseline": _l("Baseline income taken from the registry"),
    P + "graduation.followed_up": _l("Income follow-up recorded"),
    P + "leaflet.stored": _l("Procedure leaflet stored"),
    P + "leaflet.read": _l("Procedure leaflet read"),
    P + "study.stored": _l("Feasibility study stored"),
    P + "study.read": _l("Feasibility study read"),
}
AUDIT_OBJECTS = {
    "IncomeFollowUp": _l("Income follow-up"),
    "LicenceLeaflet": _l("Procedure leaflet"),
    "FeasibilityStudy": _l("Feasibility study"),
}
FOLLOWUP_LABELS = {
    "upcoming": _l("Upcoming"),
    "due": _l("Due"),
    "overdue": _l("Overdue"),
}


def labels() -> dict:
    return {
        "productive_families_followup": FOLLOWUP_LABELS,
        "productive_families_anchor": {a.kind: a.label for a in graduation.anchors()},
    }


def income_rose_share(tenant: Tenant, start: date, end: date) -> float | None:
    return graduation.outcomes(start, end)["rose_share"]


def income_median_change(tenant: Tenant, start: date, end: date) -> int | None:
    return graduation.outcomes(start, end)["median_change"]


def producers_followed_up(tenant: Tenant, start: date, end: date) -> int:
    return graduation.outcomes(start, end)["followed_up"]


def followup_records(tenant: Tenant, start: date, end: date) -> list[dict]:
    """The follow-up that counts per producer in the period (what the three figures are made of)."""
    return graduation.counted_records(start, end)


def kpi_sources() -> list[KpiSource]:
    return [
        KpiSource(
            P + "income_rose_share",
            _l("Followed-up producers whose income rose"),
            "percent",
            income_rose_share,
            followup_records,
            P + "view",
        ),
        KpiSource(
            P + "income_median_change",
            _l("Median change of followed-up producers' monthly income"),
            "halalas",
            income_median_change,
            followup_records,
            P + "view",
        ),
        KpiSource(
            P + "producers_followed_up",
            _l("Producers followed up"),
            "count",
            producers_followed_up,
            followup_records,
            P + "view",
        ),
    ]


def graduation_job(today: date | None = None) -> dict:
    """The tenant in context's daily run: baselines of producers whose first anchor came from a
    part that does not capture it itself (training)."""
    return graduation.run_graduation_job(today)


GRADUATION = Periodic(
    "productive_families.graduation", graduation_job, every=3600, plugin="productive_families"
)

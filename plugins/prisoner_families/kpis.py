"""The plugin's KPI figures for a period (seed 000 goals 2–4), exposed through register_kpi_sources."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.toolkit import AidRequest, CatalogItem, Disbursement, KpiSource, Tenant, db, hooks, plugin_settings

from . import rules
from .i18n import _l
from .models import DebtEntry, Employment, FamilyLink, FollowUp, Placement


def aids_given(tenant: Tenant, start: date, end: date) -> int:
    """Disbursements in the period of the tenant's insolvency programs.

    The programs are the catalog codes of the ``insolvency_programs`` setting: by default
    the two the plugin installs in the catalog, relief of distress (تفريج كربة) and ma'ouna
    (برنامج معونة). Every such disbursement counts, whether or not its request names a debt
    case; a disbursement's own catalog item wins over its request's. Only this tenant's rows.
    """
    codes = plugin_settings("prisoner_families")["insolvency_programs"]
    item_id = sa.func.coalesce(Disbursement.catalog_item_id, AidRequest.catalog_item_id)
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Disbursement.id))
            .join(
                AidRequest,
                sa.and_(
                    AidRequest.id == Disbursement.request_id, AidRequest.tenant_id == Disbursement.tenant_id
                ),
            )
            .join(
                CatalogItem,
                sa.and_(CatalogItem.id == item_id, CatalogItem.tenant_id == Disbursement.tenant_id),
            )
            .where(
                Disbursement.tenant_id == tenant.id,
                Disbursement.disbursed_on.between(start, end),
                CatalogItem.code.in_(codes),
            )
        )
        or 0
    )


def amount_forgiven(tenant: Tenant, start: date, end: date) -> int:
    """Halalas the creditors forgave in the period."""
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(DebtEntry.amount_halalas), 0)).where(
                DebtEntry.kind == "forgiveness", DebtEntry.entry_date.between(start, end)
            )
        )
        or 0
    )


def did_not_return_percent(tenant: Tenant, start: date, end: date) -> float | None:
    """Share of participants followed up in the period who did not return to crime."""
    rows = db.session.execute(
        sa.select(FollowUp.prisoner_id, FollowUp.returned_to_crime).where(
            FollowUp.done_on.between(start, end), FollowUp.returned_to_crime.is_not(None)
        )
    ).all()
    returned: dict[int, bool] = {}
    for prisoner_id, outcome in rows:
        returned[prisoner_id] = returned.get(prisoner_id, False) or bool(outcome)
    return rules.did_not_return_percent(returned.values())


def _families_placed(start: date, end: date, kinds: tuple[str, ...]) -> int:
    """Distinct prisoners' families placed in the period: this plugin's placements and those other
    enabled plugins report (``collect_self_reliance_placements``: e.g. productive_families'
    exhibition booths) for a household linked to a prisoner — each family counted once."""
    own = set(
        db.session.scalars(
            sa.select(Placement.household_id).where(
                Placement.kind.in_(kinds), Placement.placed_on.between(start, end)
            )
        )
    )
    reported = {
        household_id
        for declared in hooks().collect_self_reliance_placements(start=start, end=end)
        for household_id, kind in declared or []
        if kind in kinds
    }
    if reported - own:
        linked = set(
            db.session.scalars(
                sa.select(FamilyLink.household_id).where(FamilyLink.household_id.in_(reported - own))
            )
        )
        own |= linked
    return len(own)


def canteen_families(tenant: Tenant, start: date, end: date) -> int:
    return _families_placed(start, end, ("school_canteen",))


def exhibition_families(tenant: Tenant, start: date, end: date) -> int:
    return _families_placed(start, end, ("exhibition",))


def self_reliant_families(tenant: Tenant, start: date, end: date) -> int:
    return _families_placed(start, end, ("school_canteen", "exhibition"))


def beneficiaries_employed(tenant: Tenant, start: date, end: date) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Employment.id)).where(Employment.employed_on.between(start, end))
        )
        or 0
    )


# Shown under the figure on the plugin's KPI page: what exactly is counted.
DESCRIPTIONS = {
    "prisoner_families.aids_given": _l(
        "Every disbursement in the period of the insolvency programs (by default relief of distress "
        "and ma'ouna, the catalog items this plugin installs), whether or not it pays a debt case."
    ),
}


def sources() -> list[KpiSource]:
    p = "prisoner_families."
    return [
        KpiSource(p + "aids_given", _l("Aids given to insolvent prisoners"), "count", aids_given),
        KpiSource(p + "amount_forgiven", _l("Total amount forgiven"), "halalas", amount_forgiven),
        KpiSource(
            p + "did_not_return_percent",
            _l("Followed-up participants who did not return to crime"),
            "percent",
            did_not_return_percent,
        ),
        KpiSource(
            p + "canteen_families", _l("Families placed in school canteens"), "count", canteen_families
        ),
        KpiSource(
            p + "exhibition_families", _l("Families placed in exhibitions"), "count", exhibition_families
        ),
        KpiSource(
            p + "self_reliant_families", _l("Families placed (self-reliance)"), "count", self_reliant_families
        ),
        KpiSource(
            p + "beneficiaries_employed", _l("Beneficiaries employed"), "count", beneficiaries_employed
        ),
    ]

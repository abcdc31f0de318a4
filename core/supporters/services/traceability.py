"""Traceability: what a restricted gift paid for, in aggregates only (amounts, shares, how many
households) — never a beneficiary's name or file.

The allocation rule. Restricted gifts are pooled by what they are restricted to: a program (an
item of the aid catalog) or a campaign (a season). The disbursements of those programs are taken
in date order (``disbursed_on``, then the order they were recorded); each draws first on its
program's pool, then on the pool of its program's season. Within a pool, gifts are consumed in
the order they were received (``received_on``, then receipt number), and a gift only pays for
disbursements made on or after the day it was received. What no gift covers was paid from the
association's general funds. The allocation runs over the whole history up to the end of the
period, so a gift spent before the period shows nothing in it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ...aid.models import CatalogItem, Disbursement
from ...extensions import db
from ...registry.models import BeneficiaryFile
from ...requests.models import AidRequest
from ..models import Donation, Supporter
from .common import audit, check_manage


@dataclass(frozen=True)
class Gift:
    id: int
    value: int
    received_on: date
    order: tuple  # (received_on, receipt year, receipt sequence)
    pool: tuple  # ("program", catalog item id) or ("campaign", season)


@dataclass(frozen=True)
class Paid:
    """A disbursement of a restricted program or campaign, with the household it reached."""

    id: int
    value: int
    on: date
    program: int | None
    season: str | None
    household: tuple


def allocate(gifts: list[Gift], disbursements: list[Paid]) -> dict[int, list[tuple[Paid, int]]]:
    """The rule of the module's docstring: ``{gift id: [(disbursement, halalas it covered)]}``."""
    pools: dict[tuple, list[Gift]] = defaultdict(list)
    for gift in sorted(gifts, key=lambda g: g.order):
        pools[gift.pool].append(gift)
    left = {g.id: g.value for g in gifts}
    covered: dict[int, list[tuple[Paid, int]]] = defaultdict(list)
    for paid in sorted(disbursements, key=lambda d: (d.on, d.id)):
        due = paid.value
        for pool in (("program", paid.program), ("campaign", paid.season)):
            for gift in pools.get(pool, ()):
                if due == 0:
                    break
                if gift.received_on > paid.on or left[gift.id] == 0:
                    continue
                take = min(due, left[gift.id])
                left[gift.id] -= take
                due -= take
                covered[gift.id].append((paid, take))
    return covered


def _gifts(end: date) -> list[Gift]:
    rows = db.session.execute(
        db.select(Donation).where(
            Donation.received_on <= end,
            sa.or_(Donation.catalog_item_id.is_not(None), Donation.season.is_not(None)),
        )
    ).scalars()
    return [
        Gift(
            id=d.id,
            value=d.value_halalas,
            received_on=d.received_on,
            order=(d.received_on, d.receipt_year, d.receipt_seq),
            pool=("program", d.catalog_item_id) if d.catalog_item_id is not None else ("campaign", d.season),
        )
        for d in rows
    ]


def _disbursements(gifts: list[Gift], end: date) -> list[Paid]:
    """The disbursements up to ``end`` of the programs and campaigns some gift is restricted to (one query)."""
    programs = {g.pool[1] for g in gifts if g.pool[0] == "program"}
    seasons = {g.pool[1] for g in gifts if g.pool[0] == "campaign"}
    if not (programs or seasons):
        return []
    program = sa.func.coalesce(Disbursement.catalog_item_id, AidRequest.catalog_item_id)
    query = (
        db.select(
            Disbursement.id,
            Disbursement.value_halalas,
            Disbursement.disbursed_on,
            program.label("program"),
            CatalogItem.season,
            BeneficiaryFile.household_id,
            Disbursement.request_id,
        )  # fmt: skip
        .join(
            AidRequest,
            (AidRequest.id == Disbursement.request_id) & (AidRequest.tenant_id == Disbursement.tenant_id),
        )
        .outerjoin(
            CatalogItem, (CatalogItem.id == program) & (CatalogItem.tenant_id == Disbursement.tenant_id)
        )
        .outerjoin(
            BeneficiaryFile,
            (BeneficiaryFile.id == AidRequest.file_id) & (BeneficiaryFile.tenant_id == AidRequest.tenant_id),
        )
        .where(Disbursement.disbursed_on <= end)
        .where(sa.or_(program.in_(programs or [-1]), CatalogItem.season.in_(seasons or [""])))
    )
    return [
        Paid(
            id=r.id,
            value=r.value_halalas,
            on=r.disbursed_on,
            program=r.program,
            season=r.season,
            # A request without a beneficiary file yet counts as a household of its own.
            household=("household", r.household_id)
            if r.household_id is not None
            else ("request", r.request_id),
        )
        for r in db.session.execute(query)
    ]


@dataclass
class GiftReport:
    """One restricted gift over a period: the program's (or campaign's) disbursements in the
    period, how much of them the gift covered, and how many households those reached."""

    donation: Donation
    program_disbursed: int = 0
    covered: int = 0
    households: int = 0
    unspent: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.covered / self.program_disbursed, 1) if self.program_disbursed else None


@dataclass
class SupporterReport:
    supporter: Supporter
    start: date
    end: date
    received: int = 0
    restricted: int = 0
    covered: int = 0
    households: int = 0
    gifts: list[GiftReport] = field(default_factory=list)


def _in_pool(paid: Paid, pool: tuple) -> bool:
    return paid.program == pool[1] if pool[0] == "program" else paid.season == pool[1]


def supporter_report(supporter: Supporter, start: date, end: date) -> SupporterReport:
    """The supporter's report for ``start``..``end``: their gifts received in the period, and for
    every restricted gift of theirs what it covered of the disbursements made in the period."""
    gifts = _gifts(end)
    paid = _disbursements(gifts, end)
    covered = allocate(gifts, paid)
    in_period = [p for p in paid if start <= p.on <= end]
    donations = list(
        db.session.scalars(
            db.select(Donation)
            .where(Donation.supporter_id == supporter.id, Donation.received_on <= end)
            .order_by(Donation.received_on, Donation.receipt_year, Donation.receipt_seq)
        )
    )
    report = SupporterReport(supporter, start, end)
    by_id = {g.id: g for g in gifts}
    reached: set[tuple] = set()
    for donation in donations:
        if start <= donation.received_on <= end:
            report.received += donation.value_halalas
            report.restricted += donation.value_halalas if donation.restricted else 0
        gift = by_id.get(donation.id)
        if gift is None:
            continue
        mine = [(p, v) for p, v in covered.get(gift.id, []) if start <= p.on <= end]
        households = {p.household for p, _v in mine}
        entry = GiftReport(
            donation,
            program_disbursed=sum(p.value for p in in_period if _in_pool(p, gift.pool)),
            covered=sum(v for _p, v in mine),
            households=len(households),
            unspent=gift.value - sum(v for _p, v in covered.get(gift.id, [])),
        )
        if entry.covered or start <= donation.received_on <= end:
            report.gifts.append(entry)
        reached |= households
    report.covered = sum(g.covered for g in report.gifts)
    report.households = len(reached)
    return report


def report_view(report: SupporterReport) -> dict:
    """The report as plain data (the API's answer; the page reads the same figures)."""
    return {
        "supporter_id": report.supporter.id,
        "start": report.start,
        "end": report.end,
        "received": report.received,
        "restricted": report.restricted,
        "covered": report.covered,
        "households": report.households,
        "gifts": [
            {
                "donation_id": g.donation.id,
                "receipt_number": g.donation.receipt_number,
                "received_on": g.donation.received_on,
                "amount": g.donation.value_halalas,
                "catalog_item_id": g.donation.catalog_item_id,
                "season": g.donation.season,
                "program_disbursed": g.program_disbursed,
                "covered": g.covered,
                "share_percent": g.share,
                "households": g.households,
                "unspent": g.unspent,
            }
            for g in report.gifts
        ],
    }


def produce_report(supporter: Supporter, start: date, end: date, actor) -> SupporterReport:
    """The supporter's report for someone who does the fundraising (audited: who produced it)."""
    check_manage(actor)
    audit("report", "supporter", supporter.id, actor, {"start": start.isoformat(), "end": end.isoformat()})
    return supporter_report(supporter, start, end)

"""Business rules as plain functions: data in, data out (no request, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from core.toolkit import add_months

from .settings import DEFAULT_CATALOG

# --------------------------------------------------------------------------- debt cases


class SettlementRefused(ValueError):
    """A change of a debt case breaks its invariants; ``code`` says which."""

    def __init__(self, code: str, **figures: int):
        super().__init__(code)
        self.code = code
        self.figures = figures


@dataclass(frozen=True)
class DebtTotals:
    claimed: int
    forgiven: int = 0
    paid_by_association: int = 0
    paid_by_others: int = 0

    @property
    def settled(self) -> int:
        return self.forgiven + self.paid_by_association + self.paid_by_others

    @property
    def remaining(self) -> int:
        return self.claimed - self.settled


ENTRY_FIELDS = {
    "forgiveness": "forgiven",
    "association_payment": "paid_by_association",
    "other_payment": "paid_by_others",
}


def settle(totals: DebtTotals, kind: str, amount: int, *, closed: bool = False) -> DebtTotals:
    """The totals after forgiving or paying ``amount`` halalas; refuses what breaks the rules:
    amounts are positive, nothing changes on a closed case, forgiven + paid ≤ claimed."""
    if closed:
        raise SettlementRefused("case_closed")
    if kind not in ENTRY_FIELDS:
        raise SettlementRefused("unknown_kind")
    if amount <= 0:
        raise SettlementRefused("amount_not_positive")
    if amount > totals.remaining:
        raise SettlementRefused("exceeds_remaining", remaining=totals.remaining, amount=amount)
    field = ENTRY_FIELDS[kind]
    return replace(totals, **{field: getattr(totals, field) + amount})


def may_close(remaining: int, released: bool) -> bool:
    """A debt case closes when nothing remains and the prisoner's release is recorded."""
    return remaining == 0 and released


# --------------------------------------------------------------------------- rehabilitation


def attendance_percent(present: int, held: int) -> float | None:
    """Share of the held sessions attended, in percent (None before any session)."""
    if held <= 0:
        return None
    return round(100.0 * present / held, 1)


def completed(present: int, held: int, min_percent: int) -> bool:
    """Attended at least the program's minimum share of its sessions (exact, no rounding)."""
    return held > 0 and present * 100 >= min_percent * held


def interview_ok(requires_interview: bool, outcome: str | None) -> bool:
    return not requires_interview or outcome == "passed"


def follow_up_schedule(released_on: date, months: Iterable[int]) -> list[tuple[int, date]]:
    """The follow-up dates of a released participant: ``months`` after release."""
    return [(m, add_months(released_on, m)) for m in sorted(set(months))]


def did_not_return_percent(outcomes: Iterable[bool]) -> float | None:
    """Share of followed-up participants who did not return to crime (per participant:
    one return at any follow-up counts as a return). None when nobody was followed up."""
    outcomes = list(outcomes)
    if not outcomes:
        return None
    return round(100.0 * sum(1 for returned in outcomes if not returned) / len(outcomes), 1)


# --------------------------------------------------------------------------- eligibility (seed 002)

RELATIONS = ("prisoner", "released_prisoner", "prisoner_family")


@dataclass(frozen=True)
class EligibilityFacts:
    relation: str | None  # prisoner / released_prisoner / prisoner_family / None
    city: str | None
    id_type: str | None  # citizen / resident / None
    id_expired: bool
    file_status: str | None  # registry file status, None without a file
    enrolled: bool = False  # enrolled in one of the association's programs


@dataclass(frozen=True)
class Outcome:
    code: str
    passed: bool
    reason: str  # a key of views' reason texts
    figures: dict


def _clean(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def service_area(plugin_area: Iterable[str], tenant_area: Iterable[str]) -> list[str]:
    """The plugin's own list when set, else the tenant's."""
    own = [a.strip() for a in plugin_area if a and a.strip()]
    return own or [a.strip() for a in tenant_area if a and a.strip()]


def eligibility(facts: EligibilityFacts, area: list[str]) -> list[Outcome]:
    """The three conditions of seed 002, each passed or failed with the reason."""
    in_scope = facts.relation in RELATIONS
    in_area = bool(area) and _clean(facts.city) in {_clean(a) for a in area}
    if not in_scope:
        scope = Outcome(
            "scope", False, "not_in_scope", {"relation": facts.relation, "city": facts.city or ""}
        )
    elif not area:
        scope = Outcome("scope", False, "no_service_area", {"relation": facts.relation, "service_area": []})
    elif not in_area:
        scope = Outcome(
            "scope",
            False,
            "outside_area",
            {"relation": facts.relation, "city": facts.city or "", "service_area": area},
        )
    else:
        scope = Outcome(
            "scope", True, "in_scope", {"relation": facts.relation, "city": facts.city, "service_area": area}
        )

    if facts.id_type not in ("citizen", "resident"):
        residency = Outcome("residency", False, "no_id", {"id_type": facts.id_type})
    elif facts.id_expired:
        residency = Outcome("residency", False, "id_expired", {"id_type": facts.id_type})
    else:
        residency = Outcome("residency", True, facts.id_type, {"id_type": facts.id_type})

    if facts.file_status == "active" or facts.enrolled:
        registered = Outcome(
            "registered", True, "registered", {"file_status": facts.file_status, "enrolled": facts.enrolled}
        )
    elif facts.file_status is None:
        registered = Outcome("registered", False, "no_file", {"file_status": None, "enrolled": False})
    else:
        registered = Outcome(
            "registered", False, "file_not_active", {"file_status": facts.file_status, "enrolled": False}
        )
    return [scope, residency, registered]


# --------------------------------------------------------------------------- catalog


def effective_catalog(overrides: dict) -> list[dict]:
    """The seed catalog with the tenant's overrides applied (disabled items left out)."""
    items = []
    for base in DEFAULT_CATALOG:
        item = {"default_value_halalas": None, "seasonal": False, "season": None, **base}
        override = dict(overrides.get(item["code"]) or {})
        if not override.pop("enabled", True):
            continue
        item.update({k: v for k, v in override.items() if v is not None or k == "default_value_halalas"})
        items.append(item)
    return items

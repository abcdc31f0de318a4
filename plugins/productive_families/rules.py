"""Plain rules, no database: licence states, the expiry warning, public contact links."""

from __future__ import annotations

import re
from datetime import date

from core.toolkit import normalize_digits

# Allowed licence changes. ``none → applied → issued → expired``; an application may be withdrawn
# (back to ``none``) or refused; an expired licence is renewed by applying again.
LICENCE_TRANSITIONS = {
    "none": ("applied",),
    "applied": ("issued", "none"),
    "issued": ("expired",),
    "expired": ("applied",),
}


def can_change_licence(current: str, target: str) -> bool:
    return target in LICENCE_TRANSITIONS.get(current, ())


def licence_warning_due(
    status: str, expires_on: date | None, today: date, days: int, warned_for: date | None = None
) -> bool:
    """An issued licence is warned once per term, from ``days`` days before its expiry up to the
    expiry day itself: ``0 <= expires_on - today <= days`` and no warning sent for this expiry date."""
    if status != "issued" or expires_on is None or warned_for == expires_on:
        return False
    return 0 <= (expires_on - today).days <= days


def licence_has_expired(status: str, expires_on: date | None, today: date) -> bool:
    """An issued licence expires the day after its expiry date."""
    return status == "issued" and expires_on is not None and expires_on < today


def needs_licence(activity: str, licensed_activities: dict) -> bool:
    return activity in licensed_activities


SAUDI_MOBILE = re.compile(r"^(?:\+?966|00966|0)?(5\d{8})$")


def whatsapp_number(text: str | None) -> str | None:
    """A Saudi mobile in any digit script and form (05…, 9665…, +966 5…) as ``9665XXXXXXXX``;
    ``None`` when it is not one."""
    digits = re.sub(r"[\s\-()]", "", normalize_digits(text or ""))
    match = SAUDI_MOBILE.match(digits)
    return f"966{match.group(1)}" if match else None


def whatsapp_link(number: str) -> str:
    return f"https://wa.me/{number}"


def local_mobile(number: str | None) -> str:
    """``9665XXXXXXXX`` as people write it (``05XXXXXXXX``)."""
    return f"0{number[3:]}" if number and number.startswith("966") else (number or "")


def allocation_order(applicants: list[dict], had_booth_last_time: set[int]) -> list[dict]:
    """The order in which applicants get booths — the fair rotation rule:

    1. families that did **not** have a booth at the previous exhibition come first (when places
       are short, those that had one yield);
    2. then the higher score against the exhibition's criteria (an unscored one counts 0);
    3. then the earlier application, then the lower id (a stable, stated tie-break).

    ``applicants``: dicts with ``id``, ``producer_id``, ``score``, ``applied_at``."""
    return sorted(
        applicants,
        key=lambda a: (a["producer_id"] in had_booth_last_time, -(a["score"] or 0), a["applied_at"], a["id"]),
    )


def allocate_booths(
    applicants: list[dict], booths: int, had_booth_last_time: set[int]
) -> dict[int, int | None]:
    """Application id → booth number (1…``booths`` in allocation order) or ``None`` (not selected)."""
    order = allocation_order(applicants, had_booth_last_time)
    return {a["id"]: (rank + 1 if rank < booths else None) for rank, a in enumerate(order)}


WEIGHTS_TOTAL = 100


def weights_sum_to_100(criteria: list[dict]) -> bool:
    return sum(int(c["weight"]) for c in criteria) == WEIGHTS_TOTAL


def weighted_total(scores: list[dict], criteria: list[dict]) -> float:
    """A nomination's total out of 100: each judge's ``sum(score / 10 × weight)``, averaged over
    the judges who submitted (0 when none has)."""
    if not scores:
        return 0.0
    per_judge = [sum(s.get(c["code"], 0) / 10 * c["weight"] for c in criteria) for s in scores]
    return round(sum(per_judge) / len(per_judge), 2)


def rank(entries: list[dict], criteria: list[dict]) -> list[dict]:
    """Entries (``id``, ``total``, ``scores``: the judges' score dicts) best first. Ties on the
    total go to the higher mean score on the heaviest criterion (the first listed among equally
    heavy ones), then to the earlier nomination (lower id). Each entry gets ``rank`` (1, 2, …)."""
    heaviest = max(criteria, key=lambda c: c["weight"])["code"] if criteria else None

    def heaviest_mean(entry: dict) -> float:
        values = [s.get(heaviest, 0) for s in entry["scores"]] if heaviest else []
        return sum(values) / len(values) if values else 0.0

    ordered = sorted(entries, key=lambda e: (-e["total"], -heaviest_mean(e), e["id"]))
    for position, entry in enumerate(ordered, start=1):
        entry["rank"] = position
    return ordered


# A financing request: referred to a body, then approved or rejected; an approved one disbursed.
FINANCING_TRANSITIONS = {"referred": ("approved", "rejected"), "approved": ("disbursed",)}


def can_change_financing(current: str, target: str) -> bool:
    return target in FINANCING_TRANSITIONS.get(current, ())

"""Budget planned against spent, by executing department and by month."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from .figures import ZERO, ActivityFigures, PlanFigures


def planned_cost_by_month(fig: ActivityFigures) -> list[int]:
    """An activity's cost spread over the months its counts fall in (evenly over the year for
    continuous work, a duration or no schedule). Halalas, rounded; the sum is the cost."""
    cost = fig.activity.cost_halalas or 0
    if not cost:
        return [0] * 12
    weights = fig.planned if sum(fig.planned, ZERO) else [Decimal(1)] * 12
    total = sum(weights, ZERO)
    shares = [int(cost * w / total) for w in weights]
    shares[max(range(12), key=lambda i: weights[i])] += cost - sum(shares)
    return shares


def by_department(figures: PlanFigures) -> list[dict]:
    rows: OrderedDict[str, dict] = OrderedDict()
    for fig in figures.activities:
        name = fig.activity.department or ""
        row = rows.setdefault(name, {"department": name, "planned": 0, "spent": 0})
        row["planned"] += fig.activity.cost_halalas or 0
        row["spent"] += fig.spend_total
    return sorted(rows.values(), key=lambda r: -r["planned"])


def by_month(figures: PlanFigures) -> list[dict]:
    planned, spent = [0] * 12, [0] * 12
    for fig in figures.activities:
        for index, value in enumerate(planned_cost_by_month(fig)):
            planned[index] += value
        for index, value in enumerate(fig.spend):
            spent[index] += value
    return [{"month": i + 1, "planned": planned[i], "spent": spent[i]} for i in range(12)]


def totals(figures: PlanFigures) -> dict:
    return {
        "planned": sum(f.activity.cost_halalas or 0 for f in figures.activities),
        "spent": sum(f.spend_total for f in figures.activities),
    }

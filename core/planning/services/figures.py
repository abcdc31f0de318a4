"""Plan against actual: every activity's planned and actual counts and spend per month, every
indicator's actual (from its KPI source, or entered by hand), the status of each with the rule
that decided it, the year-end forecast, and the goals' roll-up. Plain functions over the data;
the pages, API, exports and tests read :func:`plan_figures`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ...aid.models import Disbursement
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...kpi import KpiSource, kpi_sources
from ...tenancy import current_tenant
from ..models import Activity, ActivityProgress, Goal, Indicator, IndicatorProgress, Plan
from .periods import elapsed_fraction, month_ranges, months_ended, months_started, year_range

ZERO = Decimal(0)
STATUS_ORDER = ("behind", "on_track", "done", "not_measured")


@dataclass
class Status:
    code: str  # on_track / behind / done / not_measured
    rule: str  # the rule that decided it, in words


@dataclass
class ActivityFigures:
    activity: Activity
    source: str | None  # catalog (its program's disbursements) / manual / None (nothing measured)
    planned: list[Decimal]  # per month (quarters are due at their third month)
    actual: list[Decimal]
    spend: list[int]  # halalas per month
    planned_total: Decimal | None
    planned_to_date: Decimal
    actual_total: Decimal
    spend_total: int
    status: Status


@dataclass
class IndicatorFigures:
    indicator: Indicator
    source: str | None  # kpi / manual / None
    source_label: str
    monthly: list[Decimal | None]
    actual: Decimal | None
    status: Status
    projected: Decimal | None = None
    will_miss: bool = False


@dataclass
class GoalFigures:
    goal: Goal
    indicators: list[IndicatorFigures]
    activities: list[ActivityFigures]
    status: Status
    cost_halalas: int = 0


@dataclass
class PlanFigures:
    plan: Plan
    today: date
    months: list[tuple[date, date]]
    elapsed: Decimal
    goals: list[GoalFigures] = field(default_factory=list)

    @property
    def activities(self) -> list[ActivityFigures]:
        return [a for g in self.goals for a in g.activities]

    @property
    def indicators(self) -> list[IndicatorFigures]:
        return [i for g in self.goals for i in g.indicators]


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = value.quantize(Decimal("0.1")).normalize()
    return f"{value:f}"


def planned_months(activity: Activity) -> list[Decimal]:
    """Planned count per month; a quarter's count falls due in its third month."""
    if activity.months:
        return [_dec(v) for v in activity.months]
    months = [ZERO] * 12
    for index, value in enumerate(activity.quarters or []):
        months[index * 3 + 2] += _dec(value)
    return months


def planned_total(activity: Activity) -> Decimal | None:
    if activity.planned_quantity is not None:
        return Decimal(activity.planned_quantity)
    total = sum(planned_months(activity), ZERO)
    return total or None


# --------------------------------------------------------------------------- activities


def _catalog_actuals(plan: Plan, months, item_ids: set[int]) -> dict[int, tuple[list, list]]:
    """Per catalog item: the count and halalas of its disbursements in each month (one query)."""
    result: dict[int, tuple[list, list]] = {i: ([ZERO] * 12, [0] * 12) for i in item_ids}
    if not item_ids:
        return result
    start, end = year_range(months)
    rows = db.session.execute(
        db.select(Disbursement.catalog_item_id, Disbursement.disbursed_on, Disbursement.value_halalas).where(
            Disbursement.catalog_item_id.in_(item_ids),
            Disbursement.disbursed_on >= start,
            Disbursement.disbursed_on <= end,
        )
    ).all()
    for item_id, day, value in rows:
        index = next(i for i, (s, e) in enumerate(months) if s <= day <= e)
        counts, spends = result[item_id]
        counts[index] += 1
        spends[index] += int(value)
    return result


def _manual_actuals(activity_ids: list[int]) -> dict[int, tuple[list, list]]:
    result: dict[int, tuple[list, list]] = {}
    if not activity_ids:
        return result
    rows = db.session.scalars(
        db.select(ActivityProgress).where(ActivityProgress.activity_id.in_(activity_ids))
    )
    for row in rows:
        counts, spends = result.setdefault(row.activity_id, ([ZERO] * 12, [0] * 12))
        counts[row.month - 1] = _dec(row.count)
        spends[row.month - 1] = row.spend_halalas or 0
    return result


def activity_status(
    planned: list[Decimal], total: Decimal | None, actual: Decimal, source: str | None, ended: int,
    continuous: bool,
) -> tuple[Status, Decimal]:  # fmt: skip
    """Done once the planned total is reached; on track while the actual keeps up with the months
    already ended; behind otherwise; not measured when nothing measures it."""
    due = sum(planned[:ended], ZERO)
    if source is None:
        return Status("not_measured", str(_l("Nothing measures this activity: link an aid program or enter its progress."))), due  # fmt: skip
    if total and actual >= total:
        return Status("done", str(_l("%(actual)s done of %(planned)s planned.", actual=_fmt(actual), planned=_fmt(total)))), due  # fmt: skip
    if continuous and not total:
        return Status("on_track", str(_l("Continuous work: %(actual)s recorded so far.", actual=_fmt(actual)))), due  # fmt: skip
    if actual >= due:
        return Status("on_track", str(_l("%(actual)s done; %(due)s were planned by the end of the months gone by.", actual=_fmt(actual), due=_fmt(due)))), due  # fmt: skip
    return Status("behind", str(_l("%(actual)s done; %(due)s were planned by the end of the months gone by.", actual=_fmt(actual), due=_fmt(due)))), due  # fmt: skip


def _activity_figures(
    plan: Plan, activities: list[Activity], months, today: date
) -> dict[int, ActivityFigures]:
    catalog = _catalog_actuals(plan, months, {a.catalog_item_id for a in activities if a.catalog_item_id})
    manual = _manual_actuals([a.id for a in activities if not a.catalog_item_id])
    ended = months_ended(months, today)
    out = {}
    for activity in activities:
        if activity.catalog_item_id:
            source, (actual, spend) = "catalog", catalog[activity.catalog_item_id]
        elif activity.id in manual:
            source, (actual, spend) = "manual", manual[activity.id]
        else:
            source, actual, spend = None, [ZERO] * 12, [0] * 12
        planned = planned_months(activity)
        total = planned_total(activity)
        actual_total = sum(actual, ZERO)
        status, due = activity_status(planned, total, actual_total, source, ended, activity.continuous)
        out[activity.id] = ActivityFigures(
            activity, source, planned, actual, spend, total, due, actual_total, sum(spend), status
        )
    return out


# --------------------------------------------------------------------------- indicators


def _target_words(indicator: Indicator) -> str:
    return indicator.target_text or "—"


def _meets(indicator: Indicator, value: Decimal) -> bool:
    low, high = indicator.target_low, indicator.target_high
    if indicator.comparison == "at_most":
        return value <= (high if high is not None else low)
    if indicator.comparison == "between":
        return (low is None or value >= low) and (high is None or value <= high)
    if indicator.comparison == "equals":
        return value == low
    return value >= low


def indicator_status(indicator: Indicator, actual: Decimal | None, elapsed: Decimal) -> Status:
    """A rate (a percent target) is compared as it stands; a cumulative figure (a count, SAR)
    against the share of its target due by now (the target × the share of the year gone by)."""
    if indicator.target_kind != "number" or indicator.target_low is None and indicator.target_high is None:
        return Status("not_measured", str(_l("The target is in words; no figure can be compared with it.")))
    if actual is None:
        return Status("not_measured", str(_l("No figure for this indicator yet.")))
    target = _target_words(indicator)
    if indicator.target_unit == "percent" or indicator.comparison in ("at_most", "between"):
        if _meets(indicator, actual):
            code = "done" if elapsed >= 1 else "on_track"
            return Status(
                code, str(_l("%(actual)s meets the target %(target)s.", actual=_fmt(actual), target=target))
            )
        return Status("behind", str(_l("%(actual)s does not meet the target %(target)s.", actual=_fmt(actual), target=target)))  # fmt: skip
    goal = indicator.target_low
    if actual >= goal:
        return Status(
            "done", str(_l("%(actual)s reached the target %(target)s.", actual=_fmt(actual), target=target))
        )
    due = goal * elapsed
    words = _l("%(actual)s against %(due)s due by now (the target %(target)s × %(share)s%% of the year gone by).",
               actual=_fmt(actual), due=_fmt(due), target=target, share=_fmt(elapsed * 100))  # fmt: skip
    return Status("on_track" if actual >= due else "behind", str(words))


def forecast(indicator: Indicator, actual: Decimal | None, elapsed: Decimal) -> tuple[Decimal | None, bool]:
    """The projected year-end value from the pace so far, and whether it misses the target.
    A rate is projected as it stands; a cumulative figure as actual ÷ share of the year gone by."""
    if actual is None or indicator.target_kind != "number" or elapsed <= 0:
        return None, False
    if indicator.target_low is None and indicator.target_high is None:
        return None, False
    rate = indicator.target_unit == "percent" or indicator.comparison in ("at_most", "between")
    projected = actual if rate else actual / elapsed
    return projected, not _meets(indicator, projected)


def _sources_by_key() -> dict[str, KpiSource]:
    tenant = current_tenant()
    return {s.key: s for s in kpi_sources(tenant)} if tenant is not None else {}


def kpi_figure(source: KpiSource, start: date, end: date, target_unit: str | None) -> Decimal | None:
    value = source.compute(current_tenant(), start, end)
    if value is None:
        return None
    value = Decimal(str(value))
    if source.unit == "halalas" and target_unit in ("sar", None):
        value = value / 100
    return value


def _indicator_figures(indicators: list[Indicator], months, today: date, elapsed: Decimal) -> dict[int, IndicatorFigures]:  # fmt: skip
    sources = _sources_by_key() if any(i.kpi_source for i in indicators) else {}
    manual_rows = db.session.scalars(
        db.select(IndicatorProgress).where(IndicatorProgress.indicator_id.in_([i.id for i in indicators]))
    ).all() if indicators else []  # fmt: skip
    manual: dict[int, list] = defaultdict(lambda: [None] * 12)
    for row in manual_rows:
        manual[row.indicator_id][row.month - 1] = _dec(row.value)
    started = months_started(months, today)
    start, end = year_range(months)
    out = {}
    for indicator in indicators:
        monthly: list[Decimal | None] = [None] * 12
        actual = None
        source, label = None, ""
        if indicator.kpi_source:
            kpi = sources.get(indicator.kpi_source)
            if kpi is None:
                status = Status("not_measured", str(_l("The measure %(key)s is not available to this association.", key=indicator.kpi_source)))  # fmt: skip
                out[indicator.id] = IndicatorFigures(
                    indicator, None, indicator.kpi_source, monthly, None, status
                )
                continue
            source, label = "kpi", str(kpi.label)
            for index in range(started):
                monthly[index] = kpi_figure(kpi, *months[index], indicator.target_unit)
            if started:
                actual = kpi_figure(kpi, start, min(end, max(today, start)), indicator.target_unit)
        elif indicator.id in manual:
            source, label = "manual", str(_l("Entered by hand"))
            monthly = manual[indicator.id]
            values = [v for v in monthly if v is not None]
            rate = indicator.target_unit == "percent"
            actual = (values[-1] if rate else sum(values, ZERO)) if values else None
        status = indicator_status(indicator, actual, elapsed)
        projected, miss = forecast(indicator, actual, elapsed) if elapsed < 1 else (actual, False)
        out[indicator.id] = IndicatorFigures(
            indicator, source, label, monthly, actual, status, projected, miss
        )
    return out


# --------------------------------------------------------------------------- goals and the plan


def goal_status(statuses: list[Status]) -> Status:
    measured = [s for s in statuses if s.code != "not_measured"]
    behind = sum(1 for s in measured if s.code == "behind")
    words = str(_l("%(measured)s of %(total)s measured; %(behind)s behind.", measured=len(measured),
                   total=len(statuses), behind=behind))  # fmt: skip
    if not measured:
        return Status("not_measured", words)
    if behind:
        return Status("behind", words)
    if all(s.code == "done" for s in measured) and len(measured) == len(statuses):
        return Status("done", words)
    return Status("on_track", words)


def load_plan(plan: Plan) -> tuple[list[Goal], list[Indicator], list[Activity]]:
    """The plan's goals, indicators and activities in three queries."""
    goals = db.session.scalars(db.select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.position)).all()
    indicators = db.session.scalars(
        db.select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.position)
    ).all()
    activities = db.session.scalars(
        db.select(Activity).where(Activity.plan_id == plan.id).order_by(Activity.position)
    ).all()
    return list(goals), list(indicators), list(activities)


def plan_figures(plan: Plan, today: date) -> PlanFigures:
    months = month_ranges(plan.fiscal_year, plan.calendar)
    elapsed = elapsed_fraction(months, today)
    goals, indicators, activities = load_plan(plan)
    activity_figs = _activity_figures(plan, activities, months, today)
    indicator_figs = _indicator_figures(indicators, months, today, elapsed)
    figures = PlanFigures(plan, today, months, elapsed)
    for goal in goals:
        inds = [indicator_figs[i.id] for i in indicators if i.goal_id == goal.id]
        acts = [activity_figs[a.id] for a in activities if a.goal_id == goal.id]
        status = goal_status([f.status for f in inds] + [f.status for f in acts])
        cost = sum(a.activity.cost_halalas or 0 for a in acts)
        figures.goals.append(GoalFigures(goal, inds, acts, status, cost))
    return figures

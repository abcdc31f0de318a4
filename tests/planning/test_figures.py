"""Plan against actual: a program activity's actuals are its program's disbursements, month by
month; a KPI-bound indicator's status flips when the data crosses the target; the forecast flags
an indicator on course to miss; budget by department and month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.extensions import db
from core.planning import Activity, services
from tests.planning.helpers import disburse


def _activity(plan, name):
    return db.session.scalars(
        db.select(Activity).where(Activity.plan_id == plan.id, Activity.name == name)
    ).one()


def _fig(figures, name):
    return next(f for f in figures.activities if f.activity.name == name)


def test_a_program_activity_actual_is_the_sum_of_its_programs_disbursements_each_month(
    plan, rent, staff, new_request, advance
):
    program = _activity(plan, "سداد ايجارات")
    assert program.catalog_item_id == rent.id
    # March: two rent payments (200 + 300 SAR); May: one (150 SAR); another program's disbursement in March.
    first = advance(new_request(linked=True, catalog_item_id=rent.id), "approved")
    disburse(staff, first, date(2025, 3, 2), 20000)
    disburse(staff, first, date(2025, 3, 30), 30000)
    second = advance(new_request(linked=True, catalog_item_id=rent.id), "approved")
    disburse(staff, second, date(2025, 5, 15), 15000)
    other = advance(new_request(linked=True), "approved")
    disburse(staff, other, date(2025, 3, 10), 40000)
    outside = advance(new_request(linked=True, catalog_item_id=rent.id), "approved")
    disburse(staff, outside, date(2024, 12, 31), 10000)  # the year before: not counted
    figures = services.plan_figures(plan, date(2025, 6, 10))
    fig = _fig(figures, "سداد ايجارات")
    expected_count = [0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    expected_spend = [0, 0, 50000, 0, 15000, 0, 0, 0, 0, 0, 0, 0]
    assert fig.source == "catalog"
    assert [int(v) for v in fig.actual] == expected_count
    assert fig.spend == expected_spend
    assert fig.actual_total == 3 and fig.spend_total == 65000
    # Planned one a month: by the end of May 5 were due, 3 done → behind, and the rule says so.
    assert fig.planned_to_date == 5 and fig.status.code == "behind"
    assert "3" in fig.status.rule and "5" in fig.status.rule
    # The food basket activity has no program and nothing entered: not measured.
    assert _fig(figures, "السلة الغذائية").status.code == "not_measured"


def test_a_kpi_bound_indicator_flips_to_done_when_the_data_crosses_its_target(
    plan, rent, staff, new_request, advance
):
    year_end = date(2025, 12, 31)

    def status():
        figures = services.plan_figures(plan, year_end)
        fig = next(f for f in figures.indicators if f.indicator.kpi_source == "aid.disbursements")
        return fig.status.code, fig.actual

    assert status() == ("behind", Decimal(0))
    request = advance(new_request(linked=True, catalog_item_id=rent.id), "approved")
    disburse(staff, request, date(2025, 4, 1), 10000)
    assert status() == ("behind", Decimal(1))
    disburse(staff, request, date(2025, 9, 1), 10000)
    assert status() == ("done", Decimal(2))


def test_hand_entered_progress_and_the_forecast_of_a_count_on_course_to_miss(plan, staff):
    basket = _activity(plan, "السلة الغذائية")
    for month in (2, 4):
        services.record_activity_progress(basket, month, Decimal(1), 100000, staff["executive_director"])
    db.session.commit()
    figures = services.plan_figures(plan, date(2025, 7, 1))
    fig = _fig(figures, "السلة الغذائية")
    assert fig.source == "manual" and fig.actual_total == 2 and fig.planned_to_date == 3
    assert fig.status.code == "behind"
    # The first goal's indicator "١٢" (at least 12) measured by hand: 4 by the end of June → 8 a year.
    indicator = next(f.indicator for f in figures.indicators if f.indicator.name == "توفير الدعم")
    services.record_indicator_progress(indicator, 3, Decimal(4), staff["executive_director"])
    figures = services.plan_figures(plan, date(2025, 7, 1))
    ind = next(f for f in figures.indicators if f.indicator.id == indicator.id)
    assert ind.actual == 4 and ind.will_miss
    assert ind.projected is not None and Decimal("7.9") < ind.projected < Decimal("8.1")


def test_budget_by_department_and_month_adds_up_to_the_planned_cost(plan):
    figures = services.plan_figures(plan, date(2025, 1, 15))
    departments = {r["department"]: r["planned"] for r in services.by_department(figures)}
    assert departments == {"المشاريع": 6_000_000, "الإعلام": 0}
    months = services.by_month(figures)
    assert sum(r["planned"] for r in months) == 6_000_000
    # The baskets (10,000 SAR over their 6 months) falls in the even months only.
    assert months[0]["planned"] == 5_000_000 // 12 or months[0]["planned"] > 0
    assert months[1]["planned"] > months[0]["planned"]
    assert services.totals(figures) == {"planned": 6_000_000, "spent": 0}

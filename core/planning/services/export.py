"""The plan and its progress as an XLSX workbook: the activities with their month grid (planned
and actual), the indicators with status and forecast, and the budget by department and month."""

from __future__ import annotations

import io
from decimal import Decimal

from ...i18n import gettext as _
from ...i18n import text_direction
from ..labels import STATUS_LABELS
from .budget import by_department, by_month
from .figures import PlanFigures

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def plan_xlsx(figures: PlanFigures) -> bytes:
    from openpyxl import Workbook  # lazy: openpyxl is loaded only when an export is asked for
    from openpyxl.styles import Font  # lazy: as above

    rtl = text_direction() == "rtl"
    book = Workbook()
    sheet = book.active
    sheet.title = _("Activities")[:31]
    months = [str(m) for m in range(1, 13)]
    sheet.append([_("Goal"), _("Indicator"), _("Activity"), _("Planned"), _("Unit"),
                  *[_("Planned %(month)s", month=m) for m in months], *[_("Actual %(month)s", month=m) for m in months],
                  _("Actual"), _("Department"), _("Cost (SAR)"), _("Spent (SAR)"), _("Status")])  # fmt: skip
    for goal in figures.goals:
        names = {i.indicator.id: i.indicator.name for i in goal.indicators}
        for fig in goal.activities:
            act = fig.activity
            planned = _("Continuous") if act.continuous else _num(fig.planned_total)
            sheet.append([
                _text(goal.goal.text), _text(names.get(act.indicator_id, "")), _text(act.name), planned, _text(act.unit),
                *[_num(v) for v in fig.planned], *[_num(v) for v in fig.actual], _num(fig.actual_total),
                _text(act.department), None if act.cost_halalas is None else act.cost_halalas / 100,
                fig.spend_total / 100, str(STATUS_LABELS[fig.status.code]),
            ])  # fmt: skip
    indicators = book.create_sheet(_("Indicators")[:31])
    indicators.append([_("Goal"), _("Indicator"), _("Target"), _("Measured by"), _("Actual"), _("Status"),
                       _("Rule"), _("Year-end forecast"), _("On course to miss")])  # fmt: skip
    for goal in figures.goals:
        for fig in goal.indicators:
            indicators.append([
                _text(goal.goal.text), _text(fig.indicator.name), _text(fig.indicator.target_text),
                _text(fig.source_label), _num(fig.actual), str(STATUS_LABELS[fig.status.code]), _text(fig.status.rule),
                _num(fig.projected), _("Yes") if fig.will_miss else _("No"),
            ])  # fmt: skip
    budget = book.create_sheet(_("Budget")[:31])
    budget.append([_("Department"), _("Planned (SAR)"), _("Spent (SAR)")])
    for row in by_department(figures):
        budget.append(
            [_text(row["department"] or _("No department")), row["planned"] / 100, row["spent"] / 100]
        )
    budget.append([])
    budget.append([_("Month"), _("Planned (SAR)"), _("Spent (SAR)")])
    for row in by_month(figures):
        budget.append([row["month"], row["planned"] / 100, row["spent"] / 100])
    for ws in book.worksheets:
        ws.sheet_view.rightToLeft = rtl
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

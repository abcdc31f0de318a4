"""Survey results to XLSX for the tenant's auditors: the figures (suppressed as on the dashboard)
and the responses as the reader may see them (anonymous, free text only with the right)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from ...i18n import gettext as _
from ...i18n import localized
from .results import responses_for, satisfaction

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A text a spreadsheet would run as a formula is written as text (leading apostrophe)."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _figure_row(label: str, figure: dict) -> list:
    if figure["suppressed"]:
        return [label, _("Fewer than 5 responses"), None, None, None, None]
    return [
        label,
        None if figure["share"] is None else round(figure["share"], 1),
        None if figure["margin"] is None else round(figure["margin"], 1),
        figure["responses"],
        figure["invited"],
        None if figure["response_rate"] is None else round(figure["response_rate"], 1),
    ]


def results_xlsx(user: Any, start: date, end: date) -> bytes:
    result = satisfaction(start, end)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Results"))
    header = [_("Period or program"), _("Satisfaction share"), _("Margin of error"), _("Responses"),
              _("Invited"), _("Response rate")]  # fmt: skip
    sheet.append(header)
    sheet.append(_figure_row(_("Overall"), result["overall"]))
    for month in result["months"]:
        sheet.append(_figure_row(month["period"], month))
    for program in result["programs"]:
        name = localized(program["program"], "name") if program["program"] else _("No program")
        sheet.append(_figure_row(_cell(name), program))
    answers = workbook.create_sheet(_("Responses"))
    answers.append([_("Response"), _("Month"), _("Channel"), _("Rating"), _("Answers")])
    for row in responses_for(user, start, end):
        text = "; ".join(f"{k}: {_cell(v)}" for k, v in sorted(row["answers"].items()))
        answers.append([row["id"], row["period"], row["channel"], row["kpi_score"], _cell(text)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""Import a plan file (CSV or XLSX, notes/plan_format.md): read it whole, check every row, report
every problem with its line and field in the reader's language, and write nothing unless the
whole file is good. Into an existing draft: a preview of the rows added, changed and removed,
applied only when confirmed. The demo loader and the CLI use this same path."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError

from ..audit.services import record
from ..errors import AppError, Conflict
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..kpi import kpi_sources
from ..registry.normalize import normalize_name
from ..requests.models import CatalogItem
from ..tenancy import current_tenant
from . import values
from .access import require
from .import_columns import MONTH_KEYS, QUARTER_KEYS, key_of, label_of
from .models import CALENDARS, Activity, Goal, Indicator, Plan

MAX_ROWS = 2000
# The fiscal years a plan may have (the Umm al-Qura tables cover 1343–1500 AH).
YEARS = {"gregorian": (2000, 2077), "hijri": (1420, 1499)}
LARGEST = Decimal(10) ** 11  # quantities and SAR amounts the columns hold (Numeric(14, 2), halalas)


class ImportProblems(AppError):
    """The file has problems: ``problems`` lists ``{"line", "field", "label", "message"}``."""

    status = 422

    def __init__(self, problems: list[dict]):
        super().__init__(_l("The file has %(count)s problems; nothing was imported.", count=len(problems)))
        self.problems = problems
        self.errors = {"file": [f"{p['line']}: {p['label']}: {p['message']}" for p in problems]}


@dataclass
class ParsedGoal:
    number: int
    kind: str
    text: str
    indicators: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """``[(line number, cells)]`` of a CSV (UTF-8, BOM optional) or of an XLSX's first sheet."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # lazy: openpyxl is loaded only for an XLSX file

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer to the user
            raise ImportProblems(
                [_problem(0, "file", _l("The file is not a readable Excel workbook."))]
            ) from None
        sheet = book.worksheets[0]
        return [
            (n, [_cell(v) for v in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblems([_problem(0, "file", _l("Save the file as CSV UTF-8 or Excel."))]) from None
    try:
        return [(n, [_cell(v) for v in row]) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error:  # a NUL byte or a broken quote: not a CSV file a spreadsheet saved
        raise ImportProblems([_problem(0, "file", _l("Save the file as CSV UTF-8 or Excel."))]) from None


def _problem(line: int, key: str, message: Any) -> dict:
    label = _l("File") if key == "file" else label_of(key)
    return {"line": line, "field": key, "label": str(label), "message": str(message)}


# --------------------------------------------------------------------------- checking


def _catalog_index() -> dict[str, int]:
    index = {}
    for item in db.session.scalars(db.select(CatalogItem)):
        for name in (item.code, item.name_ar, item.name_en):
            if name:
                index.setdefault(normalize_name(name), item.id)
    return index


def parse_plan(rows: list[tuple[int, list[str]]]) -> list[ParsedGoal]:
    """The goals, indicators and activities of the file; raises :class:`ImportProblems` with
    every problem found (the whole file is read before answering)."""
    problems: list[dict] = []
    content = [(n, cells) for n, cells in rows if any(cells) and not cells[0].startswith("#")]
    if not content:
        raise ImportProblems([_problem(0, "file", _l("The file has no header row."))])
    header_line, header = content[0]
    keys: list[str | None] = []
    for cell in header:
        key = key_of(cell) if cell else None
        if cell and key is None:
            problems.append(_problem(header_line, "file", _l("Unknown column “%(name)s”.", name=cell)))
        elif key is not None and key in keys:
            problems.append(
                _problem(header_line, "file", _l("The column “%(name)s” appears twice.", name=cell))
            )
        keys.append(key)
    if "activity" not in keys and "indicator" not in keys:
        problems.append(
            _problem(header_line, "file", _l("The file needs an activity or an indicator column."))
        )
    if problems:
        raise ImportProblems(problems)
    if len(content) - 1 > MAX_ROWS:
        raise ImportProblems(
            [_problem(0, "file", _l("A plan file holds at most %(count)s rows.", count=MAX_ROWS))]
        )
    catalog = _catalog_index()
    sources = {s.key for s in kpi_sources(current_tenant())}
    goals: list[ParsedGoal] = []
    goal: ParsedGoal | None = None
    indicator: dict | None = None
    for line, cells in content[1:]:
        row = {k: (cells[i] if i < len(cells) else "") for i, k in enumerate(keys) if k}

        def bad(key: str, message: Any, line=line) -> None:
            problems.append(_problem(line, key, message))

        def parsed(key: str, parser, row=row):
            try:
                return parser(row.get(key, ""))
            except values.ValueProblem as problem:
                bad(key, problem.message)
                return None

        number = parsed("goal_number", values.parse_number)
        if number is not None or row.get("goal"):
            if number is None or number != int(number) or number < 1:
                bad("goal_number", _l("Write the goal's number (1, 2, …)."))
                number = Decimal(len(goals) + 1)
            kind = (
                parsed("goal_kind", values.parse_goal_kind)
                if row.get("goal_kind")
                else (goal.kind if goal else None)
            )
            if kind is None and not row.get("goal_kind"):
                bad("goal_kind", _l("Write the goal's kind: استراتيجي or تطويري."))
            known = next((g for g in goals if g.number == int(number)), None)
            if known is not None and known is not goal:
                bad(
                    "goal_number", _l("Goal %(number)s appears again after another goal.", number=int(number))
                )
            if known is None:
                text = row.get("goal") or ""
                if not text:
                    bad("goal", _l("Write the goal's text on its first row."))
                goal = ParsedGoal(int(number), kind or "strategic", text)
                goals.append(goal)
                indicator = None
        if goal is None:
            bad("goal", _l("The first row must name its goal (number, kind and text)."))
            continue
        name = row.get("indicator", "")
        if name == "-" or name.strip("-") == "" and name:
            indicator = None
        elif name and (indicator is None or indicator["name"] != name):
            target = parsed("target", values.parse_target) or values.parse_target("")
            kpi = row.get("kpi_source", "").strip()
            if kpi and kpi not in sources:
                bad("kpi_source", _l("No measure “%(key)s” for this association.", key=kpi))
            indicator = {"line": line, "name": name, "target": target, "baseline": row.get("baseline", ""),
                         "kpi_source": kpi or None}  # fmt: skip
            goal.indicators.append(indicator)
        elif row.get("target") and indicator is not None and indicator["line"] != line:
            bad("target", _l("The target goes on the indicator's first row only."))
        activity_name = row.get("activity", "")
        if not activity_name:
            if not name:
                bad("activity", _l("The row has neither an indicator nor an activity."))
            continue
        months = [parsed(k, values.parse_month_cell) for k in MONTH_KEYS]
        quarters = [parsed(k, values.parse_month_cell) for k in QUARTER_KEYS]
        has_months = any(m for m in months if m)
        has_quarters = any(q for q in quarters if q)
        if has_months and has_quarters:
            bad("q1", _l("Use months or quarters on a row, not both."))
        planned = parsed("planned", values.parse_planned) or values.Planned(None, False)
        cost = parsed("cost", values.parse_cost)
        if cost is not None and cost < 0:
            bad("cost", _l("A cost cannot be negative."))
        for key, value in (("planned", planned.quantity), ("cost", cost),
                           *zip(MONTH_KEYS + QUARTER_KEYS, months + quarters, strict=True)):  # fmt: skip
            if value is not None and abs(value) >= LARGEST:
                bad(key, _l("The number is too large."))
        item_id = None
        if row.get("catalog_program"):
            item_id = catalog.get(normalize_name(row["catalog_program"]))
            if item_id is None:
                bad(
                    "catalog_program",
                    _l("No aid program “%(name)s” in the catalog.", name=row["catalog_program"]),
                )
        goal.activities.append({
            "line": line, "name": activity_name, "indicator": indicator["name"] if indicator else None,
            "program_group": row.get("program_group", ""), "catalog_item_id": item_id,
            "planned_quantity": planned.quantity, "continuous": planned.continuous,
            "unit": row.get("unit", "") or (planned.unit or ""),
            "months": [str(m or 0) for m in months] if has_months else [],
            "quarters": [str(q or 0) for q in quarters] if has_quarters else [],
            "duration_days": parsed("duration", values.parse_duration),
            "deliverable": row.get("deliverable", ""), "department": row.get("department", ""),
            "cost_halalas": int(cost * 100) if cost is not None else None,
        })  # fmt: skip
    if not goals and not problems:
        problems.append(_problem(header_line, "file", _l("The file has no goals.")))
    if problems:
        raise ImportProblems(problems)
    return goals


# --------------------------------------------------------------------------- writing


def _write(plan: Plan, goals: list[ParsedGoal]) -> None:
    position = 0
    for goal_pos, parsed in enumerate(goals, start=1):
        goal = Goal(
            plan_id=plan.id, position=goal_pos, number=parsed.number, kind=parsed.kind, text=parsed.text
        )
        db.session.add(goal)
        db.session.flush()
        ids = {}
        for ind_pos, ind in enumerate(parsed.indicators, start=1):
            target = ind["target"]
            indicator = Indicator(
                plan_id=plan.id, goal_id=goal.id, position=goal_pos * 1000 + ind_pos, name=ind["name"],
                target_text=target.text, target_kind=target.kind, comparison=target.comparison,
                target_low=target.low, target_high=target.high, target_unit=target.unit,
                baseline=ind["baseline"], kpi_source=ind["kpi_source"],
            )  # fmt: skip
            db.session.add(indicator)
            db.session.flush()
            ids[ind["name"]] = indicator.id
        for act in parsed.activities:
            position += 1
            fields = {k: v for k, v in act.items() if k not in ("indicator",)}
            db.session.add(Activity(plan_id=plan.id, goal_id=goal.id, indicator_id=ids.get(act["indicator"]),
                                    position=position, **fields))  # fmt: skip
    db.session.flush()


def _clear(plan: Plan) -> None:
    for model in (Activity, Indicator, Goal):
        for row in db.session.scalars(db.select(model).where(model.plan_id == plan.id)):
            db.session.delete(row)
    db.session.flush()


def create_plan(data: bytes, filename: str, *, fiscal_year: int, calendar: str, title: str, actor: Any,
                status: str = "draft") -> Plan:  # fmt: skip
    """A new draft plan (version 1, or the next version of that year) from a file."""
    require(actor, "planning.edit")
    if calendar not in CALENDARS:
        raise ValidationError({"calendar": [_l("The calendar is gregorian or hijri.")]})
    low, high = YEARS[calendar]
    if not low <= fiscal_year <= high:
        raise ValidationError(
            {"fiscal_year": [_l("Enter a year from %(low)s to %(high)s.", low=low, high=high)]}
        )
    goals = parse_plan(read_rows(data, filename))
    latest = db.session.scalar(
        db.select(db.func.max(Plan.version)).where(Plan.fiscal_year == fiscal_year, Plan.calendar == calendar)
    )
    if latest:
        raise Conflict(
            _l("A plan for this year exists: import into its draft, or revise it with a new version.")
        )
    plan = Plan(fiscal_year=fiscal_year, calendar=calendar, title=title, status="draft", version=1,
                created_by_id=getattr(actor, "id", None))  # fmt: skip
    db.session.add(plan)
    db.session.flush()
    _write(plan, goals)
    record(
        "plan.import",
        "plan",
        plan.id,
        {"fiscal_year": fiscal_year, "rows": sum(len(g.activities) for g in goals)},
    )
    return plan


def _rows_of_plan(plan: Plan) -> dict[tuple, dict]:
    goals = {g.id: g for g in db.session.scalars(db.select(Goal).where(Goal.plan_id == plan.id))}
    indicators = {
        i.id: i for i in db.session.scalars(db.select(Indicator).where(Indicator.plan_id == plan.id))
    }
    out = {}
    for act in db.session.scalars(
        db.select(Activity).where(Activity.plan_id == plan.id).order_by(Activity.position)
    ):
        ind = indicators.get(act.indicator_id)
        out[(goals[act.goal_id].number, ind.name if ind else None, act.name)] = _comparable(act.__dict__)
    return out


COMPARED = ("program_group", "catalog_item_id", "planned_quantity", "continuous", "unit", "months", "quarters",
            "duration_days", "deliverable", "department", "cost_halalas")  # fmt: skip


def _comparable(values_: dict) -> dict:
    out = {k: values_.get(k) for k in COMPARED}
    out["planned_quantity"] = (
        None if out["planned_quantity"] is None else Decimal(out["planned_quantity"]).normalize()
    )
    out["months"] = [str(Decimal(m).normalize()) for m in out["months"] or []]
    out["quarters"] = [str(Decimal(q).normalize()) for q in out["quarters"] or []]
    return out


def preview(plan: Plan, data: bytes, filename: str, actor: Any) -> dict:
    """What importing the file into the draft ``plan`` changes: rows added, changed (with the
    fields that differ) and removed, by (goal, indicator, activity)."""
    require(actor, "planning.edit")
    if not plan.editable:
        raise Conflict(_l("An approved plan is read-only: revise it with a new version."))
    goals = parse_plan(read_rows(data, filename))
    old = _rows_of_plan(plan)
    new = {
        (g.number, a["indicator"], a["name"]): (a["line"], _comparable(a))
        for g in goals
        for a in g.activities
    }
    added = [{"key": k, "line": line} for k, (line, _v) in new.items() if k not in old]
    removed = [{"key": k} for k in old if k not in new]
    changed = [
        {"key": k, "line": line, "fields": [f for f in COMPARED if old[k][f] != v[f]]}
        for k, (line, v) in new.items() if k in old and old[k] != v
    ]  # fmt: skip
    return {"added": added, "changed": changed, "removed": removed}


def apply(plan: Plan, data: bytes, filename: str, actor: Any) -> Plan:
    """Replace the draft's goals, indicators and activities by the file's (checked whole first)."""
    require(actor, "planning.edit")
    if not plan.editable:
        raise Conflict(_l("An approved plan is read-only: revise it with a new version."))
    goals = parse_plan(read_rows(data, filename))
    _clear(plan)
    _write(plan, goals)
    record(
        "plan.import",
        "plan",
        plan.id,
        {"fiscal_year": plan.fiscal_year, "rows": sum(len(g.activities) for g in goals)},
    )
    return plan

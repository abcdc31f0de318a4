"""The two seed plans as data files (core/planning/seeds): complete, and every cell readable.

The files are read here with the csv module and the value parser only (core/planning/values.py),
independently of the plan importer, which has its own test loading them into the database. The
expected figures below were counted by hand from the seeds (/work/shared/seeds/000_*.txt and
001_*.txt), not from the files, so a row lost or a cost mistyped in a file shows here.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from core.planning.values import (
    parse_cost,
    parse_duration,
    parse_goal_kind,
    parse_month_cell,
    parse_planned,
    parse_target,
)
from plugins.prisoner_families.settings import DEFAULT_CATALOG

SEEDS = Path(__file__).resolve().parent.parent / "core" / "planning" / "seeds"
AOUN = SEEDS / "aoun_2024.csv"
ESRAR = SEEDS / "esrar_draft.csv"

ARABIC_DIGITS = "١٢٣٤٥٦٧٨٩"
MONTHS = [ARABIC_DIGITS[i] if i < 9 else "١" + "٠١٢"[i - 9] for i in range(12)]  # ١ … ١٢
QUARTERS = ["ر١", "ر٢", "ر٣", "ر٤"]


def _rows(path: Path) -> list[dict[str, str]]:
    """The file's activity rows as {Arabic header: cell}, comments and blank lines skipped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = [row for row in csv.reader(handle) if row and any(row) and not row[0].startswith("#")]
    header, body = lines[0], lines[1:]
    assert all(len(row) == len(header) for row in body), "every row has one cell per column"
    return [dict(zip(header, row, strict=True)) for row in body]


def _plan(path: Path) -> dict:
    """Goals, indicators and activities as the import format defines them (blank = as above)."""
    goals: dict[str, tuple[str, str]] = {}
    indicators: list[tuple[str, str]] = []
    activities = []
    goal = None
    for row in _rows(path):
        if row["رقم الهدف"].strip():
            goal = row["رقم الهدف"].strip()
            assert goal not in goals, f"goal {goal} twice"
            goals[goal] = (parse_goal_kind(row["نوع الهدف"]), row["الهدف"].strip())
        if row["المؤشر"].strip() not in ("", "-"):
            indicators.append((goal, row["المؤشر"].strip()))
            parse_target(row["المستهدف"])
        else:
            assert not row["المستهدف"].strip(), "a target only on its indicator's first row"
        months = [parse_month_cell(row.get(m)) for m in MONTHS]
        quarters = [parse_month_cell(row.get(q)) for q in QUARTERS]
        assert not (any(months) and any(quarters)), "months or quarters, never both"
        activities.append(
            {
                "goal": goal,
                "indicator": indicators[-1][1] if indicators else None,
                "name": row["النشاط"].strip(),
                "catalog": row.get("برنامج المساعدات", "").strip(),
                "planned": parse_planned(row.get("المخطط")),
                "months": months,
                "duration": parse_duration(row.get("المدة")),
                "department": row["جهة التنفيذ"].strip(),
                "cost": parse_cost(row["التكلفة"]),
            }
        )
    assert all(a["name"] for a in activities), "every row of the seed plans is an activity"
    return {"goals": goals, "indicators": indicators, "activities": activities}


def _total_cost(plan: dict) -> Decimal:
    return sum((a["cost"] or Decimal(0) for a in plan["activities"]), Decimal(0))


@pytest.fixture(scope="module")
def aoun():
    return _plan(AOUN)


@pytest.fixture(scope="module")
def esrar():
    return _plan(ESRAR)


def test_the_aoun_2024_plan_has_every_goal_indicator_and_activity_of_seed_000(aoun):
    # Counted by hand in seed 000, table by table (activities = rows of the activity column):
    #   strategic   1: 2 indicators,  3 activities
    #   strategic   2: 3 indicators, 21 activities (6 الدعم المادي + 7 الدعم العيني + 2 التنمية
    #                  الأسرية, then 6 in its second table)
    #   strategic   3: 1 indicator,   6 activities
    #   strategic   4: 2 indicators,  3 activities
    #   developmental 1: 3 indicators,  9 activities
    #   developmental 2: 5 indicators, 23 activities (3 + 6 + 7 + 7 on its four pages)
    #   developmental 3: 3 indicators, 10 activities
    #   developmental 4: 3 indicators, 12 activities ("عمل مؤهل" and "المستفيدين من التدريب" are
    #                  fragments of the indicators above them, see the file's D19/D20)
    assert len(aoun["goals"]) == 8
    assert Counter(kind for kind, _ in aoun["goals"].values()) == {"strategic": 4, "developmental": 4}
    assert len(aoun["indicators"]) == 22
    assert len(aoun["activities"]) == 87
    per_goal = Counter(a["goal"] for a in aoun["activities"])
    assert [per_goal[g] for g in "١٢٣٤٥٦٧٨"] == [3, 21, 6, 3, 9, 23, 10, 12]


def test_the_aoun_2024_plan_costs_what_seed_000_plans(aoun):
    # Sum of the التكلفة cells of seed 000 by goal ("-" and empty = 0):
    #   S1 5,000 + 5,000                                                     =    10,000
    #   S2 500,000 + 200,000 + 120,000 + 40,000 + 500,000 + 2,000 + 100,000
    #      + 70,000 + 350,000 + 100,000 + 60,000 + 360,000 + 2,000,000 + 50,000 = 4,452,000
    #   S3 5 × 10,000                                                        =    50,000
    #   S4 100,000 + 100,000                                                 =   200,000
    #   D1 3,000 + 20,000 + 5,000 + 2,000 + 121,000 + 2,000 + 25,000 + 1,000 =   179,000
    #   D2 60,000 + 130,000 + 24,000 + 200,000 + 350,000 + 30,000 + 10,000
    #      + 20,000 + 2,500 + 700 + 3 × 10,000                                =   857,200
    #   D3 5,000 + 20,000 + 5,000 + 2,000 + 2,000 + 10,000 + 20,000 + 1,500  =    65,500
    #   D4 5,000 + 30,000 + 30,000 + 3,000 + 3,000 + 3,000 + 5,000           =    79,000
    #                                                                  total = 5,892,700
    assert _total_cost(aoun) == Decimal("5892700")
    by_goal = Counter()
    for a in aoun["activities"]:
        by_goal[a["goal"]] += a["cost"] or 0
    assert [by_goal[g] for g in "١٢٣٤٥٦٧٨"] == [10000, 4452000, 50000, 200000, 179000, 857200, 65500, 79000]


def test_the_aoun_2024_plan_keeps_monthly_quantities_other_than_one(aoun):
    by_name = {a["name"]: a for a in aoun["activities"]}
    training = by_name["التدريب والتأهيل (أفراد)"]
    assert training["months"] == [0, 0] + [25] * 10  # ٢٥ trainees a month, March to December
    assert training["planned"].quantity == 250
    assert by_name["الزيارات الميدانية لعرض المشاريع"]["months"] == [15] * 12
    assert by_name["تسويق المشاريع للمانحين والداعمين"]["months"] == [10] * 12
    assert by_name["الحقيبة المدرسية"]["months"][9] == 400
    assert by_name["دعم الزواج (أفراد)"]["months"] == [1, 0] * 6
    assert by_name["توفير مواد تعليمية مكتوبة ومرئية تتناول أساسيات العقيدة الإسلامية والأخلاق."][
        "planned"
    ].continuous


def test_the_aoun_2024_aid_programs_name_items_of_the_tenants_catalog(aoun):
    catalog = {item["name_ar"] for item in DEFAULT_CATALOG}
    linked = {a["name"]: a["catalog"] for a in aoun["activities"] if a["catalog"]}
    assert set(linked.values()) <= catalog
    assert len(linked) == 15
    assert linked["سداد ايجارات"] == "سداد إيجارات"
    assert linked["تفريج كربة"] == "تفريج كربة"  # goal 4; the goal-2 "تفريغ كربة" is not linked twice
    assert "تفريغ كربة (أفراد)" not in linked
    assert Counter(linked.values()).most_common(1)[0][1] == 1, "one activity per catalog item"


def test_the_esrar_draft_has_every_goal_measure_and_task_of_seed_001(esrar):
    # Seed 001: 7 strategic goals in its list; 14 tables (one per معيار الأداء) with
    # 4 + 4 + 4 | 4 | 2 + 3 + 3 | 2 + 2 + 1 | 2 | 6 | 3 + 3 tasks = 43.
    assert len(esrar["goals"]) == 7
    assert {kind for kind, _ in esrar["goals"].values()} == {"strategic"}
    assert len(esrar["indicators"]) == 14
    assert len(esrar["activities"]) == 43
    per_goal = Counter(a["goal"] for a in esrar["activities"])
    assert [per_goal[g] for g in "١٢٣٤٥٦٧"] == [12, 4, 8, 5, 2, 6, 6]


def test_the_esrar_draft_costs_nothing_and_schedules_by_duration(esrar):
    # Every التكلفة cell of seed 001 is empty or a dash ("----", "---", "-----").
    assert _total_cost(esrar) == 0
    durations = [a["duration"] for a in esrar["activities"]]
    assert None not in durations
    # ٢٠ يوم: 4 + 3 + 1 + 2 + 1 + 2 + 1 + 3 + 1 + 2 (tables 1-5, 8, 9, 12-14); ١٠ أيام: tables 2, 3,
    # 9, 10, 11, 13, 14; ٣٠ يوم: 3, 4, 5, 6 (2), 7 (2); ٦٠ يوم: 3, 4, 6, 7, 11, 12; ١٥ يوم: 12 (2), 13.
    assert Counter(durations) == {20: 20, 10: 7, 30: 7, 60: 6, 15: 3}
    assert all(not any(a["months"]) for a in esrar["activities"])


def test_the_esrar_targets_read_as_the_seed_means_them(esrar):
    rows = [r for r in _rows(ESRAR) if r["المستهدف"].strip()]
    targets = {r["المؤشر"]: parse_target(r["المستهدف"]) for r in rows}
    staff = targets["متوسط نسبة الرضا العاملين"]
    assert (staff.comparison, staff.low, staff.high, staff.unit) == ("between", 70, 85, "percent")
    assert targets["عدد الأسر المنتجة المرخصة"].low == 10
    assert targets["عدد المعارض المتخصصة"].low == 1
    assert targets["عدد الشراكات مع الجهات ذات العلاقة"].kind == "text"


@pytest.mark.parametrize("path", [AOUN, ESRAR], ids=["aoun", "esrar"])
def test_every_extraction_decision_is_written_in_the_file(path):
    comments = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    decisions = [line for line in comments if re.match(r"# [DE]\d\d ", line)]
    assert len(decisions) >= 8
    assert not any('"' in line or "," in line for line in comments), "comment lines stay one CSV cell"

"""The import: validated whole, every bad row reported with its line and field in the reader's
language, nothing written unless all is good; a re-import into a draft previews its changes."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.planning import Activity, Goal, Indicator, Plan, importer
from tests.planning.helpers import GOOD, HEADER, months, row

BAD = "\n".join([
    HEADER,
    row(1, "استراتيجي", "مساندة الأسر", "توفير الدعم", "١٢", "no.such.kpi", "", "سداد", "برنامج غير موجود",
        "عشرة", *months("١", "abc", "٣"), "المشاريع", "ألف"),
    row("", "", "", "", "", "", "", "نشاط سليم", "", "٣", *months("١"), "", ""),
    row("ب", "", "", "", "", "", "", "", "", "", *months(), "", ""),
]) + "\n"  # fmt: skip


def _counts():
    return [
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Plan, Goal, Indicator, Activity)
    ]


def test_a_file_with_bad_rows_reports_every_problem_with_line_and_field_and_writes_nothing(
    in_first, rent, staff
):
    with pytest.raises(importer.ImportProblems) as raised:
        importer.create_plan(BAD.encode(), "bad.csv", fiscal_year=2025, calendar="gregorian", title="خطة",
                             actor=staff["executive_director"])  # fmt: skip
    problems = {(p["line"], p["field"]) for p in raised.value.problems}
    assert {(2, "kpi_source"), (2, "catalog_program"), (2, "planned"), (2, "m2"), (2, "cost"),
            (4, "goal_number")} <= problems  # fmt: skip
    assert all(p["message"] and p["label"] for p in raised.value.problems)
    labels = {p["field"]: p["label"] for p in raised.value.problems}
    assert labels["cost"] == "التكلفة" or labels["cost"] == "Cost"
    db.session.rollback()
    assert _counts() == [0, 0, 0, 0]


def test_unknown_and_mixed_columns_are_named(in_first, rent, staff):
    text = "النشاط,لون\nنشاط,أحمر\n"
    with pytest.raises(importer.ImportProblems) as raised:
        importer.parse_plan(importer.read_rows(text.encode(), "x.csv"))
    assert "لون" in raised.value.problems[0]["message"]
    mixed = "رقم الهدف,نوع الهدف,الهدف,النشاط,١,ر١\n1,استراتيجي,هدف,نشاط,١,✓\n"
    with pytest.raises(importer.ImportProblems) as raised:
        importer.parse_plan(importer.read_rows(mixed.encode(), "x.csv"))
    assert [(p["line"], p["field"]) for p in raised.value.problems] == [(2, "q1")]


def test_the_good_file_imports_every_goal_indicator_and_activity(plan):
    goals = db.session.scalars(db.select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.position)).all()
    assert [(g.number, g.kind) for g in goals] == [(1, "strategic"), (2, "developmental")]
    indicators = db.session.scalars(db.select(Indicator).where(Indicator.plan_id == plan.id)).all()
    assert {i.name: i.kpi_source for i in indicators} == {
        "توفير الدعم": None,
        "عدد الصرف": "aid.disbursements",
    }
    acts = {a.name: a for a in db.session.scalars(db.select(Activity).where(Activity.plan_id == plan.id))}
    assert set(acts) == {"سداد ايجارات", "السلة الغذائية", "التقرير السنوي"}
    assert acts["السلة الغذائية"].cost_halalas == 1_000_000 and acts["التقرير السنوي"].cost_halalas is None
    assert acts["التقرير السنوي"].continuous and acts["التقرير السنوي"].indicator_id is None


def test_reimport_into_a_draft_previews_added_changed_and_removed_rows_before_applying(plan, staff):
    lines = GOOD.splitlines()
    revised = [line.replace("١٠٬٠٠٠", "١٢٬٠٠٠") for line in lines if "التقرير السنوي" not in line]
    revised.append(
        row("", "", "", "", "", "", "", "نشرة شهرية", "", "١٢", *months(*["١"] * 12), "الإعلام", "٦٠٠")
    )
    data = ("\n".join(revised) + "\n").encode()
    changes = importer.preview(plan, data, "plan.csv", staff["executive_director"])
    assert [c["key"][2] for c in changes["added"]] == ["نشرة شهرية"]
    assert [c["key"][2] for c in changes["removed"]] == ["التقرير السنوي"]
    assert [(c["key"][2], c["fields"]) for c in changes["changed"]] == [("السلة الغذائية", ["cost_halalas"])]
    assert _counts()[3] == 3  # the preview wrote nothing
    importer.apply(plan, data, "plan.csv", staff["executive_director"])
    names = set(db.session.scalars(db.select(Activity.name).where(Activity.plan_id == plan.id)))
    assert names == {"سداد ايجارات", "السلة الغذائية", "نشرة شهرية"}


@pytest.mark.parametrize(
    ("data", "year", "calendar", "field"),
    [
        (b"\x00\x00", 2025, "gregorian", "file"),
        (GOOD.encode(), 1999, "gregorian", "fiscal_year"),
        (GOOD.encode(), 1600, "hijri", "fiscal_year"),
        (GOOD.replace("٥٠٠٠٠", "٩٩٩٩٩٩٩٩٩٩٩٩٩").encode(), 2025, "gregorian", "cost"),
    ],
)
def test_unreadable_files_years_out_of_range_and_huge_numbers_are_field_errors(
    in_first, rent, staff, data, year, calendar, field
):
    with pytest.raises((importer.ImportProblems, importer.ValidationError)) as raised:
        importer.create_plan(data, "x.csv", fiscal_year=year, calendar=calendar, title="خطة",
                             actor=staff["executive_director"])  # fmt: skip
    error = raised.value
    fields = (
        {p["field"] for p in error.problems}
        if isinstance(error, importer.ImportProblems)
        else set(error.messages)
    )
    assert field in fields
    db.session.rollback()
    assert _counts() == [0, 0, 0, 0]

"""The seed plans through the import path users take (the demo loader), Al-Aoun's program
activities measured from their programs' disbursements, the PDF and XLSX exports and the CLI."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from core.aid.services import install_default_catalog
from core.extensions import db
from core.pdf import pdf_available
from core.planning import Activity, Goal, Indicator, Plan, demo, services
from core.tenancy import tenant_context
from tests.planning.helpers import disburse

SEEDS = Path(__file__).resolve().parents[2] / "core" / "planning" / "seeds"
AOUN_GOALS = ["غرس العقيدة والمبادئ الإسلامية في نفوس السجناء", "تحقيق الاستدامة المالية لموارد الجمعية"]


@pytest.fixture
def aoun_plan(tenant, enable_plugin, staff, monkeypatch):
    """Tenant ``first`` with the prisoner-families plugin, loaded with Al-Aoun's 2024 plan as
    the demo loader loads it for ``aoun-prisoners``."""
    enable_plugin(tenant, "prisoner_families")
    monkeypatch.setitem(demo.DEMO_PLANS, tenant.slug, demo.DEMO_PLANS["aoun-prisoners"])
    with tenant_context(tenant):
        install_default_catalog(tenant)
        demo.load(tenant)
        db.session.commit()
        plan = db.session.scalars(db.select(Plan)).one()
        yield plan


def _count(model, plan):
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(model.plan_id == plan.id))


def test_the_demo_loads_al_aouns_approved_2024_plan_through_the_import(aoun_plan):
    assert (aoun_plan.fiscal_year, aoun_plan.status, aoun_plan.board_meeting_number) == (
        2024,
        "approved",
        "٣",
    )
    assert (_count(Goal, aoun_plan), _count(Indicator, aoun_plan), _count(Activity, aoun_plan)) == (8, 22, 87)
    linked = db.session.scalars(db.select(Activity).where(Activity.catalog_item_id.is_not(None))).all()
    assert {"السلة الغذائية", "سداد ايجارات", "تفريج كربة"} <= {a.name for a in linked}
    kpis = set(db.session.scalars(db.select(Indicator.kpi_source).where(Indicator.kpi_source.is_not(None))))
    assert "prisoner_families.amount_forgiven" in kpis


def test_a_seed_000_program_activity_actual_is_its_programs_disbursements_in_each_month(
    aoun_plan, staff, new_request, advance
):
    rent = db.session.scalars(db.select(Activity).where(Activity.name == "سداد ايجارات")).one()
    payments = [(date(2024, 1, 10), 30000), (date(2024, 1, 25), 20000), (date(2024, 4, 2), 45000),
                (date(2024, 11, 30), 10000)]  # fmt: skip
    expected_count, expected_spend = [0] * 12, [0] * 12
    for day, halalas in payments:
        request = advance(new_request(linked=True, catalog_item_id=rent.catalog_item_id), "approved")
        disburse(staff, request, day, halalas)
        expected_count[day.month - 1] += 1
        expected_spend[day.month - 1] += halalas
    fig = next(
        f for f in services.plan_figures(aoun_plan, date(2024, 12, 31)).activities if f.activity.id == rent.id
    )
    assert fig.source == "catalog"
    assert [int(v) for v in fig.actual] == expected_count and fig.spend == expected_spend
    assert fig.planned == [1] * 12 and fig.status.code == "behind"  # 4 of 12 planned by the year's end


@pytest.mark.skipif(not pdf_available() or shutil.which("pdftotext") is None, reason="no PDF libraries")
def test_the_pdf_export_has_the_arabic_goal_titles_in_logical_order(
    client, login, staff, aoun_plan, tmp_path
):
    login(staff["executive_director"])
    answer = client.get(f"/t/first/planning/{aoun_plan.id}/export.pdf")
    assert answer.status_code == 200 and answer.data[:5] == b"%PDF-"
    path = tmp_path / "plan.pdf"
    path.write_bytes(answer.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for title in AOUN_GOALS:
        assert all(word in flat for word in title.split()), title
    assert "الخطة التشغيلية" in flat


def test_the_cli_imports_a_plan_and_exports_it(runner, app, tenant, tmp_path):
    with app.app_context(), tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    answer = runner.invoke(args=["planning", "import", str(SEEDS / "esrar_draft.csv"), "--tenant", "first",
                                 "--year", "2025", "--title", "مسودة"])  # fmt: skip
    assert answer.exit_code == 0, answer.output
    again = runner.invoke(args=["planning", "import", str(SEEDS / "esrar_draft.csv"), "--tenant", "first",
                                "--year", "2025"])  # fmt: skip
    assert again.exit_code != 0
    out = tmp_path / "plan.xlsx"
    exported = runner.invoke(args=["planning", "export", "--tenant", "first", "--year", "2025", "--format", "xlsx",
                                   "--output", str(out)])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert out.read_bytes()[:2] == b"PK"
    bad = tmp_path / "bad.csv"
    bad.write_text("النشاط,لون\nنشاط,أحمر\n", encoding="utf-8")
    refused = runner.invoke(args=["planning", "import", str(bad), "--tenant", "first", "--year", "2026"])
    assert refused.exit_code != 0 and "لون" in refused.output

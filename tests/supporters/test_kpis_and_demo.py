"""The KPI sources (planning binds to their keys), the dashboard card of overdue instalments, and
the demo data of the five associations."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from core.calendar import today as tenant_today
from core.extensions import db
from core.kpi import kpi_sources, kpi_values
from core.supporters import Agreement, Donation, Instalment, Supporter, services
from core.tenancy import tenant_context
from core.tenancy.services import all_tenants

from .helpers import gift, program, supporter

ROOT = Path(__file__).resolve().parents[2]
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def test_the_kpis_count_gifts_by_program_the_donor_share_agreements_and_new_supporters(
    app_ctx, tenant, staff
):
    admin = staff["tenant_admin"]
    with tenant_context(tenant):
        item = program()
        company = supporter(admin)
        ministry = supporter(
            admin, kind="government", name="جهة حكومية", consent_channels=[], preferred_channel=None
        )
        gift(admin, company, 30_000, date(2025, 3, 1), catalog_item_id=item.id)
        gift(admin, company, 10_000, date(2025, 3, 2))
        gift(admin, ministry, 60_000, date(2025, 3, 3))
        gift(admin, company, 99_999, date(2024, 12, 31))  # outside the period
        services.create_agreement(company, {"kind": "partnership", "title": "شراكة", "starts_on": date(2024, 6, 1),
                                            "ends_on": date(2025, 1, 1)}, admin)  # fmt: skip
        services.create_agreement(company, {"kind": "agreement", "title": "اتفاقية", "starts_on": date(2026, 1, 1),
                                            "ends_on": date(2026, 12, 31)}, admin)  # fmt: skip
        db.session.commit()
        keys = {s.key for s in kpi_sources(tenant)}
    assert {"supporters.donations_received", "supporters.donor_share", "supporters.active_agreements",
            "supporters.new", "supporters.donations.general", "supporters.donations.program.food_basket"} <= keys  # fmt: skip
    values = {v["key"]: v["value"] for v in kpi_values(tenant, *YEAR)}
    assert values["supporters.donations_received"] == 100_000
    assert values["supporters.donations.program.food_basket"] == 30_000
    assert values["supporters.donations.general"] == 70_000
    assert (
        values["supporters.donor_share"] == 40.0
    )  # 400 of 1,000 SAR from a company, the rest from government
    assert values["supporters.active_agreements"] == 1  # in force on 1 January 2025 only
    assert values["supporters.agreements_signed"] == 0
    assert values["supporters.new"] == 2  # both recorded on 3 November 2025
    empty = {v["key"]: v["value"] for v in kpi_values(tenant, date(2020, 1, 1), date(2020, 12, 31))}
    assert empty["supporters.donor_share"] is None and empty["supporters.donations_received"] == 0


def test_the_dashboard_shows_overdue_instalments_to_fundraisers_only(client, tenant, staff, login):
    with tenant_context(tenant):
        who = supporter(staff["tenant_admin"])
        today = services.today()
        services.create_pledge(who, {"total_halalas": 100, "pledged_on": today - timedelta(days=10),
                                     "instalments": [{"due_on": today - timedelta(days=1), "amount_halalas": 100}]},
                               staff["tenant_admin"])  # fmt: skip
        db.session.commit()
    login(staff["tenant_admin"])
    assert "supporters_overdue" in client.get("/t/first/").get_data(as_text=True)
    client.post("/logout")
    login(staff["researcher"])
    assert "supporters_overdue" not in client.get("/t/first/").get_data(as_text=True)


def test_demo_gives_every_association_supporters_in_each_stage_with_gap_free_receipts(runner, app):
    runner.invoke(args=["tenants", "apply", str(ROOT / "tenants")])
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        tenants = all_tenants()
        assert len(tenants) >= 5
        for tenant in tenants:
            with tenant_context(tenant):
                stages = set(db.session.scalars(db.select(Supporter.stage)))
                assert {"prospect", "contacted", "pledged", "active", "lapsed"} - stages <= {"pledged"}, (
                    tenant.slug
                )
                by_year: dict[int, list[int]] = {}
                for year, seq in db.session.execute(db.select(Donation.receipt_year, Donation.receipt_seq)):
                    by_year.setdefault(year, []).append(seq)
                assert by_year and all(sorted(s) == list(range(1, len(s) + 1)) for s in by_year.values())
                assert db.session.scalar(db.select(db.func.count(Agreement.id))) == 2
                late = [i for i in db.session.scalars(db.select(Instalment)) if i.overdue_on(tenant_today())]
                assert len(late) == 1, tenant.slug
        before = db.session.scalar(db.select(db.func.count()).select_from(Donation))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Donation)) == before

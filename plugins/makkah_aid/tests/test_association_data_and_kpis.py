"""Seed 004's own data comes with the plugin, not with core (exclusion reasons, the written
pledge's document type), and the association's KPI figures are computed in a fixed number of
queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from core.testing import PNG
from core.toolkit import db, kpi_values, tenant_context
from core.toolkit import today as tenant_today
from core.toolkit import upload_document as upload
from plugins.makkah_aid import services

from .helpers import NEEDS_B, SAR, complete_request


def today() -> date:
    """Read when a test runs, never at collection: a suite that crosses midnight would otherwise
    ask for a period that ended before the rows it just wrote."""
    return tenant_today()


def test_seed_004_exclusion_reasons_come_with_the_plugin(makkah, household, staff, api):
    file = household(1)
    response = api(staff["researcher"]).post(
        f"/files/{file.id}/status",
        json={"status": "excluded", "reason": "زواج", "exclusion_reason": "girl_married"},
    )
    assert response.status_code == 200, response.json
    assert response.json["exclusion_reason"] == "girl_married"


def test_the_written_pledge_is_a_document_type_only_with_the_plugin(
    tenant, in_first, makkah, household, enable_plugin
):
    file = household(1)
    pledge = upload(PNG, "pledge.png", {"doc_type": "pledge", "household_id": file.household_id})
    assert pledge.doc_type == "pledge"
    enable_plugin(tenant, "makkah_aid", enabled=False)
    with tenant_context(tenant), pytest.raises(ValidationError) as refused:
        upload(PNG, "pledge.png", {"doc_type": "pledge", "household_id": file.household_id})
    assert "doc_type" in refused.value.messages


def figures(tenant, days_ago: int = 0) -> dict:
    """The plugin's figures for the year ending ``days_ago`` days before today."""
    end = today() - timedelta(days=days_ago)
    return {
        v["key"].removeprefix("makkah_aid."): v for v in kpi_values(tenant, end - timedelta(days=365), end)
    }


def assess(new_request, researcher, needs: dict):
    request = complete_request(new_request)
    services.record_assessment(request, {"needs": needs}, researcher)
    return request


def test_kpis_count_bands_ladder_renewals_and_exclusions(makkah, household, new_request, staff):
    researcher = staff["researcher"]
    assess(new_request, researcher, NEEDS_B)  # gap 36,000 SAR → band C
    assess(new_request, researcher, {"food_drink": 10_000 * SAR})  # below the minimum gap
    reassessed = assess(new_request, researcher, {"food_drink": 32_000 * SAR})  # gap 8,000 → A
    db.session.commit()
    found = figures(makkah)
    assert [found[k]["value"] for k in ("band_A", "band_B", "band_C", "not_eligible")] == [1, 0, 1, 1]
    services.record_assessment(reassessed, {"needs": NEEDS_B}, researcher)  # only the latest counts
    first, second = household(1), household(2)
    services.record_violation(first, {"code": "false_information"}, researcher)
    renewal_round = services.announce_round(
        {"title": "الجولة الأولى", "announced_on": today() - timedelta(days=100)}, staff["tenant_admin"]
    )
    services.record_renewal(renewal_round, second, today() - timedelta(days=80), researcher)
    proposal = services.propose(second, "improved", evidence={}, source="staff", actor=researcher)
    services.confirm(proposal, staff["committee_member"], "تحسن الدخل")
    db.session.commit()

    found = figures(makkah)
    assert [found[k]["value"] for k in ("band_A", "band_C", "not_eligible")] == [0, 2, 1]
    assert found["violations_recorded"]["value"] == 1
    assert found["sanctions_in_force"]["value"] == 1
    assert found["renewals_overdue"]["value"] == 1  # the first file, 40 days past the grace
    assert found["exclusions_confirmed"]["value"] == 1
    # Before the round's grace ended nothing was overdue; a past period does not see later events.
    early = figures(makkah, days_ago=60)
    assert early["renewals_overdue"]["value"] == 0
    assert early["violations_recorded"]["value"] == 0
    assert all(f["label"] and "%(" not in f["label"] for f in found.values())
    assert "ج" in found["band_C"]["label"] or " C" in found["band_C"]["label"]


def test_kpi_queries_do_not_grow_with_the_files(makkah, household, new_request, staff, max_queries):
    researcher = staff["researcher"]

    def add(n: int, start: int):
        for i in range(start, start + n):
            file = household(i)
            services.record_violation(file, {"code": "false_information"}, researcher)
            assess(new_request, researcher, NEEDS_B)
        announced = today() - timedelta(days=100 + start)  # overdue: its renewals are counted
        services.announce_round({"title": f"round {start}", "announced_on": announced}, staff["tenant_admin"])
        db.session.commit()
        figures(makkah)  # the tenant and its settings loaded again after the commit

    add(1, 1)
    # Every enabled feature's KPI sources, each an aggregate query: 9 for the plugin's figures, 6
    # for core's grievance KPIs, 4 for the surveys', and per catalog program those of planning
    # (requests and disbursements counted and summed) and supporters (gifts received), plus
    # volunteers' and supporters' own — 85 on this tenant's catalog. What matters is below: the
    # same count with six times the files.
    with max_queries(90) as few:
        assert figures(makkah)["renewals_overdue"]["value"] == 1
    add(5, 10)
    with max_queries(90) as more:
        assert figures(makkah)["renewals_overdue"]["value"] == 1 + 6
    assert more.count == few.count

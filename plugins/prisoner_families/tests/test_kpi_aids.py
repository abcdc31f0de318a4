"""The "aids given" KPI counts every disbursement of the tenant's insolvency programs."""

from __future__ import annotations

from datetime import date

from core.testing import record_disbursement
from core.toolkit import CatalogItem, db, install_default_catalog, kpi_values, tenant_context

from .conftest import PID

KEY = f"{PID}.aids_given"


def _aids(tenant, start=date(2025, 1, 1), end=date(2025, 12, 31)) -> int:
    return {v["key"]: v["value"] for v in kpi_values(tenant, start, end)}[KEY]


def _disburse(tenant, staff, new_request, advance, code, on, case_id=None, item_on_request_only=False):
    with tenant_context(tenant):
        install_default_catalog(tenant)
        item = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == code)).one()
    extra = {PID: {"debt_case_id": case_id}} if case_id else {}
    request = new_request(catalog_item_id=item.id, extra=extra)
    advance(request, "approved")
    data = {
        "kind": "cash",
        "value_halalas": 10_000,
        "proof_type": "acknowledgement",
        "acknowledged_by": "المستفيد",
        "disbursed_on": on,
    }
    if not item_on_request_only:
        data["catalog_item_id"] = item.id
    disbursement = record_disbursement(request, staff["finance_officer"], data)
    db.session.commit()
    return disbursement


def test_aids_given_counts_all_insolvency_program_disbursements_of_the_period(
    enabled, other_tenant, enable_plugin, case_factory, staff, new_request, advance
):
    case_id, _ = case_factory(claimed=500_000)
    assert _aids(enabled) == 0
    # Paying a debt case (as before) ...
    _disburse(enabled, staff, new_request, advance, "relief_of_distress", date(2025, 3, 1), case_id=case_id)
    # ... and without any debt case: ma'ouna for the family, its item named on the request only.
    _disburse(enabled, staff, new_request, advance, "maouna", date(2025, 6, 1), item_on_request_only=True)
    _disburse(enabled, staff, new_request, advance, "relief_of_distress", date(2025, 12, 31))
    # Not an insolvency program; outside the period.
    _disburse(enabled, staff, new_request, advance, "food_basket", date(2025, 6, 1))
    _disburse(enabled, staff, new_request, advance, "maouna", date(2024, 12, 31))

    assert _aids(enabled) == 3
    assert _aids(enabled, date(2025, 6, 1), date(2025, 6, 30)) == 1
    assert _aids(enabled, date(2024, 1, 1), date(2025, 12, 31)) == 4

    # The tenant's own list of insolvency programs decides.
    enable_plugin(enabled, PID, {"service_area": ["القريات"], "insolvency_programs": ["maouna"]})
    assert _aids(enabled) == 1

    # The other tenant sees none of them.
    enable_plugin(other_tenant, PID)
    assert _aids(other_tenant, date(2024, 1, 1), date(2025, 12, 31)) == 0

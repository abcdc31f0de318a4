"""With prisoner_families on the same tenant: exhibition booths recorded here and placements
recorded there count once per family in the self-reliance KPI (no double counting)."""

from __future__ import annotations

from datetime import date

from core.toolkit import db, kpi_sources

from .. import services
from .conftest import PID

PF = "prisoner_families"


def test_placements_recorded_by_either_plugin_count_once_per_family(
    client, tenant, enable_plugin, make_member, token_for, create_household, in_tenant
):
    enable_plugin(tenant, PF)
    enable_plugin(tenant, PID)
    admin = token_for(make_member("admin@first.example.org", tenant, ["tenant_admin"]))
    households = [create_household(tenant) for _ in range(4)]
    with in_tenant(tenant):
        members = [h.members[0].person_id for h in households]
    prisoner_api = f"/t/first/api/v1/{PF}"

    def prisoner_family(index: int) -> None:
        made = client.post(
            f"{prisoner_api}/prisoners",
            json={"person_id": members[index], "facility": "سجن الأحساء", "case_type": "public_right",
                  "imprisoned_on": "2024-01-01"},
            headers=admin,
        )  # fmt: skip
        assert made.status_code == 201, made.json
        linked = client.post(
            f"{prisoner_api}/prisoners/{made.json['id']}/families",
            json={"household_id": households[index].id},
            headers=admin,
        )
        assert linked.status_code == 201, linked.json

    def placement(index: int, kind: str) -> None:
        placed = client.post(
            f"{prisoner_api}/placements",
            json={"household_id": households[index].id, "kind": kind, "placed_on": "2026-03-02"},
            headers=admin,
        )
        assert placed.status_code == 201, placed.json

    for index in (0, 1, 3):
        prisoner_family(index)  # household 2 is an ordinary producer, not a prisoner's family
    placement(0, "exhibition")
    placement(3, "school_canteen")
    with in_tenant(tenant):
        show = services.create_exhibition(
            {"name": "معرض مركز التنمية", "place": "الأحساء", "starts_on": "2026-03-01", "ends_on": "2026-03-03",
             "applications_close_on": "2026-02-15", "booths": 5}
        )  # fmt: skip
        for index in (0, 1, 2):
            producer = services.create_producer(
                {"household_id": households[index].id, "trade_name": f"منتجات {index}", "activity": "food"}
            )
            services.apply(show, producer, today=date(2026, 2, 1))
        services.allocate(show, today=date(2026, 2, 20))
        db.session.commit()

        year = (date(2026, 1, 1), date(2026, 12, 31))
        kpi = {s.key: s for s in kpi_sources(tenant)}
        # Household 0: placed by prisoner_families AND a booth here → once. Household 1: a booth
        # here only. Household 3: a canteen. Household 2 is no prisoner's family.
        assert kpi[f"{PF}.self_reliant_families"].compute(tenant, *year) == 3
        assert kpi[f"{PF}.exhibition_families"].compute(tenant, *year) == 2
        assert kpi[f"{PF}.canteen_families"].compute(tenant, *year) == 1
        assert kpi[f"{PID}.exhibition_families"].compute(tenant, *year) == 3

    enable_plugin(tenant, PID, enabled=False)
    with in_tenant(tenant):
        kpi = {s.key: s for s in kpi_sources(tenant)}
        assert kpi[f"{PF}.self_reliant_families"].compute(tenant, *year) == 2

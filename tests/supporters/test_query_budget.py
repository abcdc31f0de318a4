"""The lists cost a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.supporters import services
from core.tenancy import tenant_context

from .helpers import ON, gift, supporter

PAGES = ("/t/first/supporters/", "/t/first/supporters/donations?start=2025-01-01",
         "/t/first/supporters/?view=overdue")  # fmt: skip


def _add(tenant, admin, n: int, start: int) -> int:
    with tenant_context(tenant):
        for i in range(start, start + n):
            who = supporter(admin, name=f"شركة رقم {i}")
            gift(admin, who, 10_000)
            services.create_pledge(who, {"total_halalas": 200, "pledged_on": ON - timedelta(days=90), "instalments": [
                {"due_on": ON - timedelta(days=60), "amount_halalas": 100},
                {"due_on": ON - timedelta(days=30), "amount_halalas": 100}]}, admin)  # fmt: skip
        db.session.commit()
        return who.id


@pytest.mark.parametrize("path", PAGES)
def test_a_list_page_costs_the_same_for_2_or_12_supporters(client, tenant, staff, login, max_queries, path):
    admin = staff["tenant_admin"]
    _add(tenant, admin, 2, 0)
    login(admin)
    client.get(path)
    with max_queries(25) as few:
        assert client.get(path).status_code == 200
    _add(tenant, admin, 10, 2)
    with max_queries(25) as many:
        assert client.get(path).status_code == 200
    assert many.count <= few.count  # no query per row


def test_a_supporters_page_costs_the_same_for_1_or_6_pledges(client, tenant, staff, login, max_queries):
    admin = staff["tenant_admin"]
    sid = _add(tenant, admin, 1, 0)
    login(admin)
    client.get(f"/t/first/supporters/{sid}")
    with max_queries(30) as few:
        client.get(f"/t/first/supporters/{sid}")
    with tenant_context(tenant):
        who = db.session.get(services.supporters.Supporter, sid)
        for _ in range(5):
            gift(admin, who, 500)
            services.create_pledge(who, {"total_halalas": 100, "pledged_on": ON, "instalments": [
                {"due_on": ON, "amount_halalas": 100}]}, admin)  # fmt: skip
        db.session.commit()
    # Warmed as the first measure was: the commit above expired the supporter in this session,
    # which the test client's requests share; reloading it is not a query per row.
    client.get(f"/t/first/supporters/{sid}")
    with max_queries(30) as many:
        client.get(f"/t/first/supporters/{sid}")
    assert many.count <= few.count  # no query per row

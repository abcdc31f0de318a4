"""Pages: each renders for staff, forms write through the services, bad input is a 422 page."""

from __future__ import annotations

from core.toolkit import db, tenant_context
from plugins.prisoner_families.models import DebtCase, Prisoner

from .conftest import PID, make_family

PAGES = "/t/first/prisoner_families"


def test_pages_render_and_forms_work(client, enabled, staff, login):
    household_id, person_id = make_family(enabled, 1)
    login(staff["tenant_admin"])
    for path in ("/", "/debt-cases", "/programs", "/follow-ups", "/self-reliance", "/kpis"):
        response = client.get(PAGES + path)
        assert response.status_code == 200, path
    bad = client.post(
        PAGES + "/",
        data={
            "action": "create",
            "person_id": person_id,
            "facility": "سجن",
            "case_type": "private_right",
            "imprisoned_on": "أمس",
        },
    )
    assert bad.status_code == 422
    r = client.post(
        PAGES + "/",
        data={
            "action": "create",
            "person_id": person_id,
            "facility": "سجن القريات",
            "case_type": "private_right",
            "insolvent": "on",
            "imprisoned_on": "2025-01-01",
        },
    )
    assert r.status_code == 303
    with tenant_context(enabled):
        prisoner = db.session.scalars(db.select(Prisoner)).one()
    page = client.get(r.headers["Location"])
    assert page.status_code == 200 and "سجن القريات" in page.get_data(as_text=True)
    r = client.post(f"{PAGES}/prisoners/{prisoner.id}", data={"action": "link", "household_id": household_id})
    assert r.status_code == 303
    r = client.post(
        PAGES + "/debt-cases",
        data={"action": "create", "prisoner_id": prisoner.id, "creditor": "دائن", "claimed": "500"},
    )
    assert r.status_code == 303
    with tenant_context(enabled):
        case = db.session.scalars(db.select(DebtCase)).one()
    url = f"{PAGES}/debt-cases/{case.id}"
    assert (
        client.post(
            url, data={"action": "pay", "amount": "600", "payer": "فاعل خير", "paid_on": "2025-02-01"}
        ).status_code
        == 409
    )
    assert (
        client.post(
            url,
            data={
                "action": "negotiate",
                "attempted_on": "2025-02-01",
                "by_whom": "المدير",
                "outcome": "forgave_part",
                "forgiven": "200",
            },
        ).status_code
        == 303
    )
    assert (
        client.post(
            url, data={"action": "pay", "amount": "300", "payer": "فاعل خير", "paid_on": "2025-02-01"}
        ).status_code
        == 303
    )
    assert client.post(url, data={"action": "release", "released_on": "2025-03-01"}).status_code == 303
    with tenant_context(enabled):
        assert db.session.get(DebtCase, case.id).status == "closed"
    assert client.post(PAGES + "/programs", data={"action": "defaults"}).status_code == 303
    programs = client.get(PAGES + "/programs").get_data(as_text=True)
    assert "برنامج حياة جديدة" in programs
    assert client.post(url, data={"action": "nope"}).status_code == 400


def test_read_only_roles_cannot_post(client, enabled, staff, login):
    login(staff["auditor"])
    assert client.get(PAGES + "/").status_code == 200
    assert client.post(PAGES + "/programs", data={"action": "defaults"}).status_code == 403


def test_pages_404_when_disabled_and_for_other_tenant_ids(
    client, enabled, other_tenant, enable_plugin, staff, make_member, login, prisoner_factory
):
    prisoner_id, _, _ = prisoner_factory()
    enable_plugin(other_tenant, PID)
    login(make_member("admin@second.example.org", other_tenant, ["tenant_admin"]))
    assert client.get(f"/t/second/prisoner_families/prisoners/{prisoner_id}").status_code == 404
    enable_plugin(other_tenant, PID, enabled=False)
    assert client.get("/t/second/prisoner_families/").status_code == 404

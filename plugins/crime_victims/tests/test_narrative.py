"""The sealed narrative: each role's view through the page, the API, the lists (search), the
exports and the audit page; encrypted at rest; every read audited; the executive director's
break-glass read needs a reason and tells the auditors."""

from __future__ import annotations

import pytest

from core.testing import AuditEvent, OutboxMessage
from core.toolkit import db

from ..models import NarrativeRead, VictimCase
from .conftest import API, PAGE

SECRET = "اعتدى عليها زوجها في المطبخ ليلة الخميس"
DETAILS = "حي السويدي، الشقة الثالثة"
READERS = {"researcher": "assigned", "committee_member": "committee"}
SEALED_ROLES = ("tenant_admin", "relations_officer", "finance_officer", "auditor")


@pytest.fixture
def sealed_case(open_case, staff, client, token_for, in_tenant, enabled):
    """A case assigned to the staff's researcher, with a narrative they recorded."""
    case_id = open_case()
    assign = client.post(
        f"{API}/cases/{case_id}/researcher",
        json={"researcher_id": staff["researcher"].id},
        headers=token_for(staff["relations_officer"]),
    )
    assert assign.status_code == 200, assign.json
    written = client.put(
        f"{API}/cases/{case_id}/narrative",
        json={"narrative": SECRET, "incident_details": DETAILS},
        headers=token_for(staff["researcher"]),
    )
    assert written.status_code == 204, written.json
    return case_id


def _reads(in_tenant, tenant) -> list[tuple]:
    with in_tenant(tenant):
        return db.session.execute(
            db.select(NarrativeRead.user_id, NarrativeRead.basis, NarrativeRead.via)
        ).all()


def test_the_narrative_is_encrypted_at_rest(sealed_case, in_tenant, enabled):
    with in_tenant(enabled):
        case = db.session.get(VictimCase, sealed_case)
        assert case.narrative_encrypted and SECRET not in case.narrative_encrypted
        assert DETAILS not in (case.incident_details_encrypted or "")


@pytest.mark.parametrize("role", sorted(READERS))
def test_the_researcher_and_the_committee_read_it_on_the_page_and_the_api_each_read_audited(
    role, sealed_case, staff, client, login, token_for, in_tenant, enabled
):
    user = staff[role]
    login(user)
    page = client.get(f"{PAGE}/cases/{sealed_case}").get_data(as_text=True)
    assert SECRET in page and DETAILS in page
    answer = client.get(f"{API}/cases/{sealed_case}/narrative", headers=token_for(user))
    assert answer.status_code == 200 and answer.json["narrative"] == SECRET
    assert answer.json["basis"] == READERS[role]
    assert _reads(in_tenant, enabled) == [(user.id, READERS[role], "page"), (user.id, READERS[role], "api")]
    with in_tenant(enabled):
        audited = db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.action == "crime_victims.narrative.read")
            .order_by(AuditEvent.id)
        ).all()
    assert [(e.user_id, e.details["via"]) for e in audited] == [(user.id, "page"), (user.id, "api")]
    assert all(SECRET not in str(e.details) for e in audited)


@pytest.mark.parametrize("role", SEALED_ROLES)
def test_other_staff_see_the_case_exists_but_never_its_narrative(
    role, sealed_case, staff, client, login, token_for, in_tenant, enabled
):
    user = staff[role]
    login(user)
    page = client.get(f"{PAGE}/cases/{sealed_case}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="narrative-sealed"' in text and SECRET not in text and DETAILS not in text
    assert client.get(f"{API}/cases/{sealed_case}/narrative", headers=token_for(user)).status_code == 403
    case = client.get(f"{API}/cases/{sealed_case}", headers=token_for(user)).json
    assert case["id"] == sealed_case and "narrative" not in case
    assert _reads(in_tenant, enabled) == []


def test_a_researcher_not_assigned_to_the_case_cannot_read_it(
    sealed_case, make_member, enabled, client, login, token_for, in_tenant
):
    other = make_member("researcher2@first.example.org", enabled, ["researcher"])
    login(other)
    assert SECRET not in client.get(f"{PAGE}/cases/{sealed_case}").get_data(as_text=True)
    assert client.get(f"{API}/cases/{sealed_case}/narrative", headers=token_for(other)).status_code == 403
    written = client.put(
        f"{API}/cases/{sealed_case}/narrative", json={"narrative": "x y"}, headers=token_for(other)
    )
    assert written.status_code == 403


@pytest.mark.parametrize(
    ("action", "roles"),
    [
        ("crime_victims.narrative_committee", ["committee_member", "tenant_admin"]),
        ("crime_victims.narrative_break_glass", ["executive_director", "auditor"]),
        ("crime_victims.narrative_committee", ["researcher"]),
    ],
)
def test_the_association_cannot_change_who_reads_the_narrative(
    action, roles, sealed_case, staff, client, token_for, in_tenant, enabled
):
    """Its readers are the spec's: the permissions are declared fixed, and the admin's page and
    API refuse a change (422 on the permission), writing nothing."""
    holders = f"/t/{enabled.slug}/api/v1/admin/role-permissions"
    admin = token_for(staff["tenant_admin"])
    response = client.put(holders, json={"holders": {action: roles}}, headers=admin)
    assert response.status_code == 422
    assert action in response.json["errors"]["holders"]
    document = client.get(holders, headers=admin).json
    row = next(a for a in document["actions"] if a["action"] == action)
    assert row["fixed"] is True and not row["granted"] and not row["withdrawn"]
    sealed = client.get(f"{API}/cases/{sealed_case}/narrative", headers=token_for(staff["tenant_admin"]))
    assert sealed.status_code == 403
    assert _reads(in_tenant, enabled) == []


def test_the_executive_director_breaks_the_glass_only_with_a_reason_and_the_auditor_is_told(
    sealed_case, staff, client, login, token_for, in_tenant, enabled
):
    director = staff["executive_director"]
    login(director)
    page = client.get(f"{PAGE}/cases/{sealed_case}").get_data(as_text=True)
    assert 'id="break-glass"' in page and SECRET not in page
    assert _reads(in_tenant, enabled) == []
    refused = client.post(f"{PAGE}/cases/{sealed_case}/narrative/open", data={"reason": ""})
    assert refused.status_code == 422 and SECRET not in refused.get_data(as_text=True)
    api_refused = client.get(f"{API}/cases/{sealed_case}/narrative", headers=token_for(director))
    assert api_refused.status_code == 422 and "reason" in api_refused.json["errors"]
    assert _reads(in_tenant, enabled) == []
    opened = client.post(
        f"{PAGE}/cases/{sealed_case}/narrative/open", data={"reason": "شكوى من الأسرة تستدعي المراجعة"}
    )
    assert opened.status_code == 200 and SECRET in opened.get_data(as_text=True)
    with in_tenant(enabled):
        read = db.session.scalars(db.select(NarrativeRead)).one()
        assert (read.user_id, read.basis, read.reason) == (
            director.id,
            "break_glass",
            "شكوى من الأسرة تستدعي المراجعة",
        )
        told = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "crime_victims_break_glass")
        ).all()
    assert [m.user_id for m in told] == [staff["auditor"].id]
    assert "شكوى من الأسرة" in told[0].body and SECRET not in told[0].body


def test_the_lists_the_exports_and_the_audit_page_never_show_the_narrative(
    sealed_case, staff, client, login, token_for, in_tenant, enabled
):
    reader = staff["committee_member"]
    assert client.get(f"{API}/cases/{sealed_case}/narrative", headers=token_for(reader)).status_code == 200
    for role in ("committee_member", "auditor", "tenant_admin"):
        headers = token_for(staff[role])
        assert SECRET not in client.get(f"{API}/cases", headers=headers).get_data(as_text=True)
        login(staff[role])
        for path in (f"{PAGE}/", f"{PAGE}/?overdue=1", "/t/first/requests/?q=المطبخ", "/t/first/audit/"):
            response = client.get(path)
            assert SECRET not in response.get_data(as_text=True), (role, path)
    login(staff["auditor"])
    audit = client.get("/t/first/audit/").get_data(as_text=True)
    assert "قراءة الرواية المختومة" in audit
    export = client.get("/t/first/audit/export.csv")
    assert export.status_code == 200 and SECRET not in export.get_data(as_text=True)
    assert DETAILS not in export.get_data(as_text=True)

"""The staff home page is a dashboard: what waits for this user by role, with counts, the
oldest requests (number, name, program, working days waiting) and the overdue ones."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from core.calendar import working_days_between
from core.extensions import db
from core.requests.models import AidRequest, CatalogItem, RequestEvent
from core.tenancy import tenant_context

_serial = iter(range(1, 10**6))


def _now():
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture
def requests_in(tenant):
    """``requests_in(state, n, days_ago=…, name=…)``: ``n`` requests that entered ``state``
    ``days_ago`` calendar days ago (a timeline event into the state), with a program."""

    def make(state: str, n: int = 1, *, days_ago: int = 1, name: str = "مقدم", other_tenant=None):
        with tenant_context(other_tenant or tenant):
            program = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == "rent")).first()
            if program is None:
                program = CatalogItem(code="rent", name_ar="دعم الإيجار", name_en="Rent support", kind="cash")
                db.session.add(program)
                db.session.flush()
            made = []
            for i in range(n):
                at = _now() - timedelta(days=days_ago)
                item = AidRequest(
                    state=state,
                    channel="phone",
                    applicant_name=f"{name} {i}",
                    number=f"1448-{next(_serial):06d}",
                    submitted_at=at,
                    catalog_item_id=program.id,
                    requested_halalas=150000,
                )
                db.session.add(item)
                db.session.flush()
                db.session.add(RequestEvent(request_id=item.id, action="step", to_state=state, at=at))
                made.append(item)
            db.session.commit()
            return made

    return make


def _card(html: str, key: str) -> str:
    found = re.search(rf'<section class="card[^"]*" id="card-{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _count(html: str, key: str) -> int | None:
    found = re.search(rf'id="card-{key}" data-count="(\d+)"', html)
    return int(found.group(1)) if found else None


def test_researcher_sees_requests_to_research_visit_and_send_with_the_oldest_first(staff, login, requests_in):
    requests_in("submitted", 2, days_ago=2, name="جديد")
    oldest = requests_in("submitted", 1, days_ago=20, name="أقدم")[0]
    requests_in("field_visit_scheduled", 3, days_ago=4, name="زيارة")
    requests_in("in_committee", 4)
    html = login(staff["researcher"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "to_research") == 3
    assert _count(html, "to_visit") == 3
    assert _count(html, "to_send") == 0
    assert _count(html, "to_decide") is None  # not the researcher's work
    assert _count(html, "to_disburse") is None
    card = _card(html, "to_research")
    assert card.index(oldest.number) < card.index("جديد 0")
    assert f"/t/first/requests/{oldest.id}" in card
    assert "دعم الإيجار" in card  # the program
    waited = working_days_between((_now() - timedelta(days=20)).date(), _now().date())
    assert f'data-days="{waited}">' in card and waited >= 12  # working days, not calendar days
    assert "أيام العمل في الانتظار" in card  # in words


def test_committee_member_sees_what_to_decide_and_nothing_of_research(staff, login, requests_in):
    requests_in("in_committee", 2, days_ago=3)
    requests_in("submitted", 5)
    html = login(staff["committee_member"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "to_decide") == 2
    assert _count(html, "to_research") is None and _count(html, "received") is None
    assert 'href="/t/first/requests/?queue=awaiting_committee"' in html


def test_finance_officer_sees_approved_requests_to_disburse(staff, login, requests_in):
    requests_in("approved", 1, days_ago=1)
    requests_in("approved", 1, days_ago=30, name="متأخر")
    html = login(staff["finance_officer"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "to_disburse") == 2
    assert _count(html, "overdue") == 1  # five working days to disburse
    assert "متأخر 0" in _card(html, "overdue")
    assert _count(html, "to_decide") is None


def test_relations_officer_sees_new_and_returned_requests(staff, login, requests_in):
    requests_in("submitted", 2)
    requests_in("returned", 1, name="ناقص")
    html = login(staff["relations_officer"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "received") == 2
    assert _count(html, "returned") == 1
    assert "ناقص 0" in _card(html, "returned")


def test_overdue_is_counted_in_working_days_against_each_states_limit(staff, login, requests_in, tenant):
    tenant.settings = {"calendar": {"research_deadline_days": 2}}
    db.session.commit()
    requests_in("in_research", 1, days_ago=1, name="حديث")
    requests_in("in_research", 1, days_ago=10, name="قديم")
    html = login(staff["researcher"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "overdue") == 1
    card = _card(html, "overdue")
    assert "قديم 0" in card and "حديث 0" not in card


def test_executive_director_sees_overdue_requests_of_every_state(staff, login, requests_in):
    requests_in("in_committee", 1, days_ago=40, name="لجنة")
    requests_in("submitted", 1, days_ago=40, name="جديد")
    html = login(staff["executive_director"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "overdue") == 2
    assert 'href="/t/first/requests/?queue=overdue"' in html


def test_dashboard_counts_only_this_associations_requests(staff, login, requests_in, other_tenant):
    (mine,) = requests_in("in_committee", 1, name="عندنا")
    requests_in("in_committee", 7, days_ago=50, name="عندهم", other_tenant=other_tenant)
    html = login(staff["committee_member"]).get("/t/first/").get_data(as_text=True)
    assert _count(html, "to_decide") == 1
    card = _card(html, "to_decide")
    assert mine.number in card and "عندهم" not in card  # older requests elsewhere rank nothing out


def test_dashboard_in_english_has_english_titles(staff, login, requests_in, client):
    requests_in("in_committee", 1)
    login(staff["committee_member"])
    client.get("/lang/en")
    html = client.get("/t/first/").get_data(as_text=True)
    assert "To decide" in html and "Rent support" in html


@pytest.mark.parametrize("rows", [1, 40])
def test_dashboard_keeps_its_query_budget_whatever_the_number_of_requests(
    rows, staff, login, requests_in, max_queries, make_member, tenant
):
    everything = make_member("everything@first.example.org", tenant, list(staff))
    for state in (
        "submitted",
        "in_research",
        "field_visit_scheduled",
        "verified",
        "in_committee",
        "approved",
    ):
        requests_in(state, rows, days_ago=30)
    client = login(everything)
    with max_queries(14):
        response = client.get("/t/first/")
    assert response.status_code == 200
    assert _count(response.get_data(as_text=True), "to_decide") == rows


def test_plugins_add_cards_through_the_dashboard_cards_hook(staff, login, tenant, enable_plugin):
    enable_plugin(tenant)
    html = login(staff["researcher"]).get("/t/first/").get_data(as_text=True)
    card = _card(html, "dummy")
    assert "Dummy things" in card and "D-7" in card and "Dummy thing to do" in card
    assert html.index('id="card-dummy"') < html.index('id="card-to_research"')
    committee = login(staff["committee_member"]).get("/t/first/").get_data(as_text=True)
    assert 'id="card-dummy"' not in committee  # the plugin checks the permission


def test_a_disabled_plugin_adds_no_card(staff, login):
    html = login(staff["researcher"]).get("/t/first/").get_data(as_text=True)
    assert 'id="card-dummy"' not in html

"""No N+1 on core's list pages and queues: each answers within a fixed query budget, the same
for 10 rows as for 100 (``max_queries``, ``page_budget``; ``QUERY_FIGURES=<file>`` notes each figure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.aid.models import CatalogItem
from core.audit.services import record
from core.extensions import db
from core.requests.models import AidRequest, RequestEvent
from core.tenancy import tenant_context

ROWS = [10, 100]


@pytest.fixture
def request_rows(tenant, staff):
    """``request_rows(n, state)``: ``n`` requests in ``state``, submitted 60 days ago, each touched
    by the researcher (so they are in "my cases") and applied for by ``applicant``."""

    def make(n: int, state: str, applicant=None) -> None:
        long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=60)
        with tenant_context(tenant):
            for i in range(n):
                item = AidRequest(
                    state=state,
                    channel="phone",
                    applicant_name=f"مقدم {i}",
                    number=f"1447-{i + 1:06d}",
                    submitted_at=long_ago,
                    applicant_user_id=applicant.id if applicant else None,
                )
                db.session.add(item)
                db.session.flush()
                db.session.add(
                    RequestEvent(request_id=item.id, action="start_research", actor_id=staff["researcher"].id)
                )
            db.session.commit()

    return make


QUEUE_STATES = {
    "mine": "in_research",
    "new": "submitted",
    "awaiting_visit": "field_visit_scheduled",
    "awaiting_committee": "in_committee",
    "awaiting_disbursement": "approved",
    "overdue": "in_research",
    "all": "submitted",
}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("queue", sorted(QUEUE_STATES))
def test_request_queue_pages_keep_their_budget_at_any_size(
    queue, rows, request_rows, staff, login, page_budget
):
    request_rows(rows, QUEUE_STATES[queue])
    client = login(staff["researcher"])
    page = page_budget(
        f"requests queue {queue}", rows, 12, lambda: client.get(f"/t/first/requests/?queue={queue}")
    )
    assert page.get_data(as_text=True).count("/t/first/requests/") >= rows


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("queue", sorted(QUEUE_STATES))
def test_request_queue_api_keeps_its_budget_at_any_size(
    queue, rows, request_rows, staff, token_for, client, page_budget
):
    request_rows(rows, QUEUE_STATES[queue])
    headers = token_for(staff["researcher"])
    response = page_budget(
        f"API requests queue {queue}",
        rows,
        10,
        lambda: client.get(f"/t/first/api/v1/requests/?queue={queue}", headers=headers),
    )
    assert len(response.get_json()) == rows


@pytest.fixture
def catalog_rows(tenant):
    def make(n: int) -> None:
        with tenant_context(tenant):
            for i in range(n):
                db.session.add(
                    CatalogItem(
                        code=f"item-{i}", name_ar=f"بند {i}", name_en=f"Item {i}", kind="cash", unit="family"
                    )
                )
            db.session.commit()

    return make


@pytest.mark.parametrize("rows", ROWS)
def test_aid_catalog_page_and_api_keep_their_budget(
    rows, catalog_rows, staff, login, token_for, client, page_budget
):
    catalog_rows(rows)
    headers = token_for(staff["committee_member"])
    api = page_budget(
        "API aid catalog", rows, 8, lambda: client.get("/t/first/api/v1/aid/catalog", headers=headers)
    )
    assert len(api.get_json()) >= rows
    client = login(staff["tenant_admin"])
    page_budget("aid catalog", rows, 12, lambda: client.get("/t/first/aid/catalog"))


@pytest.fixture
def audit_rows(tenant, staff):
    def make(n: int) -> None:
        with tenant_context(tenant):
            for i in range(n):
                record("test.event", "thing", i, {"n": i}, user=staff["tenant_admin"])
            db.session.commit()

    return make


@pytest.mark.parametrize("rows", ROWS)
def test_audit_list_page_and_api_keep_their_budget(
    rows, audit_rows, staff, login, token_for, client, page_budget
):
    audit_rows(rows)
    headers = token_for(staff["tenant_admin"])
    page_budget(
        "API audit events", rows, 8, lambda: client.get("/t/first/api/v1/audit/events", headers=headers)
    )
    login(staff["tenant_admin"])
    page_budget("audit list", rows, 12, lambda: client.get("/t/first/audit/"))


@pytest.fixture
def member_rows(tenant, make_member):
    def make(n: int) -> None:
        for i in range(n):
            make_member(f"member{i}@first.example.org", tenant, ["researcher"])

    return make


@pytest.mark.parametrize("rows", ROWS)
def test_admin_users_page_and_api_keep_their_budget(
    rows, member_rows, staff, login, token_for, client, page_budget
):
    member_rows(rows)
    headers = token_for(staff["tenant_admin"])
    page_budget("API members", rows, 8, lambda: client.get("/t/first/api/v1/members/", headers=headers))
    login(staff["tenant_admin"])
    page_budget("admin users", rows, 12, lambda: client.get("/t/first/admin/users"))


@pytest.mark.parametrize("rows", ROWS)
def test_portal_my_requests_keeps_its_budget(rows, tenant, make_member, request_rows, login, page_budget):
    applicant = make_member("applicant@example.org", tenant, ["applicant"])
    request_rows(rows, "submitted", applicant=applicant)
    client = login(applicant)
    page = page_budget("portal my requests", rows, 12, lambda: client.get("/t/first/portal/"))
    assert page.get_data(as_text=True).count("1447-") >= rows


@pytest.fixture
def household_rows(tenant):
    from tests.requests.fixtures import new_file

    def make(n: int) -> None:
        with tenant_context(tenant):
            for _ in range(n):
                new_file()
            db.session.commit()

    return make


@pytest.mark.parametrize("rows", ROWS)
def test_registry_lists_and_search_keep_their_budget(
    rows, household_rows, staff, login, token_for, client, page_budget
):
    household_rows(rows)
    headers = token_for(staff["researcher"])
    page_budget("API households", rows, 10, lambda: client.get("/t/first/api/v1/households", headers=headers))
    page_budget("API persons", rows, 10, lambda: client.get("/t/first/api/v1/persons", headers=headers))
    page_budget("API files", rows, 10, lambda: client.get("/t/first/api/v1/files", headers=headers))
    login(staff["researcher"])
    page_budget("registry household list", rows, 12, lambda: client.get("/t/first/registry/"))
    page_budget(
        "registry search", rows, 12, lambda: client.get("/t/first/registry/?q=%D9%86%D9%88%D8%B1%D8%A9")
    )


def test_overdue_queue_filtered_in_sql_lists_exactly_the_requests_past_their_working_day_deadline(
    tenant, staff, in_first
):
    """Each day of four weeks (a holiday among them): the queue is the requests past their
    decision deadline (``deadline_of``) or past their state's working-day limit
    (``is_overdue``, row by row), with both rules reached by some request."""
    from datetime import date

    from core.requests import services

    tenant.settings = {
        "calendar": {"holidays": [{"start": "2025-10-12", "end": "2025-10-16"}], "research_deadline_days": 25}
    }
    submitted = [datetime(2025, 9, 1, 23, 59) + timedelta(days=i) for i in range(40)]
    for i, at in enumerate(submitted):
        db.session.add(
            AidRequest(state="in_research", channel="phone", applicant_name=f"م {i}", submitted_at=at)
        )
    db.session.add(
        AidRequest(state="approved", channel="phone", applicant_name="موافق", submitted_at=submitted[0])
    )
    db.session.add(AidRequest(state="draft", channel="phone", applicant_name="مسودة"))
    db.session.commit()
    everything = db.session.scalars(db.select(AidRequest).order_by(AidRequest.id)).all()
    by_deadline = by_state = False
    for offset in range(28):
        today = date(2025, 10, 1) + timedelta(days=offset)
        expected = [r for r in everything if services.is_overdue(r, r.submitted_at or r.created_at, today)]
        assert services.queue("overdue", staff["researcher"], today=today) == expected, today
        by_deadline |= any((d := services.deadline_of(r)) is not None and d < today for r in expected)
        by_state |= any(r.state == "approved" for r in expected)
    assert expected and len(expected) < 40
    assert by_deadline and by_state

"""Volunteers never see beneficiary files: what they see of a distribution day is that day's
list — names, and whether the aid was handed over — to the day's volunteers, on the day; no
request number, file, ID number or row id, on the page or in the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.aid.models import Disbursement
from core.extensions import db
from core.registry.models import Household, Person
from core.requests.models import CatalogItem
from core.tenancy import tenant_context
from core.volunteers import Opportunity, services
from tests.volunteers.helpers import opportunity_data, volunteer_data

WAITING, HANDED, OTHER = "هيا عبدالرحمن فهد الشهري", "مريم خالد سعد الحربي", "فهد سالم علي القحطاني"


@pytest.fixture
def day(in_first, staff, new_request, advance, make_member):
    """A distribution day today for the basket program: one approved request waiting, one
    handed over today, one of another program; the applicant is its assigned volunteer."""
    basket = CatalogItem(code="basket", name_ar="سلة غذائية", name_en="Food basket", kind="in_kind")
    other = CatalogItem(code="rent", name_ar="إيجار", name_en="Rent", kind="cash")
    db.session.add_all([basket, other])
    db.session.flush()
    waiting = advance(new_request(linked=True, catalog_item_id=basket.id, applicant_name=WAITING), "approved")
    handed = advance(new_request(linked=True, catalog_item_id=basket.id, applicant_name=HANDED), "disbursed")
    advance(new_request(linked=True, catalog_item_id=other.id, applicant_name=OTHER), "approved")
    for disbursement in db.session.scalars(
        db.select(Disbursement).where(Disbursement.request_id == handed.id)
    ):
        disbursement.disbursed_on, disbursement.catalog_item_id = services.today(), basket.id
    admin = staff["tenant_admin"]
    volunteer = services.offer(volunteer_data(), staff["applicant"])
    services.decide(volunteer, "accepted", admin)
    opportunity = services.create_opportunity(
        opportunity_data(kind="distribution_day", catalog_item_id=basket.id), admin
    )
    services.assign(opportunity, volunteer, admin)
    outsider = make_member("other-volunteer@first.example.org", in_first, ["applicant"])
    services.decide(services.offer(volunteer_data(name="ماجد علي"), outsider), "accepted", admin)
    secrets = [waiting.number, handed.number]
    secrets += [p.national_id for p in db.session.scalars(db.select(Person)) if p.national_id]
    db.session.commit()
    return {"opportunity_id": opportunity.id, "secrets": secrets, "outsider": outsider, "waiting": waiting.id}


def test_the_day_list_page_shows_names_only_to_the_days_volunteer(client, staff, login, day):
    login(staff["applicant"])
    url = f"/t/first/portal/volunteering/opportunities/{day['opportunity_id']}/day-list"
    page = client.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    listed = body[body.index('id="day-list"') :].split("</ol>")[0]
    assert WAITING in listed and HANDED in listed and OTHER not in listed
    for secret in day["secrets"]:
        assert secret not in body, secret
    assert "data-" not in listed and "href" not in listed  # no row id, no link to a file
    assert not re.search(r"[0-9\u0660-\u0669]", listed)  # no number of any kind (file, request, ID)
    login(day["outsider"])
    assert client.get(url).status_code == 404  # a volunteer without a place that day


def test_the_day_list_api_answers_name_and_received_only(api, staff, day):
    answer = api(staff["applicant"]).get(f"/volunteers/opportunities/{day['opportunity_id']}/day-list")
    assert answer.status_code == 200
    entries = answer.get_json()
    assert sorted(entries, key=lambda e: e["name"]) == sorted(
        [{"name": WAITING, "received": False}, {"name": HANDED, "received": True}], key=lambda e: e["name"]
    )
    raw = answer.get_data(as_text=True)
    for secret in day["secrets"]:
        assert secret not in raw
    assert (
        api(day["outsider"]).get(f"/volunteers/opportunities/{day['opportunity_id']}/day-list").status_code
        == 403
    )


def test_the_list_is_for_that_day_only(api, client, tenant, staff, login, day):
    with tenant_context(tenant):
        opportunity = db.session.get(Opportunity, day["opportunity_id"])
        opportunity.on_date = services.today() + timedelta(days=1)
        db.session.commit()
    assert (
        api(staff["applicant"]).get(f"/volunteers/opportunities/{day['opportunity_id']}/day-list").status_code
        == 403
    )
    login(staff["applicant"])
    assert (
        client.get(f"/t/first/portal/volunteering/opportunities/{day['opportunity_id']}/day-list").status_code
        == 404
    )
    # The coordinator sees it any day.
    assert (
        api(staff["tenant_admin"])
        .get(f"/volunteers/opportunities/{day['opportunity_id']}/day-list")
        .status_code
        == 200
    )


def test_a_volunteer_reaches_no_beneficiary_file_request_or_registry_page(
    api, client, tenant, staff, login, day
):
    with tenant_context(tenant):
        household_id = db.session.scalars(db.select(Household.id)).first()
    login(staff["applicant"])
    for url in (
        "/t/first/registry/",
        f"/t/first/registry/households/{household_id}",
        f"/t/first/requests/{day['waiting']}",
        "/t/first/requests/",
        "/t/first/volunteers/",
    ):
        assert client.get(url).status_code in (403, 404), url
    volunteer = api(staff["applicant"])
    for path in (
        f"/households/{household_id}",
        f"/requests/{day['waiting']}",
        "/files/",
        "/persons/",
        "/volunteers/",
    ):
        assert volunteer.get(path).status_code in (403, 404), path

"""The staff request page shows everything the request holds, in words, in the order the work
happens: what was asked, the file with its members, the visit field by field, the status log
with who and when, the committee's starting figure and the receipts."""

from __future__ import annotations

from datetime import date

import pytest

from core.aid.services import record_disbursement, upload_receipt
from core.documents.services import upload
from core.extensions import db
from core.registry.schemas import HouseholdSchema
from core.registry.services import create_household, household_file
from core.requests import services
from core.requests.models import AidRequest, CatalogItem
from core.tenancy import tenant_context
from core.testing import PNG, household_payload, person_payload, valid_id


def _catalog_item(code="rent", name_ar="إعانة الإيجار", name_en="Rent aid", value=None):
    item = CatalogItem(code=code, name_ar=name_ar, name_en=name_en, kind="cash", default_value_halalas=value)
    db.session.add(item)
    db.session.flush()
    return item


def _page(client, request_id, lang="ar"):
    response = client.get(f"/t/first/requests/{request_id}?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_the_program_the_amount_and_the_city_asked(client, login, staff, new_request):
    item = _catalog_item()
    request = new_request(catalog_item_id=item.id, requested_halalas=150_000, applicant_city="الطائف")
    db.session.commit()
    login(staff["researcher"])
    page = _page(client, request.id)
    asked = page.split('id="asked"', 1)[1].split("</section>", 1)[0]
    assert "إعانة الإيجار" in asked
    assert 'data-halalas="150000"' in asked and "1,500.00" in asked
    assert "الطائف" in asked


def test_recording_the_visit_moves_the_state_and_shows_each_field_checked(
    client, login, staff, tenant, new_request, advance
):
    request = advance(new_request(linked=True), "field_visit_scheduled")
    request_id = request.id
    db.session.commit()
    login(staff["researcher"])
    response = client.post(
        f"/t/first/requests/{request_id}/step/record_visit",
        data={
            "visited_on": "2025-11-09",
            "findings": "السكن مستأجر كما ذكر",
            "field": ["rent", "income"],
            "entered": ["18000", "2000"],
            "status": ["confirmed", "corrected"],
            "found": ["", "3500"],
        },
    )
    assert response.status_code == 302
    with tenant_context(tenant):
        assert db.session.get(AidRequest, request_id).state == "visited"
    page = _page(client, request_id)
    research = page.split('id="research"', 1)[1].split("</section>", 1)[0]
    assert 'id="visit-date"' in research and "السكن مستأجر كما ذكر" in research
    corrected = research.split('data-field="income" data-status="corrected"', 1)[1].split("</tr>", 1)[0]
    assert "2000" in corrected and "3500" in corrected and "مصحح" in corrected
    confirmed = research.split('data-field="rent" data-status="confirmed"', 1)[1].split("</tr>", 1)[0]
    assert "18000" in confirmed and "مؤكد" in confirmed
    # The status log says who recorded the visit, and the state it moved to, in words.
    log = page.split('id="timeline"', 1)[1]
    assert "researcher" in log.split('data-action="record_visit"', 1)[1].split("</li>", 1)[0]
    assert 'data-action="verify"' in page  # the next step is offered


def test_the_linked_file_is_shown_with_its_members(client, login, staff, new_request):
    household = create_household(HouseholdSchema().load(household_payload()))
    request = new_request(file_id=household_file(household).id)
    db.session.commit()
    login(staff["relations_officer"])
    page = _page(client, request.id)
    members = page.split('id="household-members"', 1)[1].split("</table>", 1)[0]
    assert members.count("data-member=") == 3  # the head and two members
    assert "فاطمة" in members and "خالد" in members and "زوج" in members


@pytest.mark.parametrize(
    ("asked", "ceiling", "typed", "source"),
    [
        (150_000, None, "1500", "The amount the applicant asked for."),
        (150_000, 100_000, "1000", "below the amount asked"),
        (None, 80_050, "800.50", "did not give an amount"),
        (None, None, "", "enter the amount decided"),
    ],
)
def test_the_committee_amount_starts_from_the_amount_asked_or_the_ceiling_and_says_which(
    client, login, staff, new_request, advance, asked, ceiling, typed, source
):
    fields = {"requested_halalas": asked}
    if ceiling:
        fields["catalog_item_id"] = _catalog_item(value=ceiling).id
    request = advance(new_request(linked=True, **fields), "in_committee")
    db.session.commit()
    login(staff["committee_member"])
    page = _page(client, request.id, lang="en")
    box = page.split('id="amount"', 1)[1].split(">", 1)[0]
    assert f'value="{typed}"' in box
    assert source in page.split('id="amount-hint"', 1)[1].split("</div>", 1)[0]


def test_a_disbursement_receipt_is_labelled_as_a_receipt_for_staff_and_applicant(
    client, login, staff, tenant, new_request, advance, make_member
):
    applicant = make_member("applicant@example.org", tenant, ["applicant"])
    request = advance(new_request(linked=True), "approved")
    request.applicant_user_id = applicant.id
    receipt = upload_receipt(request, staff["finance_officer"], PNG, "lease.png")
    record_disbursement(
        request,
        staff["finance_officer"],
        {
            "kind": "cash",
            "value_halalas": 50_000,
            "proof_type": "document",
            "proof_document_id": receipt.id,
            "disbursed_on": date(2025, 11, 20),
        },
    )
    request_id = request.id
    db.session.commit()
    login(staff["relations_officer"])
    staff_page = _page(client, request_id, lang="en")
    disbursements = staff_page.split('id="disbursements"', 1)[1].split("</section>", 1)[0]
    assert 'class="receipt"' in disbursements and "Proof of receipt" in disbursements
    documents = staff_page.split('id="documents"', 1)[1].split("</section>", 1)[0]
    assert "Proof of receipt" in documents
    client.post("/logout")
    login(applicant)
    portal = client.get(f"/t/first/portal/requests/{request_id}?lang=en").get_data(as_text=True)
    row = portal.split(f'data-document="{receipt.id}"', 1)[1].split("</li>", 1)[0]
    assert "lease.png" in row and "data-receipt" in row and "Proof of receipt" in row


def _household_with(members: int):
    payload = household_payload(
        head=person_payload(national_id=valid_id("1", 5_000_000 + members)),
        members=[
            {"person": {"first_name": f"ابن{i}", "family_name": "الغامدي"}, "relationship": "son"}
            for i in range(members)
        ],
    )
    return create_household(HouseholdSchema().load(payload))


def test_the_request_page_keeps_its_query_budget_whatever_the_number_of_members_documents_and_steps(
    client, login, staff, new_request, advance, max_queries
):
    made = []
    for size in (1, 6):
        household = _household_with(size)
        request = advance(new_request(file_id=household_file(household).id), "field_visit_scheduled")
        for i in range(size):
            upload(PNG, f"doc{i}.png", {"doc_type": "id_copy", "request_id": request.id})
            services.record_verification(
                request,
                staff["researcher"],
                {"body": "health", "outcome": "confirmed", "verified_on": date(2025, 11, 1)},
            )
        made.append(request.id)
    db.session.commit()
    login(staff["committee_member"])
    _page(client, made[0])  # the session's first request loads the user once more
    counts = []
    for request_id in made:
        with max_queries(40) as captured:
            _page(client, request_id)
        counts.append(captured.statements)
    assert len(counts[0]) == len(counts[1]), counts


def test_the_committee_check_names_each_field_the_visit_corrected_with_both_values(
    staff, new_request, advance
):
    request = advance(new_request(linked=True), "field_visit_scheduled")
    services.record_visit(
        request,
        staff["researcher"],
        visited_on=date(2025, 11, 9),
        findings="",
        checked_fields=[
            {"field": "الدخل", "entered": "2000", "status": "corrected", "found": "3500"},
            {"field": "الإيجار", "entered": "18000", "status": "not_seen", "found": ""},
            {"field": "المهنة", "entered": "حارس", "status": "confirmed", "found": ""},
        ],
    )
    check = next(c for c in services.assess(request) if c["code"] == "field_visit")
    assert check["outcome"] == "needs_review"
    assert "الدخل" in check["reason"] and "2000" in check["reason"] and "3500" in check["reason"]
    assert "الإيجار" in check["reason"] and "المهنة" not in check["reason"]
    assert check["figures"] == {"confirmed": 1, "corrected": 1, "not_seen": 1}

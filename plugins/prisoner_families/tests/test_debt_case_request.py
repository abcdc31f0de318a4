"""From a debt case: the request paying towards it is created from the case page, shows the
case inline on its page; a case with nothing left to pay says the release is what closes it."""

from __future__ import annotations

from core.toolkit import AidRequest, BeneficiaryFile, CatalogItem, db, install_default_catalog, tenant_context
from plugins.prisoner_families import services

PID = "prisoner_families"


def test_a_case_with_nothing_left_to_pay_says_the_release_closes_it(
    enabled, case_factory, client, login, staff
):
    case_id, _prisoner_id = case_factory(claimed=50_000)
    with tenant_context(enabled):
        services.add_entry(case_id, "other_payment", 50_000, payer="فاعل خير")
        db.session.commit()
    login(staff["researcher"])
    page = client.get(f"/t/first/prisoner_families/debt-cases/{case_id}?lang=en").get_data(as_text=True)
    hint = page.split('id="settled-hint"', 1)[1].split("</div>", 1)[0]
    assert "Nothing is left to pay" in hint and "release" in hint
    assert 'id="request-for-case"' not in page  # nothing to ask for
    assert 'id="release-form"' in page


def test_the_request_paying_a_case_is_created_from_the_case_page_and_shows_the_case(
    enabled, case_factory, client, login, staff
):
    case_id, _prisoner_id = case_factory(claimed=400_000)
    with tenant_context(enabled):
        install_default_catalog(enabled)
        db.session.commit()
    login(staff["relations_officer"])
    page = client.get(f"/t/first/prisoner_families/debt-cases/{case_id}").get_data(as_text=True)
    assert 'id="request-for-case"' in page
    created = client.post(
        f"/t/first/prisoner_families/debt-cases/{case_id}",
        data={"action": "request", "csrf_token": _csrf(page)},
    )
    assert created.status_code == 303
    request_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with tenant_context(enabled):
        request = db.session.get(AidRequest, request_id)
        assert request.extra[PID]["debt_case_id"] == case_id
        assert request.requested_halalas == 400_000 and request.state == "draft"
        assert db.session.get(CatalogItem, request.catalog_item_id).code == "relief_of_distress"
        file = db.session.get(BeneficiaryFile, request.file_id)
        assert file is not None and request.applicant_name.startswith("نورة")
    view = client.get(f"/t/first/requests/{request_id}?lang=en").get_data(as_text=True)
    panel = view.split('id="prisoner-debt-case"', 1)[1].split("</section>", 1)[0]
    assert "مؤسسة التقسيط" in panel and "4,000.00" in panel


def test_only_a_role_that_registers_requests_may_create_one_from_a_case(
    enabled, case_factory, client, login, staff
):
    case_id, _prisoner_id = case_factory(claimed=400_000)
    login(staff["committee_member"])
    page = client.get(f"/t/first/prisoner_families/debt-cases/{case_id}").get_data(as_text=True)
    assert 'id="request-for-case"' not in page
    refused = client.post(
        f"/t/first/prisoner_families/debt-cases/{case_id}",
        data={"action": "request", "csrf_token": _csrf(page)},
    )
    assert refused.status_code == 403
    with tenant_context(enabled):
        assert db.session.scalar(db.select(db.func.count(AidRequest.id))) == 0


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

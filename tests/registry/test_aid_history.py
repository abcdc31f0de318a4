"""The household file's aid history and ``person_aid_total`` (shared with partner associations)."""

from __future__ import annotations

from datetime import date

from core.aid.models import Disbursement
from core.aid.services import household_aid_history, install_default_catalog, person_aid_total
from core.extensions import db
from core.registry.models import BeneficiaryFile, Member
from core.registry.services import aid_total
from core.requests.models import AidRequest
from core.tenancy import tenant_context
from tests.fixtures import PASSWORD
from tests.registry.factories import person_payload, valid_id


def _file_of(household) -> BeneficiaryFile:
    return db.session.scalars(
        db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
    ).one()


def _paid(tenant, household, value: int, on: date) -> AidRequest:
    """A disbursed request of ``household`` written directly (another association's own records)."""
    with tenant_context(tenant):
        request = AidRequest(
            state="disbursed",
            channel="phone",
            applicant_name="x",
            file_id=_file_of(household).id,
            number=f"X-{value}",
        )
        db.session.add(request)
        db.session.flush()
        db.session.add(
            Disbursement(
                request_id=request.id,
                kind="cash",
                value_halalas=value,
                proof_type="acknowledgement",
                acknowledged_by="x",
                disbursed_on=on,
            )  # fmt: skip
        )
        db.session.commit()
        return request


def test_household_page_lists_requests_and_every_disbursement(
    app,
    create_household,
    tenant,
    staff,
    new_request,
    advance,
):
    household = create_household(tenant)
    install_default_catalog(tenant)
    from core.aid.models import CatalogItem

    basket = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == "cash_aid")).one()
    request = advance(new_request(file_id=_file_of(household).id, catalog_item_id=basket.id), "disbursed")
    new_request(file_id=_file_of(household).id)  # a draft, no disbursement
    new_request()  # not this household's
    db.session.commit()
    history = household_aid_history(household)
    assert len(history["requests"]) == 2 and history["total_halalas"] == 50000
    assert [(d.value_halalas, p.code) for d, _r, p in history["disbursements"]] == [(50000, "cash_aid")]

    client = app.test_client()
    client.post("/login", data={"email": staff["researcher"].email, "password": PASSWORD})
    page = client.get(f"/t/first/registry/households/{household.id}").get_data(as_text=True)
    assert request.number in page and 'id="aid-disbursements"' in page
    assert 'data-halalas="50000"' in page and "مساعدة نقدية" in page and "500.00" in page


def test_person_aid_total_sums_the_households_of_the_person_in_this_tenant(
    create_household, create_person, tenant, other_tenant
):
    household = create_household(tenant)
    with tenant_context(tenant):
        head = db.session.merge(household).head
    _paid(tenant, household, 12000, date(2025, 1, 5))
    _paid(tenant, household, 3000, date(2025, 2, 5))
    other_household = create_household(tenant)
    _paid(tenant, other_household, 99900, date(2025, 2, 5))
    with tenant_context(tenant):
        assert person_aid_total(head) == 15000
        assert aid_total(head) == 15000  # through the hook
        # a member of the household shares its aid
        son = db.session.scalars(db.select(Member).where(Member.household_id == household.id)).first()
        assert person_aid_total(son.person) == 15000
    with tenant_context(other_tenant):
        assert aid_total(head) == 0


def test_sharing_agreement_shows_the_partners_real_aid_total(
    api, create_user_, create_household, tenant, other_tenant
):
    number = valid_id()
    mine = create_household(tenant, head=person_payload(national_id=number))
    theirs = create_household(other_tenant, head=person_payload(national_id=number))
    _paid(other_tenant, theirs, 45000, date(2025, 3, 1))
    admin = create_user_(roles={tenant: ["tenant_admin"]})
    partner_admin = create_user_(roles={other_tenant: ["tenant_admin"]})
    api(admin).post("/sharing-agreements", json={"partner": "second"})
    api(partner_admin, "second").post("/sharing-agreements", json={"partner": "first"})
    shared = api(admin).get(f"/persons/{mine.head_person_id}/duplicates").json["shared"]
    assert [s["aid_total"] for s in shared] == [45000]

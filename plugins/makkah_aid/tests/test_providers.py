"""Issue 18: the seed's services as catalog items with their relief domain; providers as tenant
records (name, service, contract, bank details to finance only); a provider-delivered
disbursement names one of them and is proven by its invoice or the beneficiary's acknowledgement."""

from __future__ import annotations

import io

import pytest
from marshmallow import ValidationError

from core.testing import PDF, PNG, AuditEvent
from core.testing import record_disbursement as disburse
from core.testing import request_services as requests
from core.toolkit import CatalogItem, Forbidden, db, tenant_context, upload_document
from core.toolkit import today as tenant_today
from plugins.makkah_aid import services
from plugins.makkah_aid.models import ProviderDelivery

from .helpers import API, in_committee


def _item(code: str) -> CatalogItem:
    return db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == code)).one()


def _provider(staff, name="مركز الكلى", **extra):
    return services.save_provider(
        {"name": name, "catalog_item_id": _item("dialysis").id, **extra},
        staff["tenant_admin"],
        contract=PDF,
        contract_filename="عقد.pdf",
    )


def test_the_seeds_services_are_catalog_items_with_their_domain(makkah):
    domains = {
        item.code: services.domain_of(item) for _, items in services.services_by_domain() for item in items
    }
    assert domains["dialysis"] == "health"
    assert domains["speech_hearing"] == "health"
    assert domains["widows_housing"] == "housing"
    assert domains["education_support"] == "education"
    assert domains["cash_aid"] == "social"
    assert domains["food_basket"] == "in_kind"
    assert _item("dialysis").name_ar == "غسيل الكلى"


def test_a_provider_needs_a_name_a_service_and_its_contract(makkah, staff):
    with pytest.raises(ValidationError) as refused:
        services.save_provider({"name": ""}, staff["tenant_admin"])
    assert set(refused.value.messages) == {"name", "catalog_item_id", "contract"}
    provider = _provider(staff)
    assert provider.contract_file["content_type"] == "application/pdf"
    with pytest.raises(ValidationError) as duplicate:
        _provider(staff)
    assert list(duplicate.value.messages) == ["name"]


def test_bank_details_are_kept_to_finance(makkah, staff, client, token_for):
    with pytest.raises(Forbidden):
        _provider(staff, iban="SA0310000000000000000001")
    provider = _provider(staff)
    with pytest.raises(ValidationError) as refused:
        services.update_provider(provider, {"iban": "SA12"}, staff["finance_officer"])
    assert list(refused.value.messages) == ["iban"]
    services.update_provider(
        provider,
        {"bank_name": "الأهلي", "iban": "sa03 1000 0000 0000 0000 0001"},
        staff["finance_officer"],
    )
    assert provider.iban == "SA0310000000000000000001"
    with pytest.raises(Forbidden):
        services.update_provider(provider, {"name": "آخر"}, staff["finance_officer"])
    db.session.commit()
    finance = client.get(f"{API}/providers", headers=token_for(staff["finance_officer"])).json
    assert finance[0]["iban"] == "SA0310000000000000000001"
    researcher = client.get(f"{API}/providers", headers=token_for(staff["researcher"])).json
    assert "iban" not in researcher[0] and "bank_name" not in researcher[0]


def test_the_api_adds_a_provider_with_its_contract(makkah, staff, client, token_for):
    dialysis = _item("dialysis").id
    db.session.commit()
    headers = token_for(staff["tenant_admin"])
    missing = client.post(f"{API}/providers", data={"name": "مركز السمع"}, headers=headers)
    assert missing.status_code == 422 and {"catalog_item_id", "contract"} <= set(missing.json["errors"])
    made = client.post(
        f"{API}/providers",
        data={"name": "مركز السمع", "catalog_item_id": str(dialysis), "contract": (io.BytesIO(PNG), "c.png")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert made.status_code == 201, made.json
    assert made.json["domain"] == "health" and made.json["contract_filename"].endswith(".png")


def _approved(new_request, advance, household, staff, make_member):
    file = household()
    request = in_committee(new_request, advance, file)
    requests.approve(
        request,
        staff["committee_member"],
        amount_halalas=500_000,
        members_present=[staff["committee_member"].id],
    )
    return request


def _invoice(request, doc_type=services.INVOICE_TYPE):
    return upload_document(PDF, "invoice.pdf", {"doc_type": doc_type, "request_id": request.id})


def test_a_provider_delivered_disbursement_names_the_provider_and_its_invoice(
    makkah, household, new_request, advance, staff, make_member
):
    request = _approved(new_request, advance, household, staff, make_member)
    provider = _provider(staff)
    invoice = _invoice(request)
    disbursement = disburse(
        request,
        staff["finance_officer"],
        {
            "kind": "in_kind",
            "value_halalas": 200_000,
            "delivery_mode": "provider",
            "provider_name": provider.name,
            "proof_document_id": invoice.id,
            "disbursed_on": tenant_today(),
        },
    )
    delivery = db.session.scalars(db.select(ProviderDelivery)).one()
    assert (delivery.provider_id, delivery.disbursement_id, delivery.proof) == (
        provider.id,
        disbursement.id,
        "invoice",
    )
    # The beneficiary's acknowledgement proves it as well.
    disburse(
        request,
        staff["finance_officer"],
        {
            "kind": "in_kind",
            "value_halalas": 100_000,
            "delivery_mode": "provider",
            "provider_name": provider.name,
            "acknowledged_by": "خديجة حسن",
            "disbursed_on": tenant_today(),
        },
    )
    assert [d.proof for d, _ in services.deliveries_of(provider)] == ["acknowledgement", "invoice"]


@pytest.mark.parametrize("case", ["unknown provider", "receipt instead of invoice"])
def test_a_provider_disbursement_is_refused_without_a_provider_or_its_invoice(
    case, makkah, household, new_request, advance, staff, make_member
):
    request = _approved(new_request, advance, household, staff, make_member)
    provider = _provider(staff)
    data = {
        "kind": "in_kind",
        "value_halalas": 100_000,
        "delivery_mode": "provider",
        "disbursed_on": tenant_today(),
    }
    if case == "unknown provider":
        data.update(provider_name="جهة غير متعاقدة", acknowledged_by="خديجة")
    else:
        data.update(provider_name=provider.name, proof_document_id=_invoice(request, "receipt").id)
    with pytest.raises(ValidationError) as refused:
        disburse(request, staff["finance_officer"], data)
    field = "provider_name" if case == "unknown provider" else "proof_document_id"
    assert list(refused.value.messages) == [field]
    db.session.rollback()
    with tenant_context(makkah):
        assert db.session.scalars(db.select(ProviderDelivery)).all() == []


def test_the_providers_pages(makkah, staff, client, login):
    provider = _provider(staff)
    provider_id = provider.id
    db.session.commit()
    login(staff["researcher"])
    page = client.get("/t/first/makkah_aid/providers?lang=en").get_data(as_text=True)
    assert "Services by relief domain" in page and "مركز الكلى" in page and "provider-form" not in page
    got = client.get(f"/t/first/makkah_aid/providers/{provider_id}/contract")
    assert got.status_code == 200 and got.data == PDF
    with tenant_context(makkah):
        read = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "makkah_aid.provider.contract_read")
        ).all()
        assert [(e.object_type, e.object_id, e.user_id) for e in read] == [
            ("makkah_aid_provider", str(provider_id), staff["researcher"].id)
        ]
        bare = services.save_provider(
            {"name": "مركز آخر", "catalog_item_id": _item("dialysis").id}, staff["tenant_admin"], contract=PDF
        )
        bare.contract_file = None
        db.session.commit()
        bare_id = bare.id
    missing = client.get(f"/t/first/makkah_aid/providers/{bare_id}/contract?lang=en")
    assert missing.status_code == 404 and "No contract is kept for this provider." in missing.get_data(
        as_text=True
    )
    login(staff["tenant_admin"])
    refused = client.post("/t/first/makkah_aid/providers?lang=en", data={"name": "مركز"})
    assert refused.status_code == 422 and "Attach the provider" in refused.get_data(as_text=True)
    assert 'id="bank-details"' not in client.get("/t/first/makkah_aid/providers").get_data(as_text=True)


def test_the_request_page_names_the_provider_of_a_disbursement(
    makkah, household, new_request, advance, staff, make_member, client, login
):
    request = _approved(new_request, advance, household, staff, make_member)
    provider = _provider(staff)
    disburse(
        request,
        staff["finance_officer"],
        {
            "kind": "in_kind",
            "value_halalas": 100_000,
            "delivery_mode": "provider",
            "provider_name": provider.name,
            "acknowledged_by": "خديجة حسن",
            "disbursed_on": tenant_today(),
        },
    )
    request_id = request.id
    db.session.commit()
    login(staff["finance_officer"])
    page = client.get(f"/t/first/requests/{request_id}?lang=en").get_data(as_text=True)
    assert "Delivered by مركز الكلى" in page


def test_the_portal_links_the_associations_policies_in_force(makkah, staff, client, login, token_for):
    """The plugin lists them through the toolkit (``policies_in_force``)."""
    db.session.commit()
    made = client.post(
        "/t/first/api/v1/policies",
        data={
            "title": "دليل سياسة الدعم للمستفيدين",
            "kind": "support_policy_guide",
            "version": "1",
            "in_force_from": "2024-01-01",
            "file": (io.BytesIO(PDF), "guide.pdf"),
        },
        headers=token_for(staff["tenant_admin"]),
        content_type="multipart/form-data",
    )
    assert made.status_code == 201, made.json
    login(staff["applicant"])
    page = client.get("/t/first/makkah_aid/portal").get_data(as_text=True)
    assert "دليل سياسة الدعم للمستفيدين" in page and f"/portal/policies/{made.json['id']}/file" in page

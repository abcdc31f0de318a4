from __future__ import annotations

from core.aid.models import CatalogItem
from core.aid.services import install_default_catalog
from core.extensions import db
from core.tenancy import tenant_context

BASE = "/t/first/api/v1/aid"


def test_default_catalog_is_installed_once(in_first, tenant):
    assert install_default_catalog(tenant) >= 10
    assert install_default_catalog(tenant) == 0
    seasons = set(db.session.scalars(db.select(CatalogItem.season).where(CatalogItem.seasonal.is_(True))))
    assert seasons == {
        "school_bag",
        "ramadan_basket",
        "iftar",
        "zakat_al_fitr",
        "eid_clothing",
        "udhiya",
        "winter_clothing",
    }


def test_tenant_admin_extends_the_catalog_and_others_cannot(client, staff, token_for, tenant):
    item = {
        "code": "wheelchair",
        "name_ar": "كرسي متحرك",
        "name_en": "Wheelchair",
        "kind": "in_kind",
        "unit": "individual",
        "default_value": "1200",
    }
    assert (
        client.post(f"{BASE}/catalog", json=item, headers=token_for(staff["researcher"])).status_code == 403
    )
    created = client.post(f"{BASE}/catalog", json=item, headers=token_for(staff["tenant_admin"]))
    assert created.status_code == 201 and created.json["default_value_halalas"] == 120000
    assert (
        client.post(f"{BASE}/catalog", json=item, headers=token_for(staff["tenant_admin"])).status_code == 422
    )
    bad = client.post(
        f"{BASE}/catalog",
        json={**item, "code": "x2", "seasonal": True},
        headers=token_for(staff["tenant_admin"]),
    )
    assert bad.status_code == 422 and "season" in bad.json["errors"]
    patched = client.patch(
        f"{BASE}/catalog/{created.json['id']}",
        json={"active": False},
        headers=token_for(staff["tenant_admin"]),
    )
    assert patched.status_code == 200 and patched.json["active"] is False
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(CatalogItem.id))) == 1


def test_catalog_item_value_is_the_default_ceiling(new_request, advance, staff, in_first, tenant):
    import pytest
    from marshmallow import ValidationError

    from core.requests import services

    install_default_catalog(tenant)
    basket = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == "food_basket")).one()
    request = advance(new_request(linked=True, catalog_item_id=basket.id), "in_committee")
    assert services.ceiling_for(request).amount_halalas == 35000
    with pytest.raises(ValidationError):
        services.approve(
            request,
            staff["committee_member"],
            amount_halalas=35001,
            members_present=[staff["committee_member"].id],
        )


def test_catalog_page_shows_kinds_and_seasons_in_arabic_and_refuses_bad_items(client, staff, login, tenant):
    with tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    login(staff["tenant_admin"])
    page = client.get("/t/first/aid/catalog")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "الحقيبة المدرسية" in text and "نقدي" in text
    refused = client.post("/t/first/aid/catalog", data={"code": "", "name_ar": "", "kind": "gold"})
    assert refused.status_code == 422
    with tenant_context(tenant):
        assert (
            db.session.scalar(db.select(db.func.count(CatalogItem.id)).where(CatalogItem.kind == "gold")) == 0
        )

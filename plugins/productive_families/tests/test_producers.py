"""Producer profiles: registered on a registry household by staff (page and API), kept up to
date by the producer on the portal, products with prices and photos."""

from __future__ import annotations

import io

import pytest

from core.testing import AuditEvent
from core.toolkit import Invalid, db

from .. import services
from ..models import Producer, Product, ProductPhoto
from .conftest import PID

PAGE = f"/t/first/{PID}/"
API = f"/t/first/api/v1/{PID}"
PORTAL = f"/t/first/{PID}/portal/"


def test_a_household_becomes_a_producer_once(enabled, create_household, in_tenant):
    household = create_household(enabled)
    with in_tenant(enabled):
        producer = services.create_producer(
            {"household_id": household.id, "trade_name": "حلويات الأحساء", "activity": "sweets",
             "sales_channels": ["home", "exhibitions"], "capacity": "٣٠ علبة أسبوعياً"}
        )  # fmt: skip
        assert producer.person_id == household.head_person_id and producer.licence_status == "none"
        with pytest.raises(Invalid) as refused:
            services.create_producer({"household_id": household.id, "trade_name": "آخر", "activity": "food"})
        assert set(refused.value.messages) == {"household_id"}


def test_bad_profile_input_gets_field_errors_and_nothing_is_written(enabled, create_household, in_tenant):
    household = create_household(enabled)
    with in_tenant(enabled):
        with pytest.raises(Invalid) as refused:
            services.create_producer(
                {"household_id": household.id + 999, "trade_name": "x", "activity": "mining",
                 "sales_channels": ["teleport"]}
            )  # fmt: skip
        assert {"trade_name", "activity", "sales_channels"} <= set(refused.value.messages)
        assert services.producer_count() == 0


def test_an_activity_the_association_does_not_serve_is_refused(
    tenant, enable_plugin, create_household, in_tenant
):
    enable_plugin(tenant, PID, {"activities": ["food", "sewing"]})
    household = create_household(tenant)
    with in_tenant(tenant):
        with pytest.raises(Invalid) as refused:
            services.create_producer(
                {"household_id": household.id, "trade_name": "عطور", "activity": "perfume_incense"}
            )
        assert "activity" in refused.value.messages


def test_staff_register_a_producer_on_the_page_in_arabic(
    client, manager, login, enabled, create_household, in_tenant
):
    household = create_household(enabled)
    login(manager)
    response = client.post(
        PAGE,
        data={"action": "create", "household_id": household.id, "trade_name": "خياطة نورة", "activity": "sewing",
              "sales_channels": ["home", "social_media"]},
    )  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'dir="rtl"' in page and "خياطة نورة" in page and "خياطة وتطريز" in page
    with in_tenant(enabled):
        assert db.session.scalar(db.select(Producer.sales_channels)) == ["home", "social_media"]


def test_the_page_refuses_bad_input_with_422_and_keeps_what_was_typed(
    client, manager, login, enabled, in_tenant
):
    login(manager)
    response = client.post(PAGE, data={"action": "create", "trade_name": "مطبخ", "activity": "food"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="household_id-error"' in text and 'value="مطبخ"' in text
    with in_tenant(enabled):
        assert services.producer_count() == 0


def test_a_reader_sees_producers_but_may_not_register(client, reader, login, producer_factory):
    producer_factory()
    login(reader)
    page = client.get(PAGE)
    assert page.status_code == 200 and 'id="new-producer"' not in page.get_data(as_text=True)
    assert client.post(PAGE, data={"action": "create"}).status_code == 403


def test_the_api_registers_lists_and_audits_producers_of_its_tenant_only(
    client, manager, token_for, enabled, create_household, in_tenant, other_tenant, enable_plugin, make_member
):
    household = create_household(enabled)
    headers = token_for(manager)
    created = client.post(
        f"{API}/producers",
        json={"household_id": household.id, "trade_name": "بخور الأحساء", "activity": "perfume_incense"},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    assert created.json["needs_licence"] is True and created.json["licence_status"] == "none"
    with in_tenant(enabled):
        entry = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == f"{PID}.producer.created")
        ).one()
    assert entry.object_id == str(created.json["id"]) and entry.user_id == manager.id
    assert [p["id"] for p in client.get(f"{API}/producers", headers=headers).json] == [created.json["id"]]
    enable_plugin(other_tenant, PID)
    stranger = make_member("manager@second.example.org", other_tenant, ["researcher"])
    assert client.get(f"/t/second/api/v1/{PID}/producers", headers=token_for(stranger)).json == []
    assert (
        client.get(
            f"/t/second/api/v1/{PID}/producers/{created.json['id']}", headers=token_for(stranger)
        ).status_code
        == 404
    )


def test_the_api_refuses_bad_input_with_a_translated_422(client, manager, token_for, enabled, in_tenant):
    headers = {**token_for(manager), "Accept-Language": "ar"}
    response = client.post(
        f"{API}/producers", json={"trade_name": "x", "activity": "x", "colour": 1}, headers=headers
    )
    assert response.status_code == 422
    assert {"household_id", "trade_name", "activity", "colour"} <= set(response.json["errors"])
    assert "اختر" in str(response.json["errors"]["activity"])
    with in_tenant(enabled):
        assert services.producer_count() == 0


def test_products_take_prices_in_any_digits_through_the_api(client, manager, token_for, producer_factory):
    producer_id = producer_factory()
    headers = token_for(manager)
    made = client.post(
        f"{API}/producers/{producer_id}/products", json={"name": "معمول", "price": "٢٥٫٥٠"}, headers=headers
    )
    assert made.status_code == 201, made.json
    assert made.json["price"] == "25.50"
    changed = client.patch(
        f"{API}/producers/{producer_id}/products/{made.json['id']}", json={"price": "30"}, headers=headers
    )
    assert changed.status_code == 200 and changed.json["price"] == "30.00" and changed.json["name"] == "معمول"
    bad = client.patch(
        f"{API}/producers/{producer_id}/products/{made.json['id']}", json={"price": "-1"}, headers=headers
    )
    assert bad.status_code == 422 and "price" in bad.json["errors"]


@pytest.mark.parametrize("rows", [10, 100])
def test_the_lists_keep_their_query_budget_at_any_size(
    rows, client, manager, login, token_for, enabled, create_household, in_tenant, max_queries
):
    households = [create_household(enabled) for _ in range(rows)]
    with in_tenant(enabled):
        for i, household in enumerate(households):
            services.create_producer(
                {"household_id": household.id, "trade_name": f"منتج {i}", "activity": "food"}
            )
        db.session.commit()
    headers = token_for(manager)
    with max_queries(12):
        assert client.get(f"{API}/producers", headers=headers).status_code == 200
    login(manager)
    with max_queries(16):
        assert client.get(PAGE).status_code == 200


# --------------------------------------------------------------------------- the producer's portal


def test_the_producer_keeps_the_profile_and_products_on_the_portal(
    client, producer_account, login, enabled, in_tenant
):
    user, producer_id = producer_account
    login(user)
    page = client.get(PORTAL)
    assert page.status_code == 200 and "مطبخ أم محمد" in page.get_data(as_text=True)
    saved = client.post(
        PORTAL,
        data={"action": "profile", "trade_name": "مطبخ أم محمد", "activity": "food", "capacity": "٥٠ وجبة",
              "sales_channels": ["home"], "training_needs": "التغليف"},
    )  # fmt: skip
    assert saved.status_code == 303
    added = client.post(PORTAL, data={"action": "product", "name": "كبسة", "price": "45", "available": "1"})
    assert added.status_code == 303
    with in_tenant(enabled):
        producer = services.get_producer(producer_id)
        assert producer.capacity == "٥٠ وجبة" and producer.training_needs == "التغليف"
        product = db.session.scalars(db.select(Product)).one()
        assert (product.name, product.price_halalas) == ("كبسة", 4500)
    refused = client.post(PORTAL, data={"action": "product", "name": "ك", "price": "abc"})
    assert refused.status_code == 422
    assert 'id="price-error"' in refused.get_data(as_text=True)


def test_an_applicant_without_a_profile_and_staff_cannot_use_the_portal_pages(
    client, enabled, make_member, manager, login
):
    stranger = make_member("someone@first.example.org", enabled, ["applicant"])
    login(stranger)
    assert client.get(PORTAL).status_code == 404
    login(manager)
    assert client.get(PORTAL).status_code == 403


def test_a_producer_cannot_reach_another_producers_product(
    client, producer_account, producer_factory, login, enabled, in_tenant
):
    user, _ = producer_account
    other = producer_factory(trade_name="حلويات سارة", activity="sweets")
    with in_tenant(enabled):
        product = services.add_product(services.get_producer(other), {"name": "بسبوسة", "price": "20"})
        db.session.commit()
        product_id = product.id
    login(user)
    assert client.get(f"{PORTAL}products/{product_id}").status_code == 404
    assert (
        client.post(f"{PORTAL}products/{product_id}", data={"action": "product", "price": "1"}).status_code
        == 404
    )


def test_photos_are_images_only_and_a_refused_one_stores_nothing(
    client, producer_account, login, enabled, in_tenant, make_file
):
    user, producer_id = producer_account
    with in_tenant(enabled):
        product = services.add_product(services.get_producer(producer_id), {"name": "كليجا", "price": "15"})
        db.session.commit()
        product_id = product.id
    login(user)
    url = f"{PORTAL}products/{product_id}"
    refused = client.post(url, data={"action": "photo", "photo": (io.BytesIO(make_file("pdf")), "x.pdf")})
    assert refused.status_code == 422 and 'id="photo-error"' in refused.get_data(as_text=True)
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 0
    png = make_file("png", size=(40, 30))
    stored = client.post(url, data={"action": "photo", "photo": (io.BytesIO(png), "كليجا.png")})
    assert stored.status_code == 303
    with in_tenant(enabled):
        photo = db.session.scalars(db.select(ProductPhoto)).one()
        assert photo.document.doc_type == services.PHOTO_TYPE
    shown = client.get(f"{url}/photos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"


def test_a_household_page_registers_the_family_as_a_producer_from_its_file(
    client, manager, login, enabled, create_household, in_tenant
):
    household = create_household(enabled)
    login(manager)
    page = client.get(f"/t/first/registry/households/{household.id}").get_data(as_text=True)
    assert 'id="register-producer"' in page and "سجّلها أسرةً منتجة" in page
    form = client.get(f"{PAGE}?household={household.id}").get_data(as_text=True)
    assert f'id="household_id-{household.id}"' in form and "checked" in form
    assert (
        client.post(
            PAGE,
            data={
                "action": "create",
                "household_id": household.id,
                "trade_name": "مطبخ الأسرة",
                "activity": "food",
            },
        ).status_code
        == 303
    )
    page = client.get(f"/t/first/registry/households/{household.id}").get_data(as_text=True)
    assert "مطبخ الأسرة" in page and 'id="register-producer"' not in page

"""The public showcase: only for a consenting producer, nothing private, gone at once when the
consent is withdrawn or the plugin disabled (the data kept)."""

from __future__ import annotations

from core.toolkit import db

from .. import services
from ..models import Producer
from .conftest import PID

API = f"/t/first/api/v1/{PID}"


def showcase_url(producer_id: int) -> str:
    return f"/t/first/{PID}/showcase/{producer_id}"


def publish(client, user, login, number="0551234567", consent=True):
    login(user)
    data = {"action": "showcase", "showcase_whatsapp": number}
    if consent:
        data["showcase_consent"] = "on"
    return client.post(f"/t/first/{PID}/portal/", data=data)


def test_no_page_without_the_producers_consent(client, producer_factory):
    producer_id = producer_factory()
    assert client.get(showcase_url(producer_id)).status_code == 404


def test_a_consenting_producer_has_a_public_page_with_nothing_private(
    client, producer_account, login, enabled, in_tenant, make_file
):
    user, producer_id = producer_account
    with in_tenant(enabled):
        producer = services.get_producer(producer_id)
        shown = services.add_product(producer, {"name": "مرقوق", "price": "35", "description": "طبق أحسائي"})
        services.add_product(producer, {"name": "غير متوفر", "price": "10", "available": False})
        photo = services.add_photo(shown, make_file("png", size=(30, 20)), "p.png")
        db.session.commit()
        person = producer.person
        private = [
            person.first_name + " " + person.father_name,
            person.national_id,
            person.national_address,
            person.phone,
        ]
        photo_id = photo.id
    assert publish(client, user, login, number="٠٥٥ ١٢٣ ٤٥٦٧").status_code == 303
    client.post("/logout")
    page = client.get(showcase_url(producer_id))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'dir="rtl"' in text and "مطبخ أم محمد" in text and "مرقوق" in text and "35.00" in text
    assert "https://wa.me/966551234567" in text
    assert "غير متوفر" not in text
    for value in private:
        assert value and value not in text
    image = client.get(f"{showcase_url(producer_id)}/photos/{photo_id}")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get(f"/t/first/{PID}/showcase/").status_code == 200


def test_publishing_needs_a_valid_contact(client, producer_account, login, enabled, in_tenant):
    user, producer_id = producer_account
    refused = publish(client, user, login, number="")
    assert refused.status_code == 422 and 'id="showcase_whatsapp-error"' in refused.get_data(as_text=True)
    assert publish(client, user, login, number="12345").status_code == 422
    with in_tenant(enabled):
        assert services.get_producer(producer_id).showcase_consent is False


def test_withdrawing_the_consent_takes_the_page_and_photos_down_at_once(
    client, producer_account, login, enabled, in_tenant, make_file
):
    user, producer_id = producer_account
    with in_tenant(enabled):
        product = services.add_product(services.get_producer(producer_id), {"name": "قرص", "price": "5"})
        photo_id = services.add_photo(product, make_file("png"), "q.png").id
        db.session.commit()
    publish(client, user, login)
    assert client.get(showcase_url(producer_id)).status_code == 200
    assert publish(client, user, login, consent=False).status_code == 303
    assert client.get(showcase_url(producer_id)).status_code == 404
    assert client.get(f"{showcase_url(producer_id)}/photos/{photo_id}").status_code == 404


def test_disabling_the_plugin_removes_pages_api_and_showcase_and_keeps_the_data(
    client, producer_account, login, manager, token_for, enabled, enable_plugin, in_tenant
):
    user, producer_id = producer_account
    publish(client, user, login)
    assert client.get(showcase_url(producer_id)).status_code == 200
    enable_plugin(enabled, PID, enabled=False)
    assert client.get(showcase_url(producer_id)).status_code == 404
    assert client.get(f"/t/first/{PID}/portal/").status_code == 404
    assert client.get(f"{API}/producers", headers=token_for(manager)).status_code == 404
    login(manager)
    assert client.get(f"/t/first/{PID}/").status_code == 404
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(Producer.id))) == 1
    enable_plugin(enabled, PID)
    assert client.get(showcase_url(producer_id)).status_code == 200

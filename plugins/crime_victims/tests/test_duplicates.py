"""A duplicate crime category (its code) or partner name is an error on that field — 422, the
field named, nothing written — on the pages and through the API, and also when two requests
race past the services' check (the database's refusal answers the same field error)."""

from __future__ import annotations

import sqlalchemy as sa

from core.toolkit import db

from ..models import Category
from ..models_care import Partner
from .conftest import API, PAGE

PARTNER = {"name": "جمعية الإسكان الخيري", "services": ["housing"]}
CATEGORY = {"code": "extortion", "name_ar": "ابتزاز", "name_en": "Extortion"}


def _count(model, tenant, in_tenant) -> int:
    with in_tenant(tenant):
        return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_a_duplicate_partner_name_is_a_field_error_on_the_api_and_the_page(
    client, staff, token_for, login, in_tenant, enabled
):
    headers = token_for(staff["relations_officer"])
    assert client.post(f"{API}/partners", json=PARTNER, headers=headers).status_code == 201
    again = client.post(f"{API}/partners", json={**PARTNER, "services": ["legal"]}, headers=headers)
    assert again.status_code == 422
    assert again.json["errors"] == {"name": ["يوجد شريك بهذا الاسم."]}
    login(staff["relations_officer"])
    page = client.post(f"{PAGE}/partners", data={"name": PARTNER["name"], "services": ["housing"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="name-error"' in html and "يوجد شريك بهذا الاسم." in html
    assert _count(Partner, enabled, in_tenant) == 1


def test_a_duplicate_category_code_is_a_field_error_on_the_api_and_the_page(
    client, staff, token_for, login, in_tenant, enabled
):
    headers = token_for(staff["tenant_admin"])
    assert client.post(f"{API}/categories", json=CATEGORY, headers=headers).status_code == 201
    before = _count(Category, enabled, in_tenant)
    again = client.post(f"{API}/categories", json={**CATEGORY, "name_ar": "ابتزاز إلكتروني"}, headers=headers)
    assert again.status_code == 422 and list(again.json["errors"]) == ["code"]
    default = client.post(
        f"{API}/categories", json={"code": "domestic_violence", "name_ar": "عنف"}, headers=headers
    )
    assert default.status_code == 422 and list(default.json["errors"]) == ["code"]
    login(staff["tenant_admin"])
    page = client.post(f"{PAGE}/categories", data=CATEGORY)
    assert page.status_code == 422 and 'id="code-error"' in page.get_data(as_text=True)
    assert _count(Category, enabled, in_tenant) == before


def test_a_duplicate_racing_past_the_check_gets_the_same_field_error(
    client, staff, token_for, monkeypatch, in_tenant, enabled
):
    headers = token_for(staff["relations_officer"])
    assert client.post(f"{API}/partners", json=PARTNER, headers=headers).status_code == 201
    original = db.session.scalar

    def no_duplicate_check(statement, *args, **kwargs):
        # the service's "name taken?" query sees nothing, as a concurrent request would
        text = str(statement)
        if "crime_victims_partners.name" in text and "WHERE" in text:
            return original(statement.where(sa.false()), *args, **kwargs)
        return original(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", no_duplicate_check)
    response = client.post(f"{API}/partners", json=PARTNER, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"] == {"name": ["يوجد شريك بهذا الاسم."]}
    monkeypatch.undo()
    assert _count(Partner, enabled, in_tenant) == 1

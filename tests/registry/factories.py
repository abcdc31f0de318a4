"""Registry factories shared by tests/registry, tests/documents and tests/audit.

Import the fixtures into a folder's conftest: ``from tests.registry.factories import *``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from core.extensions import db
from core.registry.ids import check_digit_for
from core.registry.schemas import HouseholdSchema, PersonSchema
from core.registry.services import create_household as create_household_service
from core.registry.services import create_person as create_person_service
from core.tenancy import Tenant, tenant_context

_serial = itertools.count(1)


def valid_id(prefix: str = "1", serial: int | None = None) -> str:
    """A valid national ID (prefix 1) or iqama (prefix 2) with its check digit."""
    serial = next(_serial) if serial is None else serial
    body = f"{prefix}{serial % 10**8:08d}"
    return body + check_digit_for(body)


def person_payload(**overrides) -> dict:
    data = {
        "first_name": "أحمد",
        "father_name": "محمد",
        "grandfather_name": "علي",
        "family_name": "الغامدي",
        "national_id": valid_id(),
        "id_expiry": "2030-05-01",
        "nationality": "SA",
        "birth_date": "1985-03-02",
        "gender": "male",
        "marital_status": "married",
        "phone": "0551234567",
        "email": "ahmad@example.org",
        "national_address": "RRRD2929",
        "city": "مكة المكرمة",
        "job": "حارس",
        "monthly_income": "3000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def household_payload(**overrides) -> dict:
    data = {
        "head": person_payload(),
        "housing_tenure": "rented",
        "annual_rent": "18000",
        "category": "family",
        "members": [
            {
                "person": {"first_name": "فاطمة", "family_name": "الغامدي", "gender": "female"},
                "relationship": "spouse",
                "resides_with_head": True,
            },
            {
                "person": {"first_name": "خالد", "father_name": "أحمد", "family_name": "الغامدي"},
                "relationship": "son",
                "studying": True,
            },
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def create_person(app_ctx) -> Callable[..., object]:
    def factory(tenant: Tenant, **overrides):
        with tenant_context(tenant):
            person = create_person_service(PersonSchema().load(person_payload(**overrides)))
            db.session.commit()
            return person

    return factory


@pytest.fixture
def create_household(app_ctx) -> Callable[..., object]:
    def factory(tenant: Tenant, **overrides):
        with tenant_context(tenant):
            household = create_household_service(HouseholdSchema().load(household_payload(**overrides)))
            db.session.commit()
            return household

    return factory


@pytest.fixture
def officer(create_user_, tenant):
    """A relations officer who is also the case's researcher in ``tenant``."""
    return create_user_(roles={tenant: ["relations_officer", "researcher"]})


@pytest.fixture
def api(client, token_for):
    """``api(user).get(path)`` etc. with a bearer token; paths relative to the tenant API."""

    class Client:
        def __init__(self, user, tenant_slug: str = "first"):
            self.headers = token_for(user)
            self.base = f"/t/{tenant_slug}/api/v1"

        def __getattr__(self, method):
            def call(path, **kwargs):
                headers = {**self.headers, **kwargs.pop("headers", {})}
                return getattr(client, method)(self.base + path, headers=headers, **kwargs)

            return call

    return Client

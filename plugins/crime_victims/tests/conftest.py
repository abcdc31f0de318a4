"""Fixtures of the plugin's tests. The test kit (``core.testing``, a pytest plugin) gives the
rest: tenants, users with roles (``staff``), ``enable_plugin``, the browser-like ``client``,
``max_queries``, ``advance`` (core's workflow up to a state)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from core.testing import valid_id
from core.toolkit import db
from core.toolkit import today as tenant_today

from .. import services

PID = "crime_victims"
PAGE = f"/t/first/{PID}"
API = f"/t/first/api/v1/{PID}"


@pytest.fixture
def enabled(tenant, enable_plugin):
    """The first tenant, with the plugin enabled (default settings)."""
    enable_plugin(tenant, PID)
    return tenant


@pytest.fixture
def make_victim(enabled, create_person, in_tenant):
    """A registry person whose ID expires on ``expiry`` (in years by default): ``(id, number)``."""

    def make(expiry: date | None = None) -> SimpleNamespace:
        number = valid_id()
        expiry = expiry or tenant_today() + timedelta(days=900)
        person = create_person(enabled, national_id=number, id_expiry=expiry.isoformat())
        with in_tenant(enabled):
            return SimpleNamespace(id=db.session.merge(person).id, number=number)

    return make


@pytest.fixture
def victim(make_victim):
    return make_victim()


CASE_DATA = {
    "applicant_name": "منيرة سعد العتيبي",
    "applicant_phone": "0551112233",
    "channel": "phone",
    "category_code": "domestic_violence",
    "incident_date": "2026-10-01",
    "city": "الرياض",
    "no_report_reason": "تخشى الإبلاغ",
}


@pytest.fixture
def open_case(enabled, staff, in_tenant):
    """Open a case as the relations officer (committed); returns its id."""

    def make(**overrides) -> int:
        with in_tenant(enabled):
            case = services.open_case({**CASE_DATA, **overrides}, staff["relations_officer"])
            db.session.commit()
            return case.id

    return make


@pytest.fixture
def walk(enabled, staff, in_tenant, victim):
    """Record a case's intake steps up to ``last`` (2 … 5) with the demo-like staff."""

    def go(case_id: int, last: int) -> None:
        officer = staff["relations_officer"]
        with in_tenant(enabled):
            case = services.get_case(case_id)
            plan = [
                ("check", {"national_id": victim.number}, officer),
                ("clarify", {"outcome": "clear"}, officer),
                ("declare", {"signed_by": "منيرة سعد العتيبي"}, officer),
                ("notice", {}, officer),
            ]
            for action, data, actor in plan[: last - 1]:
                services.take(case, action, data, actor)
            db.session.commit()

    return go

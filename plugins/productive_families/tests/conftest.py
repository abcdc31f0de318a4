"""Fixtures of the plugin's tests. The test kit (``core.testing``) gives the rest: tenants, users
with roles, ``enable_plugin``, ``create_household``, the browser-like ``client``, ``max_queries``."""

from __future__ import annotations

import pytest

from core.toolkit import db, tenant_context

from .. import services

PID = "productive_families"


@pytest.fixture
def enabled(tenant, enable_plugin):
    """The first tenant, with the plugin enabled (default settings)."""
    enable_plugin(tenant, PID)
    return tenant


@pytest.fixture
def manager(enabled, make_member):
    return make_member("manager@first.example.org", enabled, ["researcher"])


@pytest.fixture
def reader(enabled, make_member):
    """Staff who may see the producers but not change them."""
    return make_member("reader@first.example.org", enabled, ["auditor"])


@pytest.fixture
def producer_factory(enabled, create_household):
    """``producer_factory(activity="food", **profile)`` → the producer's id (committed)."""

    def make(activity: str = "food", trade_name: str = "مطبخ أم محمد", **values) -> int:
        household = create_household(enabled)
        with tenant_context(enabled):
            producer = services.create_producer(
                {"household_id": household.id, "trade_name": trade_name, "activity": activity, **values}
            )
            db.session.commit()
            return producer.id

    return make


@pytest.fixture
def producer_account(enabled, make_member, producer_factory):
    """A producer whose portal account (an applicant) is linked: (user, producer id)."""
    user = make_member("producer@first.example.org", enabled, ["applicant"])
    producer_id = producer_factory()
    with tenant_context(enabled):
        services.link_account(services.get_producer(producer_id), {"email": user.email})
        db.session.commit()
    return user, producer_id

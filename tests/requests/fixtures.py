"""Factories for request, aid and notification tests (imported by their conftest files)."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.models import TENANT_ROLES
from core.extensions import db
from core.requests import services
from core.tenancy import tenant_context

ROLES = TENANT_ROLES


@pytest.fixture(scope="session")
def password_hash():
    from core.auth.models import _hasher
    from tests.conftest import PASSWORD

    return _hasher.hash(PASSWORD)


@pytest.fixture
def make_member(app_ctx, password_hash):
    """A user with ``roles`` in ``tenant`` (the password hash computed once per session: argon2 is slow)."""
    from core.auth.models import User
    from core.auth.services import set_roles

    def make(email: str, tenant, roles: list[str]):
        user = User(email=email, name=email.split("@")[0], password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
        set_roles(tenant, user, roles)
        db.session.commit()
        return user

    return make


@pytest.fixture
def staff(tenant, make_member):
    """One user per role in ``tenant``: ``staff["researcher"]`` …"""
    return {role: make_member(f"{role}@first.example.org", tenant, [role]) for role in ROLES}


@pytest.fixture
def in_first(tenant):
    with tenant_context(tenant):
        yield tenant


@pytest.fixture
def new_request(in_first, staff):
    def make(linked: bool = False, **fields):
        """``linked``: with a new household's beneficiary file (needed to approve or disburse)."""
        if linked and "file_id" not in fields:
            fields["file_id"] = new_file().id
        data = {
            "channel": "in_person",
            "applicant_name": "نورة محمد عبدالله السبيعي",
            "applicant_phone": "0500000001",
            **fields,
        }
        request = services.create_request(data, staff["relations_officer"])
        db.session.flush()
        return request

    return make


_file_serial = iter(range(7_000_000, 8_000_000))


def new_file(**head):
    """A new household's beneficiary file in the tenant in context (flushed, not committed)."""
    from core.registry.schemas import HouseholdSchema
    from core.registry.services import create_household, household_file
    from tests.registry.factories import household_payload, person_payload, valid_id

    head = person_payload(national_id=valid_id("2", next(_file_serial)), nationality="EG", **head)
    household = create_household(HouseholdSchema().load(household_payload(head=head, members=[])))
    return household_file(household)


def new_file_id(tenant, **head) -> int:
    """``new_file`` committed in ``tenant``; its id."""
    with tenant_context(tenant):
        file = new_file(**head)
        db.session.commit()
        return file.id


def link_new_file(request, actor):
    """Register a household and link ``request`` to its file."""
    file = new_file()
    services.link_file(request, actor, file.id)
    db.session.flush()
    return file


@pytest.fixture
def advance(staff):
    """Take a request through the normal path up to ``state`` (a request reaching the committee's
    approval without a beneficiary file gets a new household's file linked first)."""

    def ensure_file(request):
        if request.file_id is None:
            link_new_file(request, staff["relations_officer"])

    def go(request, state: str):
        path = [
            (
                "submitted",
                lambda r: services.submit(r, staff["relations_officer"], declaration_signed_by="نورة"),
            ),
            ("in_research", lambda r: services.start_research(r, staff["researcher"])),
            (
                "field_visit_scheduled",
                lambda r: services.schedule_visit(r, staff["researcher"], date(2025, 11, 9)),
            ),
            (
                "verified",
                lambda r: (
                    services.record_visit(
                        r,
                        staff["researcher"],
                        visited_on=date(2025, 11, 9),
                        findings="زيارة ميدانية",
                        checked_fields=[
                            {"field": "rent", "entered": "12000", "status": "confirmed", "found": ""}
                        ],
                    ),
                    services.verify(r, staff["researcher"]),
                ),
            ),
            ("in_committee", lambda r: services.send_to_committee(r, staff["researcher"])),
            (
                "approved",
                lambda r: (
                    ensure_file(r)
                    or services.approve(
                        r,
                        staff["committee_member"],
                        amount_halalas=100000,
                        members_present=[staff["committee_member"].id],
                    )
                ),
            ),
            (
                "disbursed",
                lambda r: __import__("core.aid.services", fromlist=["x"]).record_disbursement(
                    r,
                    staff["finance_officer"],
                    {
                        "kind": "cash",
                        "value_halalas": 50000,
                        "proof_type": "acknowledgement",
                        "acknowledged_by": "نورة",
                        "disbursed_on": date(2025, 11, 20),
                    },
                ),
            ),
        ]
        for _target, step in path:
            if request.state == state:
                break
            step(request)
        db.session.flush()
        assert request.state == state
        return request

    return go

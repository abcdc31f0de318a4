"""Factories as fixtures: tenants, users with roles, enabled plugins, households and beneficiary
files, aid requests taken along their path, files to upload.

Fixtures take what they need from ``app_ctx``; helpers that are plain functions (``valid_id``,
``person_payload``, ``new_file`` …) work inside a ``tenant_context``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest

from core.aid.services import record_disbursement
from core.auth.models import TENANT_ROLES, User, _hasher
from core.auth.services import create_user, issue_token, set_roles
from core.extensions import db
from core.plugins import set_plugin_state
from core.registry.ids import check_digit_for
from core.registry.schemas import HouseholdSchema, PersonSchema
from core.registry.services import create_household as create_household_service
from core.registry.services import create_person as create_person_service
from core.registry.services import household_file
from core.requests import services as request_services
from core.tenancy import Tenant, tenant_context
from core.tenancy.services import create_tenant as create_tenant_service

from .app import PASSWORD
from .files import make_image, make_pdf

ROLES = TENANT_ROLES

# --- tenants, users, plugins, clients -----------------------------------------------------------


@pytest.fixture
def create_tenant(app_ctx) -> Callable[..., Tenant]:
    counter = {"n": 0}

    def factory(slug: str | None = None, **fields) -> Tenant:
        counter["n"] += 1
        slug = slug or f"assoc-{counter['n']}"
        data = {"slug": slug, "name_ar": f"جمعية {slug}", "name_en": f"Association {slug}", **fields}
        tenant = create_tenant_service(data)
        db.session.commit()
        return tenant

    return factory


@pytest.fixture
def create_user_(app_ctx) -> Callable[..., User]:
    counter = {"n": 0}

    def factory(
        email: str | None = None, roles: dict | None = None, platform_admin: bool = False, **kw
    ) -> User:
        counter["n"] += 1
        user = create_user(
            {
                "email": email or f"user{counter['n']}@example.org",
                "password": PASSWORD,
                "name": kw.get("name", f"User {counter['n']}"),
                "is_platform_admin": platform_admin,
            }
        )
        for tenant, tenant_roles in (roles or {}).items():
            set_roles(tenant, user, list(tenant_roles))
        db.session.commit()
        return user

    return factory


@pytest.fixture
def tenant(create_tenant) -> Tenant:
    return create_tenant("first")


@pytest.fixture
def other_tenant(create_tenant) -> Tenant:
    return create_tenant("second")


@pytest.fixture
def enable_plugin(app_ctx) -> Callable[..., None]:
    def enable(tenant: Tenant, plugin_id: str = "dummy", settings: dict | None = None, enabled: bool = True):
        set_plugin_state(tenant, plugin_id, enabled, settings)
        db.session.commit()

    return enable


@pytest.fixture
def login(client):
    def do_login(user: User, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data
        return client

    return do_login


@pytest.fixture
def token_for(app_ctx) -> Callable[[User], dict]:
    def make(user: User) -> dict:
        _token, secret = issue_token(db.session.merge(user))
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def in_tenant(app_ctx):
    """``with in_tenant(t): ...`` — run ORM code for one tenant inside the test."""
    return tenant_context


@pytest.fixture
def make_file() -> Callable[..., bytes]:
    """``make_file("pdf")`` / ``make_file("png", size=(20, 10))``: a real, tiny, valid file."""

    def make(kind: str = "pdf", **options) -> bytes:
        if kind == "pdf":
            return make_pdf(**options)
        return make_image({"jpg": "JPEG"}.get(kind, kind.upper()), **options)

    return make


# --- households and beneficiary files ------------------------------------------------------------

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


# --- aid requests -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def password_hash():
    return _hasher.hash(PASSWORD)


@pytest.fixture
def make_member(app_ctx, password_hash):
    """A user with ``roles`` in ``tenant`` (the password hash computed once per session: argon2 is slow)."""

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
        request = request_services.create_request(data, staff["relations_officer"])
        db.session.flush()
        return request

    return make


_file_serial = iter(range(7_000_000, 8_000_000))


def new_file(**head):
    """A new household's beneficiary file in the tenant in context (flushed, not committed)."""
    head = person_payload(national_id=valid_id("2", next(_file_serial)), nationality="EG", **head)
    household = create_household_service(HouseholdSchema().load(household_payload(head=head, members=[])))
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
    request_services.link_file(request, actor, file.id)
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
                lambda r: request_services.submit(
                    r, staff["relations_officer"], declaration_signed_by="نورة"
                ),
            ),
            ("in_research", lambda r: request_services.start_research(r, staff["researcher"])),
            (
                "field_visit_scheduled",
                lambda r: request_services.schedule_visit(r, staff["researcher"], date(2025, 11, 9)),
            ),
            (
                "verified",
                lambda r: (
                    request_services.record_visit(
                        r,
                        staff["researcher"],
                        visited_on=date(2025, 11, 9),
                        findings="زيارة ميدانية",
                        checked_fields=[
                            {"field": "rent", "entered": "12000", "status": "confirmed", "found": ""}
                        ],
                    ),
                    request_services.verify(r, staff["researcher"]),
                ),
            ),
            ("in_committee", lambda r: request_services.send_to_committee(r, staff["researcher"])),
            (
                "approved",
                lambda r: (
                    ensure_file(r)
                    or request_services.approve(
                        r,
                        staff["committee_member"],
                        amount_halalas=100000,
                        members_present=[staff["committee_member"].id],
                    )
                ),
            ),
            (
                "disbursed",
                lambda r: record_disbursement(
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
        # From where the request stands: a request already part-way goes on from its state.
        targets = [target for target, _step in path]
        start = targets.index(request.state) + 1 if request.state in targets else 0
        for _target, step in path[start:]:
            if request.state == state:
                break
            step(request)
        db.session.flush()
        assert request.state == state
        return request

    return go

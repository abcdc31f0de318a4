"""Every unique constraint reachable from an endpoint answers a translated 422 field error, never a 500.

``CASES`` names every unique constraint and unique index of the metadata (core and plugins):
either the requests that provoke it through the API (the duplicate create or update), or why
no client can (values the platform generates itself). A new unique constraint without an
entry fails :func:`test_every_unique_constraint_has_an_entry`. The last tests pull the
services' own checks away to show that the database's refusal alone still answers 422 with
the field — the safety net under every entry here — on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from core.calendar import today as tenant_today
from core.extensions import db
from core.integrity import unique_constraints
from core.requests.models import FieldVisit
from core.tenancy import tenant_context
from core.testing import PNG
from tests.registry.factories import household_payload, person_payload, valid_id

API = "/t/first/api/v1"
EVERY_ROLE = [
    "tenant_admin",
    "relations_officer",
    "researcher",
    "committee_member",
    "executive_director",
    "finance_officer",
    "auditor",
]


class Sweep:
    """One tenant with every plugin enabled, a user holding every staff role, a platform admin."""

    def __init__(self, client, tenant, other_tenant, create_user_, token_for, enable_plugin):
        self.client = client
        self.tenant = tenant
        self.other_tenant = other_tenant
        enable_plugin(tenant, "prisoner_families", {"service_area": ["القريات"]})
        enable_plugin(tenant, "makkah_aid", {"service_area": ["مكة المكرمة"]})
        enable_plugin(tenant, "crime_victims")
        enable_plugin(tenant, "productive_families")
        self.create_user_ = create_user_
        self.token_for = token_for
        self.staff = create_user_("all-roles@first.example.org", roles={tenant: EVERY_ROLE})
        self.headers = token_for(self.staff)
        self.platform = token_for(create_user_("platform@example.org", platform_admin=True))

    def call(self, method: str, path: str, json=None, headers=None):
        base = "" if path.startswith("/api/") or path.startswith("/t/") else API
        return getattr(self.client, method)(base + path, json=json, headers=headers or self.headers)

    def ok(self, method: str, path: str, json=None, headers=None) -> dict:
        response = self.call(method, path, json, headers)
        assert response.status_code in (200, 201), (path, response.status_code, response.json)
        return response.json

    def household(self, **overrides) -> dict:
        payload = household_payload(**{"head": person_payload(national_id=valid_id()), **overrides})
        return self.ok("post", "/households", payload)

    def person(self, **overrides) -> dict:
        return self.ok("post", "/persons", person_payload(national_id=valid_id(), **overrides))

    def prisoner(self) -> dict:
        person = self.person(city="القريات")
        return self.ok(
            "post",
            "/prisoner_families/prisoners",
            {
                "person_id": person["id"],
                "facility": "سجن القريات",
                "case_type": "public_right",
                "imprisoned_on": "1446-07-10",
            },
        )


@dataclass(frozen=True)
class Provoke:
    """The last request repeats a unique value: 422 with ``field`` (a dotted path) in ``errors``."""

    field: str
    run: Callable[[Sweep], object]


@dataclass(frozen=True)
class Upsert:
    """The endpoint updates the row it would duplicate: the repeat succeeds (2xx), no 500."""

    run: Callable[[Sweep], object]


@dataclass(frozen=True)
class Unreachable:
    """No client chooses these values (the platform generates them)."""

    reason: str


GENERATED_ID = Unreachable(
    "(tenant_id, id): the id is generated; the key exists for tenant-safe foreign keys"
)


def _person_post(s: Sweep):
    taken = s.person()["national_id"]
    return s.call("post", "/persons", person_payload(national_id=taken))


def _person_patch(s: Sweep):
    taken = s.person()["national_id"]
    other = s.person()
    return s.call("patch", f"/persons/{other['id']}", {"national_id": taken})


def _household_head(s: Sweep):
    taken = s.person()["national_id"]
    return s.call("post", "/households", household_payload(head=person_payload(national_id=taken)))


def _member_post_new_person(s: Sweep):
    taken = s.person()["national_id"]
    household = s.household()
    return s.call(
        "post",
        f"/households/{household['id']}/members",
        {"person": person_payload(national_id=taken), "relationship": "son"},
    )


def _member_patch_national_id(s: Sweep):
    """The reported defect: this answered 500 (UniqueViolation)."""
    taken = s.person()["national_id"]
    household = s.household()
    member = s.ok("get", f"/households/{household['id']}/members")[0]
    return s.call(
        "patch", f"/households/{household['id']}/members/{member['id']}", {"person": {"national_id": taken}}
    )


def _member_twice(s: Sweep):
    household = s.household(members=[])
    person = s.person()
    path = f"/households/{household['id']}/members"
    s.ok("post", path, {"person_id": person["id"], "relationship": "son"})
    return s.call("post", path, {"person_id": person["id"], "relationship": "son"})


def _tenant_slug(s: Sweep):
    return s.call(
        "post",
        "/api/v1/tenants",
        {"slug": "first", "name_ar": "جمعية", "name_en": "Assoc"},
        headers=s.platform,
    )


def _catalog_code(s: Sweep):
    item = {"code": "food_basket_x", "name_ar": "سلة غذائية", "name_en": "Food basket", "kind": "in_kind"}
    s.ok("post", "/aid/catalog", item)
    return s.call("post", "/aid/catalog", item)


def _survey_code(s: Sweep):
    survey = {"code": "service", "name_ar": "استبانة الخدمة", "name_en": "Service survey"}
    s.ok("post", "/surveys/", survey)
    return s.call("post", "/surveys/", survey)


def _member_of_tenant(s: Sweep):
    return s.call("post", "/members/", {"email": s.staff.email, "roles": ["auditor"]})


def _invite_twice(s: Sweep):
    s.ok("post", "/members/", {"email": "twice@example.org", "roles": ["auditor"]})
    return s.ok("post", "/members/", {"email": "twice@example.org", "roles": ["researcher"]})


def _sharing_twice(s: Sweep):
    s.ok("post", "/sharing-agreements", {"partner": s.other_tenant.slug})
    return s.ok("post", "/sharing-agreements", {"partner": s.other_tenant.slug})


def _assign_twice(s: Sweep):
    grievance = s.ok(
        "post",
        "/grievances/",
        {"kind": "complaint", "category": "service", "channel": "phone", "complainant_name": "نورة السبيعي",
         "complainant_phone": "0500000001", "description": "تأخر", "event_date": "2020-01-01",
         "late_excuse": "عذر مقبول"},
    )  # fmt: skip
    path = f"/grievances/{grievance['id']}/assign"
    s.ok("post", path, {"user_ids": [s.staff.id, s.staff.id]})
    return s.ok("post", path, {"user_ids": [s.staff.id]})


def _plugin_twice(s: Sweep):
    path = f"/api/v1/tenants/{s.tenant.slug}/plugins/dummy"
    s.ok("put", path, {"enabled": True}, headers=s.platform)
    return s.ok("put", path, {"enabled": True}, headers=s.platform)


def _program_code(s: Sweep):
    program = {"code": "new_start", "name_ar": "بداية جديدة", "name_en": "New start"}
    s.ok("post", "/prisoner_families/programs", program)
    return s.call("post", "/prisoner_families/programs", program)


def _prisoner_twice(s: Sweep):
    prisoner = s.prisoner()
    return s.call(
        "post",
        "/prisoner_families/prisoners",
        {
            "person_id": prisoner["person_id"],
            "facility": "سجن القريات",
            "case_type": "public_right",
            "imprisoned_on": "1446-07-10",
        },
    )


def _family_link_twice(s: Sweep):
    household = s.household()
    first, second = s.prisoner(), s.prisoner()
    s.ok("post", f"/prisoner_families/prisoners/{first['id']}/families", {"household_id": household["id"]})
    return s.call(
        "post", f"/prisoner_families/prisoners/{second['id']}/families", {"household_id": household["id"]}
    )


def _enrol_twice(s: Sweep):
    program = s.ok(
        "post", "/prisoner_families/programs", {"code": "twice", "name_ar": "برنامج", "name_en": "Program"}
    )
    prisoner = s.prisoner()
    path = f"/prisoner_families/programs/{program['id']}/enrolments"
    s.ok("post", path, {"prisoner_id": prisoner["id"]})
    return s.call("post", path, {"prisoner_id": prisoner["id"]})


def _attendance_twice(s: Sweep):
    program = s.ok(
        "post", "/prisoner_families/programs", {"code": "attend", "name_ar": "برنامج", "name_en": "Program"}
    )
    prisoner = s.prisoner()
    enrolment = s.ok(
        "post", f"/prisoner_families/programs/{program['id']}/enrolments", {"prisoner_id": prisoner["id"]}
    )
    session = s.ok(
        "post",
        f"/prisoner_families/programs/{program['id']}/sessions",
        {"held_on": "2025-01-05", "topic": "أ"},
    )
    marks = {"marks": [{"enrolment_id": enrolment["id"], "present": True}]}
    s.ok("put", f"/prisoner_families/sessions/{session['id']}/attendance", marks)
    return s.ok("put", f"/prisoner_families/sessions/{session['id']}/attendance", marks)


def _renewal_twice(s: Sweep):
    s.household(head=person_payload(national_id=valid_id(), city="مكة المكرمة"))
    file_id = s.ok("get", "/files")[0]["id"]
    round_ = s.ok("post", "/makkah_aid/rounds", {"title": "تحديث"})
    path = f"/makkah_aid/rounds/{round_['id']}/renewals"
    s.ok("post", path, {"file_id": file_id})
    return s.call("post", path, {"file_id": file_id})


def _plan(s: Sweep, year: int = 2025):
    """A plan imported through the API (multipart), as a response."""
    text = "رقم الهدف,نوع الهدف,الهدف,المؤشر,النشاط\n1,استراتيجي,هدف,مؤشر,نشاط\n"
    data = {"fiscal_year": str(year), "title": "خطة", "file": (io.BytesIO(text.encode()), "plan.csv")}
    return s.client.post(API + "/planning/plans", data=data, headers=s.headers)


def _plan_twice(s: Sweep):
    assert _plan(s).status_code == 201
    return _plan(s)  # the year's plan exists: refused by state (409), never a second version 1


def _plan_progress_twice(s: Sweep, kind: str):
    plan = _plan(s, 2026).json
    detail = s.ok("get", f"/planning/plans/{plan['id']}")
    goal = detail["goals"][0]
    item = goal["activities"][0] if kind == "activities" else goal["indicators"][0]
    body = {"month": 3, "count": "2"} if kind == "activities" else {"month": 3, "value": "2"}
    for _ in range(2):  # the second entry of a month replaces the first
        answer = s.call("post", f"/planning/plans/{plan['id']}/{kind}/{item['id']}/progress", body)
        assert answer.status_code == 204, answer.json


def _cv_category_twice(s: Sweep):
    category = {"code": "fraud_x", "name_ar": "احتيال", "name_en": "Fraud"}
    s.ok("post", "/crime_victims/categories", category)
    return s.call("post", "/crime_victims/categories", category)  # refused: 422 on "code"


def _cv_partner_twice(s: Sweep):
    partner = {"name": "مركز الإرشاد", "services": ["legal"]}
    s.ok("post", "/crime_victims/partners", partner)
    return s.call("post", "/crime_victims/partners", partner)  # refused: 422 on "name"


def _provider(s: Sweep, item_id: int):
    data = {
        "name": "مزود الخدمة",
        "catalog_item_id": str(item_id),
        "contract": (io.BytesIO(PNG), "contract.png"),
    }
    return s.client.post(API + "/makkah_aid/providers", data=data, headers=s.headers)


def _provider_name(s: Sweep):
    item = {"code": "provided", "name_ar": "خدمة", "name_en": "Service", "kind": "in_kind"}
    item_id = s.ok("post", "/aid/catalog", item)["id"]
    first = _provider(s, item_id)
    assert first.status_code == 201, first.json
    return _provider(s, item_id)


def _producer(s: Sweep, household_id: int):
    body = {"household_id": household_id, "trade_name": "مطبخ البيت", "activity": "food"}
    return s.call("post", "/productive_families/producers", body)


def _followup_twice(s: Sweep):
    from core.toolkit import add_months

    producer = _producer(s, s.household()["id"]).json
    issued = add_months(tenant_today(), -3)
    path = f"/productive_families/producers/{producer['id']}"
    s.ok("post", path + "/licence", {"status": "applied"})
    licence = {"status": "issued", "body": "بلدي", "number": "1", "issued_on": issued.isoformat()}
    s.ok("post", path + "/licence", {**licence, "expires_on": add_months(issued, 12).isoformat()})
    body = {"anchor": "licence", "anchor_on": issued.isoformat(), "months": 3, "income": "10"}
    body["followed_on"] = tenant_today().isoformat()
    s.ok("post", path + "/followups", body)
    return s.call("post", path + "/followups", body)


def _put_file(s: Sweep, path: str):
    data = {"file": (io.BytesIO(PNG), "file.png")}
    response = s.client.put(API + path, data=data, headers=s.headers, content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    return response


def _leaflet_twice(s: Sweep):
    _put_file(s, "/productive_families/licensing/leaflets/food")
    _put_file(s, "/productive_families/licensing/leaflets/food")  # replaces the leaflet kept


def _study_twice(s: Sweep):
    exhibition = s.ok(
        "post",
        "/productive_families/exhibitions",
        {
            "name": "معرض",
            "place": "الأحساء",
            "starts_on": "2027-01-10",
            "ends_on": "2027-01-12",
            "applications_close_on": "2027-01-01",
            "booths": 5,
        },
    )
    path = f"/productive_families/exhibitions/{exhibition['id']}/feasibility-study"
    _put_file(s, path)
    _put_file(s, path)  # replaces the study kept


def _producer_twice(s: Sweep):
    household = s.household()
    assert _producer(s, household["id"]).status_code == 201
    return _producer(s, household["id"])


def _award(s: Sweep, year: int = 2025):
    criteria = [{"name": "الجودة", "weight": 100}]
    return s.call(
        "post", "/productive_families/awards", {"year": year, "name": "جائزة", "criteria": criteria}
    )


def _award_year(s: Sweep):
    assert _award(s).status_code == 201
    return _award(s)


def _nominate_twice(s: Sweep):
    award = _award(s, 2026).json
    producer = _producer(s, s.household()["id"]).json
    path = f"/productive_families/awards/{award['id']}/nominations"
    s.ok("post", path, {"producer_id": producer["id"]})
    return s.call("post", path, {"producer_id": producer["id"]})


def _scores_twice(s: Sweep):
    award = _award(s, 2027).json
    producer = _producer(s, s.household()["id"]).json
    path = f"/productive_families/awards/{award['id']}"
    nomination = s.ok("post", path + "/nominations", {"producer_id": producer["id"]})
    assert s.call("post", path + "/judges", {"email": s.staff.email}).status_code == 204
    scores = {"scores": {"c1": 8}}
    s.ok("post", f"{path}/nominations/{nomination['id']}/scores", scores)
    return s.call("post", f"{path}/nominations/{nomination['id']}/scores", scores)  # final: 409


def _apply_twice(s: Sweep):
    exhibition = s.ok(
        "post",
        "/productive_families/exhibitions",
        {"name": "معرض الأسر", "place": "القاعة", "starts_on": "2099-02-01", "ends_on": "2099-02-03",
         "applications_close_on": "2099-01-15", "booths": 5},
    )  # fmt: skip
    producer = _producer(s, s.household()["id"]).json
    path = f"/productive_families/exhibitions/{exhibition['id']}/applications"
    s.ok("post", path, {"producer_id": producer["id"]})
    return s.call("post", path, {"producer_id": producer["id"]})


def _financing_body_name(s: Sweep):
    body = {"name": "بنك التنمية", "kind": "bank"}
    s.ok("post", "/productive_families/financing/bodies", body)
    return s.call("post", "/productive_families/financing/bodies", body)


TRAINER = {"name": "مركز الأحساء للتدريب", "kind": "centre", "scope": "local"}


def _trainer_name(s: Sweep):
    s.ok("post", "/productive_families/training/trainers", TRAINER)
    return s.call("post", "/productive_families/training/trainers", TRAINER)


def _training_program(s: Sweep) -> dict:
    trainer = s.ok(
        "post", "/productive_families/training/trainers", {**TRAINER, "name": f"مدرب {valid_id()}"}
    )
    return s.ok(
        "post",
        "/productive_families/training/programs",
        {"title": "التغليف", "trainer_id": trainer["id"], "starts_on": "2025-03-01", "ends_on": "2025-03-31",
         "place": "مقر الجمعية", "capacity": 5},
    )  # fmt: skip


def _training_enrol_twice(s: Sweep):
    path = f"/productive_families/training/programs/{_training_program(s)['id']}/enrolments"
    producer = _producer(s, s.household()["id"]).json
    s.ok("post", path, {"producer_id": producer["id"]})
    return s.call("post", path, {"producer_id": producer["id"]})


def _training_attendance_twice(s: Sweep):
    path = f"/productive_families/training/programs/{_training_program(s)['id']}"
    producer = _producer(s, s.household()["id"]).json
    s.ok("post", path + "/enrolments", {"producer_id": producer["id"]})
    session = s.ok("post", path + "/sessions", {"held_on": "2025-03-02"})
    present = {"present": [producer["id"], producer["id"]]}
    s.ok("put", f"{path}/sessions/{session['id']}/attendance", present)
    return s.ok("put", f"{path}/sessions/{session['id']}/attendance", present)


def _training_needs_twice(s: Sweep):
    producer = _producer(s, s.household()["id"]).json
    path = f"/productive_families/producers/{producer['id']}/training-needs"
    s.ok("put", path, {"areas": ["packaging", "packaging"]})
    return s.ok("put", path, {"areas": ["packaging", "marketing"]})


def _initiative_criteria_same_name(s: Sweep):
    criteria = [{"name": "الملاءمة", "weight": 50}, {"name": "الملاءمة", "weight": 50}]
    return s.call("put", "/productive_families/initiatives/criteria", {"criteria": criteria})


def _meeting_invites_twice(s: Sweep):
    producer = _producer(s, s.household()["id"]).json
    body = {"topic": "لقاء الأسر", "place": "المقر", "starts_at": "2099-01-01T17:00"}
    return s.ok("post", "/productive_families/meetings", {**body, "producer_ids": [producer["id"]] * 2})


VOLUNTEER = {"name": "سارة العتيبي", "phone": "0500000002", "field_visits": True}


def _offer_twice(s: Sweep):
    applicant = s.create_user_("volunteer@example.org", roles={s.tenant: ["applicant"]})
    headers = s.token_for(applicant)
    s.ok("post", "/volunteers/me", VOLUNTEER, headers=headers)
    return s.ok("post", "/volunteers/me", {**VOLUNTEER, "city": "القريات"}, headers=headers)  # the same offer


def _opportunity(s: Sweep) -> dict:
    body = {"kind": "event", "title": "يوم التوزيع", "on_date": "2099-01-01", "places": 5}
    return s.ok("post", "/volunteers/opportunities", body)


def _assign_volunteer_twice(s: Sweep):
    volunteer = s.ok("post", "/volunteers/", VOLUNTEER)
    path = f"/volunteers/opportunities/{_opportunity(s)['id']}/assign"
    s.ok("post", path, {"volunteer_id": volunteer["id"]})
    return s.call("post", path, {"volunteer_id": volunteer["id"]})  # refused: 409 "already has a place"


def _referral_twice(s: Sweep):
    volunteer = s.ok("post", "/volunteers/", VOLUNTEER)
    request = s.ok("post", "/requests/", {"channel": "volunteer_service", "applicant_name": "فهد الشمري"})
    body = {"request_id": request["id"], "volunteer_id": volunteer["id"]}
    s.ok("post", "/volunteers/referrals", body)
    return s.ok("post", "/volunteers/referrals", body)  # records (or corrects) the request's one referral


def _companion_twice(s: Sweep):
    volunteer = s.ok("post", "/volunteers/", VOLUNTEER)
    request = s.ok("post", "/requests/", {"channel": "phone", "applicant_name": "نورة السبيعي"})
    with tenant_context(s.tenant):  # a scheduled visit: the research steps are not the point here
        visit = FieldVisit(request_id=request["id"], researcher_id=s.staff.id, scheduled_for=date(2099, 1, 1))
        db.session.add(visit)
        db.session.commit()
        body = {"visit_id": visit.id, "volunteer_id": volunteer["id"]}
    s.ok("post", "/volunteers/companions", body)
    return s.call("post", "/volunteers/companions", body)


CASES: dict[str, list[Provoke | Upsert | Unreachable]] = {
    "uq_tenants_slug": [Provoke("slug", _tenant_slug)],
    "uq_users_email": [
        Unreachable(
            "accounts are created on the invitation and registration pages, with the address checked "
            "first (tests/test_members.py, portal tests); no API creates an account"
        )
    ],
    "uq_api_tokens_token_hash": [Unreachable("a random token generated by the server")],
    "uq_password_resets_token_hash": [Unreachable("a random token generated by the server")],
    "uq_memberships_tenant_id_user_id": [Provoke("email", _member_of_tenant)],
    "uq_invitations_tenant_id_email": [Upsert(_invite_twice)],
    "uq_invitations_tenant_id_token_hash": [Unreachable("a random token generated by the server")],
    "uq_plugin_enablements_tenant_id_plugin_id": [Upsert(_plugin_twice)],
    "uq_audit_events_tenant_id_seq": [Unreachable("the audit sequence is assigned by the server")],
    "uq_aid_catalog_items_tenant_id_code": [Provoke("code", _catalog_code)],
    "uq_registry_persons_tenant_id_national_id_hash": [
        Provoke("national_id", _person_post),
        Provoke("national_id", _person_patch),
        Provoke("head.national_id", _household_head),
        Provoke("person.national_id", _member_post_new_person),
        Provoke("person.national_id", _member_patch_national_id),
    ],
    "uq_registry_members_tenant_id_household_id_person_id": [Provoke("person_id", _member_twice)],
    "uq_registry_files_tenant_id_household_id": [Unreachable("one file is created with each household")],
    "uq_registry_sharing_agreements_tenant_a_id_tenant_b_id": [Upsert(_sharing_twice)],
    "uq_requests_counters_tenant_id_year": [Unreachable("the yearly request counter is kept by the server")],
    "uq_grievances_counters_tenant_id_year": [
        Unreachable("the yearly grievance counter is kept by the server")
    ],
    "uq_grievances_grievances_tenant_id_number": [
        Unreachable("grievance numbers are assigned by the server")
    ],
    "uq_grievances_assignees_tenant_id_grievance_id_user_id": [Upsert(_assign_twice)],
    "uq_requests_requests_tenant_id_number": [Unreachable("request numbers are assigned by the server")],
    "uq_surveys_surveys_tenant_id_code": [Provoke("code", _survey_code)],
    "uq_surveys_versions_tenant_id_survey_id_number": [
        Unreachable("version numbers are assigned by the server")
    ],
    "uq_surveys_invitations_tenant_id_request_id": [
        Unreachable("the server invites once per request; a paper entry answers the existing invitation")
    ],
    "uq_surveys_invitations_tenant_id_token_hash": [Unreachable("a random token generated by the server")],
    "uq_surveys_responses_tenant_id_invitation_id": [
        Unreachable("the invitation is claimed atomically first: a second answer is a 409")
    ],
    "uq_prisoner_families_programs_tenant_id_code": [Provoke("code", _program_code)],
    "uq_prisoner_families_prisoners_tenant_id_person_id": [Provoke("person_id", _prisoner_twice)],
    "uq_prisoner_families_family_links_tenant_id_household_id": [Provoke("household_id", _family_link_twice)],
    "uq_prisoner_families_enrolments_tenant_id_program_id_prisoner_id": [
        Provoke("prisoner_id", _enrol_twice)
    ],
    "uq_prisoner_families_attendance_tenant_id_session_id_enrolment_id": [Upsert(_attendance_twice)],
    "uq_prisoner_families_follow_ups_tenant_id_prisoner_id_months_after": [
        Unreachable("follow-ups are scheduled by the server on release")
    ],
    "uq_prisoner_families_debt_entries_tenant_id_disbursement_id": [
        Unreachable("one entry is written by the server per recorded disbursement")
    ],
    "uq_planning_plans_tenant_id_fiscal_year_calendar_version": [Upsert(_plan_twice)],
    "uq_planning_activity_progress_tenant_id_activity_id_month": [
        Upsert(lambda s: _plan_progress_twice(s, "activities"))
    ],
    "uq_planning_indicator_progress_tenant_id_indicator_id_month": [
        Upsert(lambda s: _plan_progress_twice(s, "indicators"))
    ],
    "uq_makkah_aid_renewals_tenant_id_round_id_file_id": [
        # get-or-create: a repeat is a state refusal (409 "already renewed"), never a duplicate row
        Upsert(_renewal_twice)
    ],
    "uq_crime_victims_cases_tenant_id_request_id": [
        Unreachable("the server opens one case with its request (case_from_request returns the existing one)")
    ],
    "uq_crime_victims_categories_tenant_id_code": [Provoke("code", _cv_category_twice)],
    "uq_crime_victims_partners_tenant_id_name": [Provoke("name", _cv_partner_twice)],
    "uq_makkah_aid_providers_tenant_id_name": [Provoke("name", _provider_name)],
    "uq_makkah_aid_provider_deliveries_tenant_id_disbursement_id": [
        Unreachable("one delivery is linked by the server per recorded disbursement")
    ],
    "uq_productive_families_producers_tenant_id_household_id": [Provoke("household_id", _producer_twice)],
    "uq_productive_families_award_rounds_tenant_id_year": [Provoke("year", _award_year)],
    "uq_productive_families_award_nominations_tenant_id_round_id_producer_id": [
        Provoke("producer_id", _nominate_twice)
    ],
    "uq_productive_families_award_scores_tenant_id_nomination_id_judge_id": [Upsert(_scores_twice)],
    "uq_productive_families_exhibition_applications_tenant_id_exhibition_id_producer_id": [
        Provoke("producer_id", _apply_twice)
    ],
    "uq_productive_families_financing_bodies_tenant_id_name": [Provoke("name", _financing_body_name)],
    "uq_productive_families_trainers_tenant_id_name": [Provoke("name", _trainer_name)],
    "uq_productive_families_training_enrolments_tenant_id_program_id_producer_id": [
        Provoke("producer_id", _training_enrol_twice)
    ],
    "uq_productive_families_training_attendance_tenant_id_session_id_enrolment_id": [
        Upsert(_training_attendance_twice)
    ],
    "uq_productive_families_training_needs_tenant_id_producer_id_area": [Upsert(_training_needs_twice)],
    "uq_productive_families_training_interests_tenant_id_program_id_producer_id": [
        Unreachable(
            "asked only on the producer's portal form (no API); ask_to_join refuses a second request "
            "with a 422 on program_id (productive_families' portal tests)"
        )
    ],
    "uq_productive_families_initiative_criteria_tenant_id_name": [
        Provoke("criteria", _initiative_criteria_same_name)
    ],
    "uq_productive_families_meeting_invitees_tenant_id_meeting_id_producer_id": [
        Upsert(_meeting_invites_twice)  # a producer named twice is invited once
    ],
    "uq_productive_families_meeting_responses_tenant_id_response_id": [
        Unreachable("each survey response is created with its one link to the meeting, by the server")
    ],
    "uq_productive_families_income_baselines_tenant_id_producer_id": [
        Unreachable("the baseline is taken once by the server at the producer's first anchor")
    ],
    "uq_productive_families_income_followups_tenant_id_producer_id_anchor_kind_anchor_on_months": [
        Provoke("months", _followup_twice)
    ],
    "uq_productive_families_licence_leaflets_tenant_id_activity": [Upsert(_leaflet_twice)],
    "uq_productive_families_feasibility_studies_tenant_id_exhibition_id": [Upsert(_study_twice)],
    "uq_productive_families_product_photos_tenant_id_document_id": [
        Unreachable("each uploaded photo is stored as a new document by the server")
    ],
    "uq_supporters_donations_tenant_id_receipt_number": [
        Unreachable("receipt numbers are assigned by the server")
    ],
    "uq_supporters_receipt_counters_tenant_id_year": [
        Unreachable("the yearly receipt counter is kept by the server")
    ],
    "uq_volunteers_volunteers_tenant_id_user_id": [Upsert(_offer_twice)],
    "uq_volunteers_assignments_tenant_id_opportunity_id_volunteer_id": [Upsert(_assign_volunteer_twice)],
    "uq_volunteers_referrals_tenant_id_request_id": [Upsert(_referral_twice)],
    "uq_volunteers_visit_companions_tenant_id_visit_id_volunteer_id": [
        Provoke("volunteer_id", _companion_twice)
    ],
    "uq_notifications_contact_safety_tenant_id_person_id": [
        Unreachable(
            "set only on crime_victims' safe-contact page (no API); set_contact_safety replaces the "
            "person's one record"
        )
    ],
    "uq_notifications_contact_addresses_tenant_id_safety_id_address": [
        Unreachable("set_contact_safety deletes the record's addresses and writes each normalized one once")
    ],
}


def _all_constraints(app) -> dict[str, tuple[str, tuple[str, ...]]]:
    with app.app_context():
        return unique_constraints(db.metadata)


def _entries(name: str, columns: tuple[str, ...]) -> list:
    if columns == ("tenant_id", "id"):
        return [GENERATED_ID]
    return CASES.get(name, [])


def test_every_unique_constraint_has_an_entry(app):
    constraints = _all_constraints(app)
    missing = sorted(name for name, (_t, cols) in constraints.items() if not _entries(name, cols))
    assert not missing, f"unique constraints without a sweep entry in CASES: {missing}"
    stale = sorted(set(CASES) - set(constraints))
    assert not stale, f"CASES names constraints that no longer exist: {stale}"


def _provoking_cases():
    for name, entries in CASES.items():
        for index, entry in enumerate(entries):
            if not isinstance(entry, Unreachable):
                yield pytest.param(entry, id=f"{name}[{index}]")


@pytest.fixture
def sweep(client, tenant, other_tenant, create_user_, token_for, enable_plugin):
    return Sweep(client, tenant, other_tenant, create_user_, token_for, enable_plugin)


def _errors_at(errors: dict, dotted: str):
    node = errors
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, (dotted, errors)
        node = node[part]
    return node


@pytest.mark.parametrize("entry", list(_provoking_cases()))
def test_a_repeated_unique_value_answers_without_a_server_error(sweep, entry):
    if isinstance(entry, Upsert):
        result = entry.run(sweep)
        if hasattr(result, "status_code"):  # a get-or-create that refuses the repeat by state
            assert result.status_code in (409, 422), result.json
            assert result.json["message"]
        return
    response = entry.run(sweep)
    assert response.status_code == 422, (response.status_code, response.json)
    messages = _errors_at(response.json["errors"], entry.field)
    assert messages and all(isinstance(m, str) and m for m in messages)


# --------------------------------------------------------------------------- the safety net


def test_the_database_refusal_alone_answers_422_with_the_field(sweep, monkeypatch):
    """Without the registry service's own check (as in a race), the unique index still answers."""
    from core.registry.services import persons

    monkeypatch.setattr(persons, "check_unique_id", lambda *args, **kwargs: None)
    taken = sweep.person()["national_id"]
    response = sweep.call("post", "/persons", person_payload(national_id=taken))
    assert response.status_code == 422
    assert response.json["errors"] == {"national_id": ["رقم الهوية هذا مسجل مسبقًا في هذه الجمعية."]}
    other = sweep.person()
    patched = sweep.call("patch", f"/persons/{other['id']}", {"national_id": taken})
    assert patched.status_code == 422 and "national_id" in patched.json["errors"]
    with tenant_context(sweep.tenant):
        from core.registry import Person

        assert db.session.scalar(db.select(db.func.count(Person.id))) == 2  # nothing was written


def test_the_safety_net_answers_for_plugin_constraints_too(sweep, monkeypatch):

    program = {"code": "racy", "name_ar": "برنامج", "name_en": "Program"}
    sweep.ok("post", "/prisoner_families/programs", program)
    original = db.session.scalars

    def no_duplicate_check(statement, *args, **kwargs):
        # the service's "code already exists?" query sees nothing, as a concurrent request would
        text = str(statement)
        if "prisoner_families_programs.code" in text and "WHERE" in text:
            return original(statement.where(db.false()), *args, **kwargs)
        return original(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalars", no_duplicate_check)
    response = sweep.call("post", "/prisoner_families/programs", program)
    assert response.status_code == 422
    assert response.json["errors"] == {"code": ["هذه القيمة مستخدمة مسبقًا."]}  # the database's answer


def test_a_page_gets_the_same_safety_net(client, tenant, create_user_, login, monkeypatch):
    from core.auth import services

    monkeypatch.setattr(services, "find_user", lambda email: None)
    taken = create_user_("taken@example.org")
    response = client.post(
        "/t/first/portal/register?lang=en",
        data={
            "email": taken.email,
            "name": "x",
            "password": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )
    assert response.status_code == 422
    assert "A user with this e-mail already exists." in response.get_data(as_text=True)


def test_constraint_names_are_read_from_either_database(app_ctx):
    from sqlalchemy.exc import IntegrityError

    from core.integrity import field_error, violated_constraint

    class PgDiag:
        constraint_name = "uq_registry_persons_tenant_id_national_id_hash"

    class PgError(Exception):
        sqlstate = "23505"
        diag = PgDiag()

    sqlite = IntegrityError(
        "INSERT …",
        {},
        Exception("UNIQUE constraint failed: registry_persons.tenant_id, registry_persons.national_id_hash"),
    )
    postgres = IntegrityError("INSERT …", {}, PgError("duplicate key value violates unique constraint"))
    not_unique = IntegrityError("INSERT …", {}, Exception("FOREIGN KEY constraint failed"))
    assert violated_constraint(sqlite) == violated_constraint(postgres) == PgDiag.constraint_name
    assert violated_constraint(not_unique) is None
    assert list(field_error(PgDiag.constraint_name)) == ["national_id"]
    assert list(field_error("uq_prisoner_families_programs_tenant_id_code")) == ["code"]

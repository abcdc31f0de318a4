"""Demo volunteers for one tenant (idempotent): individuals and an organisation's volunteers,
an offer waiting, one declined with its reason; a past distribution day with confirmed hours,
a program session with hours waiting for the supervisor, today's event and a coming field
campaign. The demo applicant is an accepted volunteer (their hours and certificate show)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ..auth.models import Membership, User
from ..extensions import db
from . import services
from .models import Volunteer

PEOPLE = [
    ("عبدالرحمن سعد محمد الغامدي", "+966511000101", "individual", None, ["distribution", "driving"], True),
    ("لمى عبدالله فهد العتيبي", "+966511000102", "individual", None, ["teaching", "events"], False),
    (
        "ياسر خالد ناصر الحربي",
        "+966511000103",
        "organisation",
        "فريق شباب الحي التطوعي",
        ["distribution"],
        True,
    ),
    ("نوف سالم علي الشهري", "+966511000104", "individual", None, ["health", "field_research"], True),
    (
        "بدر محمد عبدالعزيز القحطاني",
        "+966511000105",
        "organisation",
        "نادي الطلاب",
        ["media", "admin"],
        False,
    ),
]


def _user_with(role: str):
    for membership in db.session.scalars(db.select(Membership).order_by(Membership.id)):
        if role in (membership.roles or []):
            return db.session.get(User, membership.user_id)
    return None


def _worked(opportunity, volunteer, admin, start: int, end: int, confirm: bool = True):
    assignment = services.assign(opportunity, volunteer, admin)
    day = opportunity.on_date
    services.check_in(assignment, admin, at=datetime.combine(day, time(start)))
    services.check_out(assignment, admin, at=datetime.combine(day, time(end)))
    if confirm:
        services.confirm_hours(assignment, admin)
    return assignment


def load(tenant) -> None:
    if db.session.scalars(db.select(Volunteer).limit(1)).first() is not None:
        return
    admin, applicant = _user_with("tenant_admin"), _user_with("applicant")
    if admin is None:
        return
    today = services.today()
    people = []
    for name, phone, kind, organisation, skills, field in PEOPLE:
        people.append(
            services.register(
                {
                    "name": name, "phone": phone, "kind": kind, "organisation_name": organisation,
                    "skills": skills, "days": ["sat", "tue", "thu"], "available_from": time(16),
                    "available_to": time(21), "areas": [tenant.city or "حي الروضة"], "field_visits": field,
                    "city": tenant.city,
                },
                admin,
            )
        )  # fmt: skip
    services.register(  # an offer waiting for the coordinator
        {
            "name": "هيا فهد عبدالله الدوسري",
            "phone": "+966511000106",
            "skills": ["teaching"],
            "state": "applied",
        },
        admin,
    )
    declined = services.register(
        {
            "name": "ماجد علي سعيد الزهراني",
            "phone": "+966511000107",
            "skills": ["driving"],
            "state": "applied",
        },
        admin,
    )
    services.decide(declined, "declined", admin, "لا تتوفر فرص للقيادة في الوقت الحالي (بيانات تجريبية)")
    mine = None
    if applicant is not None and applicant.id != admin.id:  # nobody confirms their own hours
        mine = services.offer(
            {"name": applicant.name or "متطوع تجريبي", "phone": "+966511000108", "skills": ["distribution"],
             "days": ["sat"], "field_visits": True},
            applicant,
        )  # fmt: skip
        services.decide(mine, "accepted", admin)
    past = services.create_opportunity(
        {"kind": "distribution_day", "title": "يوم توزيع السلال الغذائية", "on_date": today - timedelta(days=20),
         "places": 4, "skills": ["distribution"], "location": "مستودع الجمعية"},
        admin,
    )  # fmt: skip
    shifts = [(people[0], 8, 12), (people[2], 8, 13)] + ([(mine, 9, 12)] if mine else [])
    for volunteer, start, end in shifts:
        _worked(past, volunteer, admin, start, end)
    past.state = "closed"
    session = services.create_opportunity(
        {"kind": "program_session", "title": "جلسة تقوية دراسية للأبناء", "on_date": today - timedelta(days=3),
         "places": 2, "skills": ["teaching"], "location": "قاعة الجمعية"},
        admin,
    )  # fmt: skip
    _worked(session, people[1], admin, 16, 19, confirm=False)
    event = services.create_opportunity(
        {"kind": "event", "title": "فعالية اليوم المفتوح للأسر", "on_date": today, "places": 6,
         "skills": ["events", "media"], "location": "مقر الجمعية"},
        admin,
    )  # fmt: skip
    services.assign(event, people[4], admin)
    if mine is not None:
        services.assign(event, mine, admin)
    services.create_opportunity(
        {"kind": "field_campaign", "title": "حملة الزيارات الميدانية للأسر الجديدة", "on_date": today + timedelta(days=10),
         "places": 3, "skills": ["field_research"], "location": tenant.city or ""},
        admin,
    )  # fmt: skip
    db.session.flush()

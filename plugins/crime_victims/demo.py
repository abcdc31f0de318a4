"""Demo data (``flask demo load``, for every tenant with the plugin enabled). Idempotent: victim
cases at each intake step the demo staff can take them to."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from core.toolkit import (
    Person,
    User,
    check_digit_for,
    create_household,
    db,
    find_by_national_id,
    require_tenant,
    roles_in,
)

from . import rules, services
from .models import VictimCase

CASES = [
    # (applicant, category, channel, last step to record)
    ("منيرة سعد العتيبي", "domestic_violence", "phone", rules.RECEIVED),
    ("خالد عبدالله الشهري", "assault", "in_person", rules.CHECKED),
    ("سارة محمد القحطاني", "fraud", "branch_representative", rules.CLARIFIED),
    ("عبدالرحمن علي الدوسري", "homicide", "official_letter", rules.DECLARED),
    ("نورة حمد السبيعي", "cybercrime", "outside_referral", rules.COMMITTEE_NOTICE),
]


def _staff(role: str) -> User | None:
    tenant = require_tenant()
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        if role in roles_in(user, tenant):
            return user
    return None


def _demo_id(tenant_id: int, index: int) -> str:
    base = f"1{(tenant_id * 1000 + 850 + index) % 10**8:08d}"
    return base + check_digit_for(base)


def _victim(tenant, index: int, name: str) -> Person:
    """The registry person of a demo case (a household of one, registered once)."""
    number = _demo_id(tenant.id, index)
    found = find_by_national_id(number)
    if found is not None:
        return found
    first, father, family = (name.split() + ["", ""])[:3]
    household = create_household(
        {
            "head": {
                "first_name": first,
                "father_name": father,
                "family_name": family,
                "national_id": number,
                "id_expiry": date.today() + timedelta(days=700),
                "nationality": "SA",
                "city": "الرياض",
                "phone": f"05500000{index:02d}",
            },
            "housing_tenure": "rented",
            "annual_rent": 2_000_000,
            "members": [],
        }
    )
    return db.session.get(Person, household.head_person_id)


def load(tenant) -> None:
    services.ensure_defaults()
    if db.session.scalar(sa.select(sa.func.count(VictimCase.id))):
        return  # already loaded
    officer, researcher = _staff("relations_officer"), _staff("researcher")
    if officer is None or researcher is None:
        return
    persons = [_victim(tenant, i, name) for i, (name, *_rest) in enumerate(CASES)]
    cases = []
    for i, (name, category, channel, last) in enumerate(CASES):
        data = {
            "applicant_name": name,
            "applicant_phone": f"05500000{i:02d}",
            "channel": channel,
            "category_code": category,
            "incident_date": (date.today() - timedelta(days=20 + i)).isoformat(),
            "city": "الرياض",
            "report_authority": "police" if i % 2 == 0 else None,
            "report_reference": f"1447/{4100 + i}" if i % 2 == 0 else None,
            "no_report_reason": None if i % 2 == 0 else "لم تُبلَّغ الجهات الرسمية بعد (بيانات تجريبية)",
            "branch_office": "مكتب حي النسيم" if channel == "branch_representative" else None,
            "representative_id": officer.id if channel == "branch_representative" else None,
            "referrer_kind": "hospital" if channel == "outside_referral" else None,
            "referrer_name": "مستشفى الملك سعود (بيانات تجريبية)" if channel == "outside_referral" else None,
        }
        case = services.open_case(data, officer)
        if last >= rules.CHECKED:
            services.take(case, "check", {"person_id": persons[i].id}, officer)
        if last >= rules.CLARIFIED:
            services.take(case, "clarify", {"outcome": "refer", "officer_id": researcher.id}, officer)
            services.take(case, "answer", {"note": "شُرحت إجراءات الجمعية وحقوق المستفيد."}, researcher)
        if last >= rules.DECLARED:
            services.take(case, "declare", {"signed_by": name}, officer)
        if last >= rules.COMMITTEE_NOTICE:
            services.take(case, "notice", {}, officer)
        cases.append(case)
    _care(cases, officer, researcher)
    db.session.flush()


PARTNERS = [
    {
        "name": "مركز الإرشاد النفسي بالرياض",
        "services": ["psychological", "health"],
        "contact_name": "د. سلمى الحربي",
        "phone": "0114445566",
        "agreement_reference": "اتفاقية 12/1446",
    },
    {
        "name": "مكتب المحاماة التطوعي",
        "services": ["legal"],
        "contact_name": "أ. فهد الزهراني",
        "email": "pro-bono@example.org",
        "agreement_reference": "اتفاقية 7/1445",
    },
    {"name": "جمعية الإسكان الأهلية", "services": ["housing", "financial"], "contact_name": "م. ريم"},
]
# (area, severity, referred to partner #, statuses to walk the referral through)
NEEDS = [
    ("psychological", "high", 0, ()),
    ("legal", "critical", 1, ("accepted",)),
    ("housing", "medium", 2, ("declined",)),
    ("health", "medium", 0, ("accepted", "in_service")),
    ("psychological", "low", 0, ("accepted", "in_service", "completed")),
    ("education", "low", None, ()),
]


def _care(cases, officer, researcher) -> None:
    """Partners, needs in the six areas and a referral in each status, on the demo cases."""
    partners = [services.care.add_partner(data, officer) for data in PARTNERS]
    for i, (area, severity, partner, statuses) in enumerate(NEEDS):
        case = cases[i % len(cases)]
        need = services.care.add_need(
            case, {"area": area, "severity": severity, "note": "تقييم الباحث (بيانات تجريبية)"}, researcher
        )
        if partner is None:
            continue
        referral = services.care.refer(
            need,
            {"partner_id": partners[partner].id, "follow_up_on": date.today() + timedelta(days=7 - 3 * i)},
            researcher,
        )
        for status in statuses:
            outcome = "أنهت الجلسات المقررة (بيانات تجريبية)" if status == "completed" else ""
            services.care.move(referral, {"status": status, "outcome": outcome}, researcher)

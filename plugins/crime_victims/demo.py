"""Demo data (``flask demo load``, for every tenant with the plugin enabled). Idempotent: victim
cases in every intake step 1 … 7 — the later ones taken through core's workflow (research,
visit, committee approval) by the demo staff — and one closed: its service delivered, every need
resolved (one met in-house with a disbursement, one completed by a partner); partners and a
referral in each status. Everything goes through the services the pages use."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from core.toolkit import (
    BeneficiaryFile,
    Household,
    Person,
    User,
    check_digit_for,
    close_request,
    create_household,
    db,
    find_by_national_id,
    require_tenant,
    roles_in,
    today,
    walk_on_demo_request,
)
from core.toolkit import disburse_request as _disburse

from . import rules, services
from .models import VictimCase

CASES = [
    # (applicant, category, channel, last step to record)
    ("منيرة سعد العتيبي", "domestic_violence", "phone", rules.RECEIVED),
    ("خالد عبدالله الشهري", "assault", "in_person", rules.CHECKED),
    ("سارة محمد القحطاني", "fraud", "branch_representative", rules.CLARIFIED),
    ("عبدالرحمن علي الدوسري", "homicide", "official_letter", rules.DECLARED),
    ("نورة حمد السبيعي", "cybercrime", "outside_referral", rules.COMMITTEE_NOTICE),
    ("ريم ناصر المطيري", "theft", "social_media", rules.REGISTERED),
    ("فيصل سعود الحربي", "traffic", "in_person", rules.SERVED),
    ("هيا عبدالعزيز الغامدي", "assault", "phone", rules.SERVED),  # closed: every need resolved
]
CLOSED = len(CASES) - 1  # the case closed at the end (``_close``)


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
                "id_expiry": today(tenant) + timedelta(days=700),
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
            "incident_date": (today(tenant) - timedelta(days=20 + i)).isoformat(),
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
        if last >= rules.REGISTERED:
            _registered(case, persons[i], officer)
        if i == CLOSED:
            _close(case, name, officer, researcher)
        elif last >= rules.SERVED:
            services.take(case, "serve", {"note": "جلسة إرشاد أولى في مقر الجمعية (بيانات تجريبية)"}, officer)
        cases.append(case)
    _care(cases[:5], officer, researcher)
    db.session.flush()


def _registered(case, person: Person, officer) -> None:
    """Research, visit and the committee's approval (core's workflow), then step 6."""
    file_id = db.session.scalar(
        sa.select(BeneficiaryFile.id)
        .join(Household, Household.id == BeneficiaryFile.household_id)
        .where(Household.head_person_id == person.id)
    )
    walk_on_demo_request(services.request_of(case), "approved", file_id=file_id)
    services.take(case, "register", {"note": "اكتملت متطلبات التسجيل (بيانات تجريبية)"}, officer)


def _close(case, name: str, officer, researcher) -> None:
    """The case whose service was delivered and every need resolved, then closed: a financial
    need met in-house (a disbursement), a psychological one completed by a partner."""
    partner = services.care.add_partner(
        {
            "name": "عيادة الدعم النفسي المجتمعية",
            "services": ["psychological"],
            "contact_name": "أ. منى العمري",
            "phone": "0114447788",
        },
        officer,
    )
    request = services.request_of(case)
    finance = _staff("finance_officer")
    money = services.care.add_need(
        case, {"area": "financial", "severity": "high", "note": "إعانة عاجلة (بيانات تجريبية)"}, researcher
    )
    _disburse(
        request,
        finance,
        {
            "kind": "cash",
            "value_halalas": 100_000,
            "proof_type": "acknowledgement",
            "acknowledged_by": name,
            "disbursed_on": today() - timedelta(days=2),
        },
    )
    services.care.meet_in_house(money, {}, researcher)
    care = services.care.add_need(
        case,
        {"area": "psychological", "severity": "medium", "note": "جلسات دعم نفسي (بيانات تجريبية)"},
        researcher,
    )
    referral = services.care.refer(care, {"partner_id": partner.id}, researcher)
    for status in ("accepted", "in_service", "completed"):
        outcome = "أنهت ست جلسات دعم نفسي (بيانات تجريبية)" if status == "completed" else ""
        services.care.move(referral, {"status": status, "outcome": outcome}, researcher)
    services.take(case, "serve", {"note": "صُرفت الإعانة واكتملت الجلسات (بيانات تجريبية)"}, officer)
    close_request(request, officer, "اكتملت خدمة الحالة وجميع احتياجاتها (بيانات تجريبية)")


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
            {"partner_id": partners[partner].id, "follow_up_on": today() + timedelta(days=7 - 3 * i)},
            researcher,
        )
        for status in statuses:
            outcome = "أنهت الجلسات المقررة (بيانات تجريبية)" if status == "completed" else ""
            services.care.move(referral, {"status": status, "outcome": outcome}, researcher)

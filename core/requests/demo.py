"""Demo requests for one tenant (idempotent): at least one in each stage of the work — new,
in research, awaiting the visit, verified, in committee, approved, returned — each
with its number and dates, entered its state some working days ago (some past their limit),
so that every role's dashboard has something to do."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from marshmallow import ValidationError

from ..auth.models import Membership, User
from ..errors import AppError
from ..extensions import db
from ..registry.models import BeneficiaryFile
from ..tenancy import utcnow
from . import services
from .models import AidRequest, RequestEvent

SUMMARY = "طلب مساعدة (بيانات تجريبية)"
# (name, how far it goes, calendar days since it entered that state)
PLAN = (
    ("نورة محمد عبدالله السبيعي", "draft", 0),
    ("فهد سالم علي القحطاني", "submitted", 2),
    ("مريم خالد سعد الحربي", "in_research", 6),
    ("سارة أحمد ناصر الدوسري", "field_visit_scheduled", 20),
    ("عبدالرحمن يوسف عمر الشهري", "submitted", 9),
    ("هند عبدالعزيز صالح العتيبي", "verified", 1),
    ("ماجد ناصر حمد الغامدي", "in_committee", 4),
    ("لطيفة سعيد محمد الزهراني", "in_committee", 25),
    ("خالد إبراهيم علي المطيري", "approved", 3),
    ("أمل فيصل عبدالله القرني", "approved", 12),
    ("بدر تركي سالم العنزي", "returned", 5),
)
PATH = (
    "submitted",
    "in_research",
    "field_visit_scheduled",
    "verified",
    "in_committee",
    "approved",
    "disbursed",
)


def _user_with(role: str):
    for membership in db.session.scalars(db.select(Membership)):
        if role in (membership.roles or []):
            return db.session.get(User, membership.user_id)
    return None


def load(tenant) -> None:
    if db.session.scalars(db.select(AidRequest).where(AidRequest.summary == SUMMARY).limit(1)).first():
        return
    staff = {role: _user_with(role) for role in ("relations_officer", "researcher", "committee_member")}
    if not all(staff.values()):
        return
    files = list(
        db.session.scalars(
            db.select(BeneficiaryFile.id)
            .where(BeneficiaryFile.status == "active")
            .order_by(BeneficiaryFile.id)
        )
    )
    base = {"channel": "in_person", "applicant_city": tenant.city, "summary": SUMMARY}
    for i, (name, target, days_ago) in enumerate(PLAN):
        data = {**base, "applicant_name": name, "applicant_phone": f"05000000{i:02d}"}
        data["requested_halalas"] = (1500 + 250 * i) * 100
        savepoint = db.session.begin_nested()
        request = services.create_request(data, staff["relations_officer"])
        if target != "draft":
            try:
                services.submit(request, staff["relations_officer"], declaration_signed_by=name)
            except (AppError, ValidationError):  # the association's plugin asks for more: no demo request
                savepoint.rollback()
                continue
        savepoint.commit()
        # An association's own rule (a plugin's precondition) may stop a demo request early.
        with contextlib.suppress(AppError, ValidationError):
            _advance(request, target, staff, files[i % len(files)] if files else None)
        db.session.flush()
        _backdate(request, days_ago)
    db.session.flush()  # in the tenant's context: the caller commits outside it


def _advance(request, target: str, staff: dict, file_id: int | None) -> None:
    if target == "draft":
        return
    officer, researcher = staff["relations_officer"], staff["researcher"]
    if target == "returned":
        services.return_to_applicant(request, officer, "صورة عقد الإيجار غير واضحة")
        return
    steps = {
        "in_research": lambda: services.start_research(request, researcher),
        "field_visit_scheduled": lambda: services.schedule_visit(request, researcher, date.today()),
        "verified": lambda: (
            services.record_visit(
                request, researcher, visited_on=date.today(), findings="زيارة ميدانية", checked_fields=[]
            ),
            services.verify(request, researcher),
        ),
        "in_committee": lambda: services.send_to_committee(request, researcher),
        "approved": lambda: _approve(request, staff, file_id),
    }
    for state in PATH[1 : PATH.index(target) + 1]:
        steps[state]()


def _approve(request, staff: dict, file_id: int | None) -> None:
    if file_id is None:
        raise AppError("no beneficiary file to link in this tenant's demo data")
    services.link_file(request, staff["relations_officer"], file_id)
    amount = request.requested_halalas or 100000
    services.approve(
        request,
        staff["committee_member"],
        amount_halalas=amount,
        members_present=[staff["committee_member"].id],
    )


def _backdate(request: AidRequest, days_ago: int) -> None:
    """Move the request's whole history ``days_ago`` days back (its last step that long ago)."""
    if not days_ago:
        return
    shift = timedelta(days=days_ago)
    for event in db.session.scalars(db.select(RequestEvent).where(RequestEvent.request_id == request.id)):
        event.at -= shift
    for name in ("submitted_at", "declaration_signed_at", "decided_at", "created_at"):
        if getattr(request, name) is not None:
            setattr(request, name, getattr(request, name) - shift)
    request.updated_at = utcnow()

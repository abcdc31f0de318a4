"""Demo requests for one tenant (idempotent): at least one in each stage of the work — new,
in research, awaiting the visit, visited, verified, in committee, approved, returned — each with
its number and dates, entered its state some working days ago (some past their limit), so that
every role's dashboard has something to do; and ``walk``: how a plugin's demo request gets past
draft — through the real workflow, so it has its number, its dates, its declaration and its
timeline like a request staff took through the steps."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from marshmallow import ValidationError
from pypdf import PdfWriter

from ..auth.models import Membership, User
from ..calendar import today
from ..documents.services import upload
from ..errors import AppError
from ..extensions import db
from ..registry.models import BeneficiaryFile
from ..tenancy import utcnow
from . import services
from .models import AidRequest, RequestEvent
from .schemas import RequestCreateSchema

SUMMARY = "طلب مساعدة (بيانات تجريبية)"
# (name, how far it goes, calendar days since it entered that state)
PLAN = (
    ("نورة محمد عبدالله السبيعي", "draft", 0),
    ("فهد سالم علي القحطاني", "submitted", 2),
    ("مريم خالد سعد الحربي", "in_research", 6),
    ("سارة أحمد ناصر الدوسري", "field_visit_scheduled", 20),
    ("نوف راشد فهد البقمي", "visited", 2),
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
    "visited",
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


# How far ``walk`` takes a plugin's demo request (the committee and later are the plugin's).
WALK_PATH = ("submitted", "in_research", "field_visit_scheduled", "visited", "verified", "in_committee")


def _scan() -> bytes:
    """A one-page PDF standing for the scan the applicant brought (uploads are parsed)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _attach_scans(request: AidRequest, officer) -> None:
    """The documents the submission still asks for, attached as scans."""
    for doc_type in services.missing_documents(services.submission_problems(request)):
        upload(_scan(), f"{doc_type}.pdf", {"doc_type": doc_type, "request_id": request.id}, user=officer)


def walk(
    data: dict, state: str, *, before_committee: Callable[[AidRequest, Any], Any] | None = None
) -> AidRequest:
    """Register a demo request (``data`` as the intake form posts it, plugin fields under
    ``extra``) and take it through the workflow up to ``state`` with the tenant's demo staff:
    the documents the submission asks for are attached (a scan), the declaration signed, the
    visit scheduled and recorded. ``before_committee(request, researcher)`` runs once the
    request is verified (a plugin's assessment the committee needs)."""
    if state not in WALK_PATH:
        raise ValueError(state)
    officer, researcher = _user_with("relations_officer"), _user_with("researcher")
    request = services.create_request(RequestCreateSchema().load(data), officer)
    _attach_scans(request, officer)
    services.submit(request, officer, declaration_signed_by=request.applicant_name)
    steps = {
        "in_research": lambda: services.start_research(request, researcher),
        "field_visit_scheduled": lambda: services.schedule_visit(
            request, researcher, today() - timedelta(days=3)
        ),
        "visited": lambda: services.record_visit(
            request,
            researcher,
            visited_on=today() - timedelta(days=2),
            findings="تمت مطابقة البيانات مع الأصول (بيانات تجريبية)",
            checked_fields=[
                {"field": "السكن", "entered": "مستأجر", "status": "confirmed", "found": ""},
                {"field": "الدخل الشهري", "entered": "2000", "status": "corrected", "found": "2500"},
            ],
        ),
        "verified": lambda: services.verify(request, researcher),
        "in_committee": lambda: (
            before_committee(request, researcher) if before_committee else None,
            services.send_to_committee(request, researcher),
        ),
    }
    for target in WALK_PATH[1 : WALK_PATH.index(state) + 1]:
        steps[target]()
    db.session.flush()
    return request


def walk_on(request: AidRequest, state: str, *, file_id: int | None = None) -> AidRequest:
    """Take a plugin's submitted demo request on through the workflow up to ``state`` (up to
    ``approved``; the committee approves the requested amount once ``file_id`` is linked) with
    the tenant's demo staff, as ``walk`` does for a request it registers itself."""
    if state not in PATH[1:7] or request.state != "submitted":
        raise ValueError(state)
    roles = ("relations_officer", "researcher", "committee_member")
    _advance(request, state, {role: _user_with(role) for role in roles}, file_id)
    db.session.flush()
    return request


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
                _attach_scans(request, staff["relations_officer"])
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
        "field_visit_scheduled": lambda: services.schedule_visit(request, researcher, today()),
        "visited": lambda: services.record_visit(
            request,
            researcher,
            visited_on=today(),
            findings="تمت مطابقة البيانات مع الأصول (بيانات تجريبية)",
            checked_fields=[
                {"field": "السكن", "entered": "مستأجر", "status": "confirmed", "found": ""},
                {"field": "الدخل الشهري", "entered": "2000", "status": "corrected", "found": "2500"},
            ],
        ),
        "verified": lambda: services.verify(request, researcher),
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

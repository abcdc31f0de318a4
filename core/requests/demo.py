"""Demo requests in several states for one tenant (idempotent), and ``walk``: how every demo
request past draft gets there — through the real workflow, so it has its number, its dates,
its declaration and its timeline like a request staff took through the steps."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from pypdf import PdfWriter

from ..auth.models import Membership, User
from ..documents.services import upload
from ..extensions import db
from . import services
from .models import AidRequest
from .schemas import RequestCreateSchema

# The path a demo request takes, state by state (the committee and later are taken by the
# plugin's or core's own demo when it needs them).
PATH = ("submitted", "in_research", "field_visit_scheduled", "visited", "verified", "in_committee")


def _user_with(role: str):
    for membership in db.session.scalars(db.select(Membership)):
        if role in (membership.roles or []):
            return db.session.get(User, membership.user_id)
    return None


def _scan() -> bytes:
    """A one-page PDF standing for the scan the applicant brought (uploads are parsed)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def walk(
    data: dict, state: str, *, before_committee: Callable[[AidRequest, Any], Any] | None = None
) -> AidRequest:
    """Register a demo request (``data`` as the intake form posts it, plugin fields under
    ``extra``) and take it through the workflow up to ``state`` with the tenant's demo staff:
    the documents the submission asks for are attached (a scan), the declaration signed, the
    visit scheduled and recorded. ``before_committee(request, researcher)`` runs once the
    request is verified (a plugin's assessment the committee needs)."""
    if state not in PATH:
        raise ValueError(state)
    officer, researcher = _user_with("relations_officer"), _user_with("researcher")
    request = services.create_request(RequestCreateSchema().load(data), officer)
    missing = services.missing_documents(services.submission_problems(request))
    for doc_type in missing:
        upload(_scan(), f"{doc_type}.pdf", {"doc_type": doc_type, "request_id": request.id}, user=officer)
    services.submit(request, officer, declaration_signed_by=request.applicant_name)
    steps = {
        "in_research": lambda: services.start_research(request, researcher),
        "field_visit_scheduled": lambda: services.schedule_visit(
            request, researcher, date.today() - timedelta(days=3)
        ),
        "visited": lambda: services.record_visit(
            request,
            researcher,
            visited_on=date.today() - timedelta(days=2),
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
    for target in PATH[1 : PATH.index(state) + 1]:
        steps[target]()
    db.session.flush()
    return request


def load(tenant) -> None:
    if db.session.scalars(db.select(AidRequest).limit(1)).first() is not None:
        return
    officer, researcher, committee = (
        _user_with(r) for r in ("relations_officer", "researcher", "committee_member")
    )
    if not (officer and researcher and committee):
        return
    base = {"channel": "in_person", "applicant_city": tenant.city, "summary": "طلب مساعدة (بيانات تجريبية)"}
    names = [
        "نورة محمد عبدالله السبيعي",
        "فهد سالم علي القحطاني",
        "مريم خالد سعد الحربي",
        "سارة أحمد ناصر الدوسري",
    ]
    made = [
        services.create_request(
            {**base, "applicant_name": name, "applicant_phone": f"05000000{i:02d}"}, officer
        )
        for i, name in enumerate(names)
    ]
    for request in made[1:]:
        services.submit(request, officer, declaration_signed_by=request.applicant_name)
    for request in made[2:]:
        services.start_research(request, researcher)
    services.schedule_visit(made[3], researcher, date.today())
    db.session.flush()

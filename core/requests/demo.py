"""Demo requests in several states for one tenant (idempotent)."""

from __future__ import annotations

from datetime import date

from ..auth.models import Membership, User
from ..extensions import db
from . import services
from .models import AidRequest


def _user_with(role: str):
    for membership in db.session.scalars(db.select(Membership)):
        if role in (membership.roles or []):
            return db.session.get(User, membership.user_id)
    return None


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

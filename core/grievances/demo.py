"""Demo grievances in every state for one tenant (idempotent): filed over the last months,
one overdue, one awaiting the complainant, one decided and appealed, one marked malicious."""

from __future__ import annotations

from datetime import timedelta

from ..auth.models import Membership, User
from ..extensions import db
from . import services
from .models import Grievance

NAMES = [
    "نورة محمد عبدالله السبيعي",
    "فهد سالم علي القحطاني",
    "مريم خالد سعد الحربي",
    "سارة أحمد ناصر الدوسري",
    "عبدالله صالح حمد العتيبي",
    "هيا عبدالرحمن فهد الشهري",
    "خالد ناصر محمد الزهراني",
    "منيرة سعد عبدالعزيز المطيري",
]


def _user_with(role: str):
    for membership in db.session.scalars(db.select(Membership).order_by(Membership.id)):
        if role in (membership.roles or []):
            return db.session.get(User, membership.user_id)
    return None


def load(tenant) -> None:
    if db.session.scalars(db.select(Grievance).limit(1)).first() is not None:
        return
    director, officer, committee, researcher, applicant = (
        _user_with(r)
        for r in ("executive_director", "relations_officer", "committee_member", "researcher", "applicant")
    )
    if not (director and officer and committee and researcher):
        return
    today = services.today()
    # The staff member a complaint is about must be someone else than those who handle it.
    about = researcher.id if researcher.id not in {director.id, committee.id} else None

    def filed(i: int, days_ago: int, **extra) -> Grievance:
        on = today - timedelta(days=days_ago)
        data = {
            "kind": extra.pop("kind", "complaint"),
            "category": extra.pop("category", "service"),
            "channel": extra.pop("channel", "in_person"),
            "complainant_name": NAMES[i],
            "complainant_phone": f"05100000{i:02d}",
            "description": extra.pop("description", "تأخر تسليم المساعدة عن الموعد المحدد (بيانات تجريبية)"),
            "event_date": on - timedelta(days=3),
            **extra,
        }
        return services.file_grievance(data, director, on=on)

    services.file_grievance(
        {
            "kind": "grievance",
            "category": "decision",
            "channel": "portal",
            "complainant_name": NAMES[0],
            "complainant_phone": "0510000000",
            "description": "أتظلم من قرار رفض طلبي (بيانات تجريبية)",
            "event_date": today - timedelta(days=2),
        },
        applicant,
        own=True,
        on=today,
    ) if applicant else filed(0, 0)
    reviewing = filed(1, 20, category="staff_conduct", about_user_id=about)
    services.assign(reviewing, director, [committee.id], "لجنة الشكاوى")
    waiting = filed(2, 30)
    services.assign(waiting, director, [committee.id])
    services.ask_complainant(
        waiting, committee, "نرجو تزويدنا بصورة إيصال الاستلام", today - timedelta(days=10)
    )
    overdue = filed(3, 70, channel="phone")
    services.assign(overdue, director, [committee.id])
    decided = filed(4, 60, kind="grievance", category="decision")
    services.assign(decided, director, [committee.id])
    services.decide(decided, committee, "partly_upheld", "ثبت جزء من التظلم", "إعادة دراسة الطلب",
                    today - timedelta(days=5))  # fmt: skip
    appealed = filed(5, 90, channel="letter")
    services.assign(appealed, director, [committee.id])
    services.decide(appealed, committee, "dismissed", "لم يثبت التقصير", None, today - timedelta(days=40))
    services.open_appeal(appealed, officer, "المتظلم يطلب إعادة النظر", today - timedelta(days=38))
    closed = filed(6, 120, channel="email")
    services.assign(closed, director, [committee.id])
    services.decide(closed, committee, "upheld", "ثبت التقصير وتم الاعتذار", "تنبيه مقدم الخدمة",
                    today - timedelta(days=100))  # fmt: skip
    services.close(closed, director)
    rejected = filed(7, 15)
    services.reject_inadmissible(rejected, director, "duplicate", "مكررة")
    withdrawn = filed(0, 25, channel="phone")
    services.withdraw(withdrawn, director)
    malicious = filed(1, 50, category="staff_conduct")
    services.assign(malicious, director, [committee.id])
    services.decide(malicious, committee, "dismissed", "ادعاء غير صحيح", None, today - timedelta(days=30))
    services.mark_malicious(malicious, director, "ثبت أن الشكوى كيدية", refer=True)
    services.close(malicious, director)
    services.tick(today)
    db.session.flush()

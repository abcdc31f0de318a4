"""Demo policy documents, from the seeds that say when their board approved them (idempotent):
seed 003's beneficiary-relations policy of aoun-victims (board meeting no. 2, 29/9/2020) and
seed 002's of alhasa-prisoners (session no. 1 of 2026, 31/1/2026); for aoun-victims also the four
tools of its section 5 (basic regulation, research guide, support policy guide, request form),
which the staff pages link where they apply."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfWriter

from ..documents.services import store_file
from ..extensions import db
from .models import PolicyDocument

SEEDED = {
    "aoun-victims": {
        "title": "سياسة تنظيم العلاقة مع المستفيدين",
        "kind": "other",
        "version": "1",
        "board_meeting_number": "2",
        "board_approved_on": date(2020, 9, 29),
        "in_force_from": date(2020, 9, 29),
        "notes": "اعتمدها مجلس الإدارة؛ أدوات موظف علاقات المستفيدين: اللائحة الأساسية، دليل خدمات البحث "
        "الاجتماعي، دليل سياسة الدعم، طلب دعم مستفيد.",
    },
    "alhasa-prisoners": {
        "title": "سياسة تنظيم العلاقة مع المستفيدين",
        "kind": "other",
        "version": "01",
        "board_meeting_number": "1",
        "board_approved_on": date(2026, 1, 31),
        "in_force_from": date(2026, 1, 31),
        "notes": "اعتمدها مجلس الإدارة في دورته الأولى بجلسته رقم (1) لعام 2026م.",
    },
}


# Section 5 of seed 003: the tools the beneficiary-relations officer works with, in force with
# the policy that names them (the seed gives no approval of their own).
TOOLS = {
    "aoun-victims": (
        ("اللائحة الأساسية للجمعية", "basic_regulation"),
        ("دليل خدمات البحث الاجتماعي", "research_services_guide"),
        ("دليل سياسة الدعم للمستفيدين", "support_policy_guide"),
        ("نموذج طلب دعم مستفيد", "support_request_form"),
    ),
}


def _pdf() -> bytes:
    """A one-page PDF standing for the approved document (uploads are parsed)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def load(tenant) -> None:
    data = SEEDED.get(tenant.slug)
    if data is None or db.session.scalar(db.select(PolicyDocument.id).limit(1)) is not None:
        return
    stored = store_file(_pdf(), "سياسة-تنظيم-العلاقة-مع-المستفيدين.pdf", "policies")
    db.session.add(PolicyDocument(file=stored.as_dict(), **data))
    for title, kind in TOOLS.get(tenant.slug, ()):
        tool = store_file(_pdf(), f"{title.replace(' ', '-')}.pdf", "policies")
        db.session.add(
            PolicyDocument(
                file=tool.as_dict(),
                title=title,
                kind=kind,
                version="1",
                in_force_from=data["in_force_from"],
                notes="من أدوات موظف علاقات المستفيدين (القسم ٥ من السياسة)؛ ملف تجريبي.",
            )
        )
    db.session.flush()

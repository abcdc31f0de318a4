"""A small plan file in the import format (notes/plan_format.md) and ways to disburse."""

from __future__ import annotations

from datetime import date

from core.aid.services import record_disbursement

HEADER = (
    "رقم الهدف,نوع الهدف,الهدف,المؤشر,المستهدف,مصدر القياس,البرنامج,النشاط,برنامج المساعدات,المخطط,"
    + ",".join("١٢٣٤٥٦٧٨٩"[i] if i < 9 else "١" + "٠١٢"[i - 9] for i in range(12))
    + ",جهة التنفيذ,التكلفة"
)


def row(*cells) -> str:
    return ",".join(str(c) for c in cells)


def months(*counts) -> list:
    counts = list(counts) + [""] * (12 - len(counts))
    return counts


GOOD = "\n".join([
    "# خطة تجريبية",
    HEADER,
    row(1, "استراتيجي", "مساندة الأسر", "توفير الدعم", "١٢", "", "الدعم المادي", "سداد ايجارات", "دعم إيجار",
        "١٢", *months(*["١"] * 12), "المشاريع", "٥٠٠٠٠"),
    row("", "", "", "", "", "", "", "السلة الغذائية", "", "٦", *months("", "١", "", "١", "", "١", "", "١", "", "١", "", "١"),
        "المشاريع", "١٠٬٠٠٠"),
    row(2, "تطويري", "تطوير الأداء", "عدد الصرف", "لا يقل عن ٢", "aid.disbursements", "", "", "", "", *months(),
        "", ""),
    row("", "", "", "-", "", "", "", "التقرير السنوي", "", "مستمر", *months(), "الإعلام", "-"),
]) + "\n"  # fmt: skip


def disburse(staff, request, on: date, halalas: int):
    return record_disbursement(
        request, staff["finance_officer"],
        {"kind": "in_kind", "value_halalas": halalas, "proof_type": "acknowledgement", "acknowledged_by": "نورة",
         "disbursed_on": on, "catalog_item_id": request.catalog_item_id},
    )  # fmt: skip

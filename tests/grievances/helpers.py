"""Plain helpers of the grievance tests (the fixtures come from core.testing)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm.attributes import flag_modified

from core.extensions import db
from core.grievances import file_grievance

ON = date(2025, 11, 3)  # a Monday


def payload(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "category": "service",
        "channel": "in_person",
        "complainant_name": "نورة محمد عبدالله السبيعي",
        "complainant_phone": "0500000001",
        "description": "تأخر تسليم السلة الغذائية",
        "event_date": ON - timedelta(days=3),
    }
    data.update(overrides)
    return data


def filed(staff, on: date = ON, **overrides):
    return file_grievance(
        payload(event_date=on - timedelta(days=1), **overrides), staff["executive_director"], on=on
    )


def set_holidays(tenant, holidays: list[dict]) -> None:
    settings = dict(tenant.settings or {})
    settings["calendar"] = {**(settings.get("calendar") or {}), "holidays": holidays}
    tenant.settings = settings
    flag_modified(tenant, "settings")
    db.session.commit()

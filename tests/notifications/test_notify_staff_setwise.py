"""Telling the staff is set-wise: each member gets the same message ``notify`` would queue for
them alone, but the members are read once, no safe-contact record is consulted for an in-app
message, and the statements do not grow with the number of members."""

from __future__ import annotations

from core.extensions import db
from core.notifications.models import OutboxMessage
from core.notifications.services import notify, notify_staff
from core.tenancy import tenant_context

FIELDS = (
    "channel",
    "template",
    "recipient",
    "user_id",
    "locale",
    "subject",
    "body",
    "link",
    "context",
    "status",
)


def _row(message: OutboxMessage) -> tuple:
    return tuple(getattr(message, name) for name in FIELDS)


def test_each_member_gets_what_notify_would_queue_for_them_alone(tenant, staff, make_member):
    make_member("second.researcher@first.example.org", tenant, ["researcher"])
    context = {"number": "\u20661448-000007\u2069", "name": "نورة", "date": "١٤٤٨/٠١/٠١"}
    with tenant_context(tenant):
        together = notify_staff("requests.research", "staff_request_submitted", context, link="/t/first/x")
        researchers = sorted({m.user_id for m in together})
        assert len(researchers) == len(together) >= 2
        one_by_one = []
        for message in together:
            user = db.session.get(type(staff["researcher"]), message.user_id)
            one_by_one += notify(
                "staff_request_submitted", context, user=user, only=("in_app",), link="/t/first/x"
            )
        assert [_row(m) for m in together] == [_row(m) for m in one_by_one]
        db.session.rollback()


def test_the_statements_do_not_grow_with_the_members_and_no_safe_contact_is_read(
    tenant, staff, make_member, max_queries
):
    context = {"number": "1", "name": "x", "date": "y"}

    def statements() -> list[str]:
        with tenant_context(tenant), max_queries(10) as captured:
            notify_staff("requests.research", "staff_request_submitted", context)
        db.session.rollback()
        return captured.statements

    statements()  # warm: the enabled plugins, read once per request
    few = statements()
    for n in range(4):
        make_member(f"researcher{n}@first.example.org", tenant, ["researcher"])
    many = statements()
    assert not any("notifications_contact" in s for s in few + many)
    selects = [s for s in many if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len([s for s in few if s.lstrip().upper().startswith("SELECT")]) == 1

"""Safe contact on a victim's file: which of their numbers and addresses (or channels) are unsafe
and the safe window of the day. Kept by core's outbox (``set_contact_safety``), which then holds
or withholds every notification of every module for them."""

from __future__ import annotations

import re
from datetime import time

from core.toolkit import (
    Conflict,
    Person,
    audit_record,
    contact_safety_of,
    get_in_tenant,
    set_contact_safety,
)

from ..i18n import _
from ..models import VictimCase
from .cases import check_invalid, request_of
from .steps import allow

SET = "crime_victims.safe_contact.set"
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def known_addresses(case: VictimCase) -> list[str]:
    """The phone numbers and e-mail addresses the platform holds for the case's person."""
    request = request_of(case)
    person = get_in_tenant(Person, case.person_id) if case.person_id else None
    found = [request.applicant_phone, request.applicant_email]
    if person is not None:
        found += [person.phone, person.email]
    return list(dict.fromkeys(a for a in found if a))


def _time(data: dict, field: str) -> time | None:
    text = (data.get(field) or "").strip()
    if not text:
        return None
    match = TIME.match(text)
    check_invalid(match is None, field, _("Enter a time as hours:minutes, e.g. 18:30."))
    return time(int(match.group(1)), int(match.group(2)))


def set_safe_contact(case: VictimCase, data: dict, actor) -> None:
    """Record the case's safe-contact rule (audited with codes only; the caller commits)."""
    allow(actor, "crime_victims.care")
    if case.person_id is None:
        raise Conflict(_("Match the person in the registry (intake step 2) before setting safe contact."))
    known = known_addresses(case)
    unsafe = [a for a in data.get("unsafe_addresses") or [] if a]
    check_invalid(
        any(a not in known for a in unsafe),
        "unsafe_addresses",
        _("Choose among the listed numbers and addresses."),
    )
    channels = [c for c in data.get("unsafe_channels") or [] if c]
    check_invalid(
        any(c not in ("sms", "email") for c in channels),
        "unsafe_channels",
        _("Choose one of the listed values."),
    )
    start, end = _time(data, "window_start"), _time(data, "window_end")
    check_invalid(
        (start is None) != (end is None), "window_end", _("Give both the start and the end of the window.")
    )
    set_contact_safety(
        case.person_id,
        addresses=known,
        unsafe_addresses=unsafe,
        unsafe_channels=channels,
        window_start=start,
        window_end=end,
        actor=actor,
    )
    audit_record(
        SET,
        "crime_victims_case",
        case.id,
        {"unsafe_addresses": len(unsafe), "unsafe_channels": channels, "window": start is not None},
        user=actor,
    )


def safe_contact_of(case: VictimCase) -> dict:
    """What the page shows: the known addresses with their state, the channels, the window."""
    safety, pairs = contact_safety_of(case.person_id) if case.person_id else (None, [])
    unsafe_keys = {address for address, unsafe in pairs if unsafe}
    from_key = {}
    for address in known_addresses(case):
        digits = "".join(ch for ch in address if ch.isdigit())
        from_key[address] = address.lower() if "@" in address else digits[-9:]
    return {
        "addresses": [(a, from_key[a] in unsafe_keys) for a in known_addresses(case)],
        "unsafe_channels": list(safety.unsafe_channels or []) if safety else [],
        "window_start": safety.window_start if safety else None,
        "window_end": safety.window_end if safety else None,
        "set": safety is not None,
    }

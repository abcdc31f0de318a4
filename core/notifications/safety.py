"""Safe contact: the outbox's one rule for every notification of every module.

A person's contact-safety record (``ContactSafety``) lists the addresses (phone numbers and
e-mail addresses) it covers, which of them are unsafe (a phone shared with an abuser), which
channels are unsafe altogether, and the window of the day (in the tenant's time zone) when a
message may arrive. Before an SMS or an e-mail leaves — when it is queued and again when the
outbox job sends it — :func:`verdict` decides: an unsafe address or channel is never sent (the
message is ``withheld``, the reason recorded); outside the window it is ``held`` until the window
opens, and the outbox job releases it then. In-app messages (the portal inbox) are not affected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from ..calendar import time_zone_of
from ..extensions import db
from ..tenancy import require_tenant, utcnow
from .models import ContactAddress, ContactSafety

GUARDED_CHANNELS = ("sms", "email")
UNSAFE_ADDRESS, UNSAFE_CHANNEL, OUTSIDE_WINDOW = "unsafe_address", "unsafe_channel", "outside_window"


def normalize(address: str | None) -> str:
    """The form an address is compared in: e-mail lower-cased; a phone by its last nine digits
    (``0551234567``, ``+966551234567`` and ``966551234567`` are one number)."""
    text = (address or "").strip()
    if "@" in text:
        return text.lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-9:] if len(digits) >= 9 else digits


@dataclass(frozen=True)
class Verdict:
    action: str  # send | withhold | hold
    reason: str | None = None
    release_at: datetime | None = None  # naive UTC, for ``hold``


SEND = Verdict("send")


def in_window(moment: time, start: time | None, end: time | None) -> bool:
    """``moment`` within ``[start, end)``; a window may cross midnight; no window: always."""
    if start is None or end is None or start == end:
        return True
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def next_opening(now_local: datetime, start: time) -> datetime:
    """The next time the window opens after ``now_local`` (aware, the tenant's zone)."""
    opening = now_local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    return opening if opening > now_local else opening + timedelta(days=1)


def decide(channel: str, safety: Any, address_unsafe: bool, now: datetime, zone) -> Verdict:
    """The rule itself, no database: ``safety`` the person's record (or None), ``now`` naive UTC."""
    if channel not in GUARDED_CHANNELS or safety is None:
        return SEND
    if address_unsafe:
        return Verdict("withhold", UNSAFE_ADDRESS)
    if channel in (safety.unsafe_channels or ()):
        return Verdict("withhold", UNSAFE_CHANNEL)
    local = now.replace(tzinfo=UTC).astimezone(zone)
    if in_window(local.time(), safety.window_start, safety.window_end):
        return SEND
    opening = next_opening(local, safety.window_start)
    return Verdict("hold", OUTSIDE_WINDOW, opening.astimezone(UTC).replace(tzinfo=None))


def records_for(addresses: list[str]) -> dict[str, list[tuple[Any, bool]]]:
    """``{normalized address: [(ContactSafety, unsafe), …]}`` for the addresses records cover
    (one query; a phone shared by two people is covered by both records)."""
    keys = sorted({normalize(a) for a in addresses if a} - {""})
    if not keys:
        return {}
    rows = db.session.execute(
        sa.select(ContactAddress.address, ContactAddress.unsafe, ContactSafety)
        .join(
            ContactSafety,
            sa.and_(
                ContactSafety.id == ContactAddress.safety_id,
                ContactSafety.tenant_id == ContactAddress.tenant_id,
            ),
        )
        .where(ContactAddress.address.in_(keys))
    ).all()
    found: dict[str, list[tuple[Any, bool]]] = {}
    for address, unsafe, safety in rows:
        found.setdefault(address, []).append((safety, unsafe))
    return found


def verdict(channel: str, address: str, now: datetime | None = None, known: dict | None = None) -> Verdict:
    """What the outbox does with a message to ``address`` by ``channel`` now."""
    if channel not in GUARDED_CHANNELS:
        return SEND
    found = (known if known is not None else records_for([address])).get(normalize(address)) or []
    now, zone = now or utcnow(), time_zone_of(require_tenant())
    verdicts = [decide(channel, safety, unsafe, now, zone) for safety, unsafe in found]
    # The strictest record wins: never sent, else held until the latest opening, else sent.
    withheld = [v for v in verdicts if v.action == "withhold"]
    if withheld:
        return withheld[0]
    held = [v for v in verdicts if v.action == "hold"]
    return max(held, key=lambda v: v.release_at) if held else SEND


def set_contact_safety(
    person_id: int,
    *,
    addresses: list[str],
    unsafe_addresses: list[str] = (),
    unsafe_channels: list[str] = (),
    window_start: time | None = None,
    window_end: time | None = None,
    actor: Any = None,
) -> ContactSafety:
    """Create or replace the contact-safety record of a person (the caller validates, audits and
    commits). Every unsafe address is covered too."""
    safety = db.session.scalar(sa.select(ContactSafety).where(ContactSafety.person_id == person_id))
    if safety is None:
        safety = ContactSafety(person_id=person_id)
        db.session.add(safety)
    safety.unsafe_channels = sorted(set(unsafe_channels) & set(GUARDED_CHANNELS))
    safety.window_start, safety.window_end = window_start, window_end
    safety.updated_by_id = getattr(actor, "id", None)
    safety.updated_at = utcnow()
    db.session.flush()
    db.session.execute(sa.delete(ContactAddress).where(ContactAddress.safety_id == safety.id))
    unsafe = {normalize(a) for a in unsafe_addresses} - {""}
    for key in sorted(({normalize(a) for a in addresses} | unsafe) - {""}):
        db.session.add(ContactAddress(safety_id=safety.id, address=key, unsafe=key in unsafe))
    db.session.flush()
    return safety


def contact_safety_of(person_id: int) -> tuple[Any, list[tuple[str, bool]]]:
    """The person's record (or None) and its ``(address, unsafe)`` pairs."""
    safety = db.session.scalar(sa.select(ContactSafety).where(ContactSafety.person_id == person_id))
    if safety is None:
        return None, []
    rows = db.session.execute(
        sa.select(ContactAddress.address, ContactAddress.unsafe)
        .where(ContactAddress.safety_id == safety.id)
        .order_by(ContactAddress.address)
    ).all()
    return safety, [tuple(row) for row in rows]

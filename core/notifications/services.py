"""Queueing and sending notifications (see the package docstring)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from .. import at_rest
from ..auth.models import User
from ..auth.permissions import roles_holding
from ..auth.services import member_rows
from ..calendar import format_date, format_datetime
from ..extensions import db
from ..i18n import LANGUAGES
from ..i18n import lazy_gettext as _l
from ..plugins import tenant_hooks
from ..tenancy import current_tenant, require_tenant, utcnow
from . import safety
from .models import OutboxMessage

log = logging.getLogger("charity_platform.notifications")
MAX_ATTEMPTS = 5
MASK = "[…]"


class Sealed(str):
    """A message value that must not be kept in clear — an access link, a reset link: the
    message goes out with it, but the outbox keeps its subject and body with ``MASK`` in its
    place, and the text as sent only encrypted at rest (``OutboxMessage.sealed``) until the
    message is sent or will never be (failed, withheld).

    An in-app message shows ``shown`` in its place: by default the mask too; a value the
    signed-in reader has another way to — a survey's link has the portal's own page of it,
    behind their login — can show that way instead (``Sealed(link, shown=page)``)."""

    shown: str

    def __new__(cls, value: str, shown: str = MASK) -> Sealed:
        sealed = super().__new__(cls, value)
        sealed.shown = str(shown)
        return sealed


class Sender(Protocol):
    def send(self, message: OutboxMessage, tenant: Any) -> None: ...


@dataclass(frozen=True)
class Channel:
    name: str
    label: Any
    sender: Sender


# Subject and body of each message; %(tenant)s is the association's name in the message's language.
TEMPLATES: dict[str, tuple[Any, Any]] = {
    "request_received": (
        _l("%(tenant)s: your request %(number)s was received"),
        _l("%(tenant)s received your request number %(number)s on %(date)s. Keep this number to follow it."),
    ),
    "request_returned": (
        _l("%(tenant)s: your request %(number)s needs more information"),
        _l("Your request %(number)s was returned to you for missing information: %(reason)s"),
    ),
    "request_approved": (
        _l("%(tenant)s: your request %(number)s was approved"),
        _l("Your request %(number)s was approved for %(amount)s SAR."),
    ),
    "request_rejected": (
        _l("%(tenant)s: decision on your request %(number)s"),
        _l("Your request %(number)s was not approved. Reason: %(reason)s"),
    ),
    "permit_outcome": (
        _l("%(tenant)s: the authority answered about your request %(number)s"),
        _l("The competent authority answered about your request %(number)s: %(outcome)s."),
    ),
    "member_invited": (
        _l("%(tenant)s: you are invited to join"),
        _l(
            "You were invited to work with %(tenant)s on its platform. Open this link to accept "
            "(log in first if you already have an account with this e-mail): %(link)s"
        ),
    ),
    # To the staff who act next on a request (in the staff inbox only).
    "staff_request_submitted": (
        _l("New request %(number)s to research"),
        _l("Request %(number)s from %(name)s was submitted on %(date)s and waits for research."),
    ),
    "staff_request_in_committee": (
        _l("Request %(number)s waits for the committee's decision"),
        _l("Request %(number)s from %(name)s was sent to the committee for a decision."),
    ),
    "staff_request_approved": (
        _l("Request %(number)s approved: to disburse"),
        _l("Request %(number)s from %(name)s was approved for %(amount)s SAR and waits for disbursement."),
    ),
    "password_reset": (
        _l("%(tenant)s: choose a new password"),
        _l(
            "A new password was asked for the account %(email)s. Open this link within %(minutes)s "
            "minutes to choose it (the link works once): %(link)s — If you did not ask, ignore this message."
        ),
    ),
    "account_exists": (
        _l("%(tenant)s: you already have an account"),
        _l(
            "Someone tried to create an account at %(tenant)s with this e-mail, which already has one. "
            "Log in here: %(login)s — Forgot your password? Choose a new one here: %(forgot)s — "
            "If it was not you, ignore this message."
        ),
    ),
    "account_created": (
        _l("%(tenant)s: your account was created"),
        _l("Welcome. Your account at %(tenant)s was created with this e-mail. Log in here: %(login)s"),
    ),
    "aid_disbursed": (
        _l("%(tenant)s: aid handed over for request %(number)s"),
        _l("Aid worth %(amount)s SAR was handed over for your request %(number)s on %(date)s."),
    ),
}


def channels() -> dict[str, Channel]:
    """The channels of the current tenant: the first declaration of a name wins (plugins first)."""
    found: dict[str, Channel] = {}
    for declared in tenant_hooks().notification_channels():
        for channel in declared or []:
            found.setdefault(channel.name, channel)
    return found


def _plugin_template(template: str) -> tuple[Any, Any]:
    """A template an enabled plugin declares (``register_notification_templates``)."""
    for declared in tenant_hooks().register_notification_templates():
        if template in (declared or {}):
            return declared[template]
    raise KeyError(template)


def render(template: str, context: dict, locale: str) -> tuple[str, str]:
    """``(subject, body)`` of ``template`` in ``locale``. A context value that is a date (or a
    moment) is written then, in that language and the association's calendar; None as nothing."""
    tenant = require_tenant()
    subject, body = TEMPLATES.get(template) or _plugin_template(template)
    with force_locale(locale):
        values = {key: _as_text(_revived(value, locale)) for key, value in context.items()}
        values["tenant"] = tenant.name(locale)
        return str(subject) % values, str(body) % values


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _kept(value: Any) -> Any:
    """What an in-app message keeps of a context value (JSON) to be written again in its
    reader's language: a date as a date, None as none, a label (a lazy translation: a
    decision's outcome) in each of the platform's languages, anything else as the text it was
    — a label is not written in the language of whoever's action queued the message."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, LazyString):
        return {"texts": {language: _in_language(value, language) for language in LANGUAGES}}
    return str(value)


def _in_language(value: LazyString, language: str) -> str:
    with force_locale(language):
        return str(value)


def _revived(value: Any, locale: str) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
        if "texts" in value:
            texts = value["texts"]
            return texts.get(locale) or next(iter(texts.values()), "")
    return value


def notify(
    template: str,
    context: dict,
    *,
    user: Any = None,
    email: str | None = None,
    phone: str | None = None,
    locale: str | None = None,
    only: tuple[str, ...] | None = None,
    link: str | None = None,
) -> list[OutboxMessage]:
    """Queue ``template`` for every channel that can reach the recipient (the caller commits);
    ``only`` restricts the channels (``("in_app",)``: the inbox alone), ``link`` is the page
    the message is about."""
    locale = _locale_of(user, locale)
    available = {name: c for name, c in channels().items() if only is None or name in only}
    targets: list[tuple[str, str]] = []
    if user is not None and "in_app" in available:
        targets.append(("in_app", user.email))
    address = email or (user.email if user is not None else None)
    if address and "email" in available:
        targets.append(("email", address))
    if phone and "sms" in available:
        targets.append(("sms", phone))
    messages = _queue(template, context, [(user, locale, targets)], link)
    db.session.flush()
    return messages


def _locale_of(user: Any, locale: str | None = None) -> str:
    return locale or getattr(user, "locale", None) or require_tenant().default_locale or "ar"


def _queue(
    template: str, context: dict, recipients: list[tuple[Any, str, list[tuple[str, str]]]], link: str | None
) -> list[OutboxMessage]:
    """Outbox messages of ``template`` for each ``(user, locale, [(channel, address)…])``, added
    to the session (not flushed): rendered once per language, the safe-contact records of every
    guarded address read in one query (in-app messages are never guarded: none read for them)."""
    rendered: dict[str, tuple[tuple[str, str], str | None, tuple[str, str]]] = {}
    masked = {key: MASK if isinstance(value, Sealed) else value for key, value in context.items()}
    sealing = masked != context
    shown = {key: value.shown if isinstance(value, Sealed) else value for key, value in context.items()}
    in_app_context = {key: _kept(value) for key, value in shown.items()}
    known = safety.records_for(
        [
            address
            for _u, _l, targets in recipients
            for channel, address in targets
            if channel in safety.GUARDED_CHANNELS
        ]
    )
    messages = []
    for user, locale, targets in recipients:
        if locale not in rendered:
            kept = render(template, masked, locale)
            rendered[locale] = (
                kept,
                _seal(render(template, context, locale)) if sealing else None,
                render(template, shown, locale) if shown != masked else kept,
            )
        kept, sealed, in_app = rendered[locale]
        for channel, recipient in targets:
            subject, body = in_app if channel == "in_app" else kept
            message = OutboxMessage(
                channel=channel,
                template=template,
                recipient=recipient,
                user_id=getattr(user, "id", None),
                locale=locale,
                subject=subject[:255],
                body=body,
                sealed=sealed if channel != "in_app" else None,
                link=link,
                context=dict(in_app_context) if channel == "in_app" else None,
            )
            _apply(message, safety.verdict(channel, recipient, known=known))
            messages.append(message)
    db.session.add_all(messages)
    return messages


def notify_applicant(
    request: Any, template: str, *, page: str | None = None, **context: Any
) -> list[OutboxMessage]:
    """Queue ``template`` for the applicant of ``request`` (an ``AidRequest``, read by its
    attributes): their portal account if any, the e-mail they gave if it differs, their phone;
    ``page``: the page the message is about (the portal inbox opens it)."""
    user = db.session.get(User, request.applicant_user_id) if request.applicant_user_id else None
    email = (
        request.applicant_email
        if request.applicant_email and (user is None or user.email != request.applicant_email)
        else None
    )
    return notify(
        template,
        {"number": request.number or "", **context},
        user=user,
        email=email,
        phone=request.applicant_phone,
        link=page,
    )


def _apply(message: OutboxMessage, verdict: safety.Verdict) -> bool:
    """Record the safe-contact rule's verdict on ``message``; True when it may be sent now."""
    if verdict.action == "withhold":
        message.status, message.last_error = "withheld", verdict.reason
        message.sealed = None  # never sent
        return False
    if verdict.action == "hold":
        message.status, message.last_error = "held", verdict.reason
        message.next_attempt_at = verdict.release_at
        return False
    if message.status == "held":
        message.status, message.last_error = "pending", None
    return True


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** min(attempts, 10))


def send_pending(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the current tenant's due messages (a held one once its safe window opens); failures
    are retried, then marked failed. The safe-contact rule is applied again before each send."""
    tenant = require_tenant()
    now = now or utcnow()
    available = channels()
    due = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status.in_(("pending", "held")), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    counts = {"sent": 0, "retry": 0, "failed": 0}  # + "held" / "withheld" when the rule stops some
    known = safety.records_for([message.recipient for message in due])
    for message in due:
        if not _apply(message, safety.verdict(message.channel, message.recipient, now, known)):
            counts[message.status] = counts.get(message.status, 0) + 1
            continue
        channel = available.get(message.channel)
        message.attempts += 1
        try:
            if channel is None:
                raise RuntimeError(f"no sender for channel {message.channel!r}")
            channel.sender.send(as_sent(message), tenant)
        except Exception as exc:  # noqa: BLE001 - any sender failure is recorded and retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
                message.sealed = None  # no attempt left
                counts["failed"] += 1
            else:
                message.next_attempt_at = now + _backoff(message.attempts)
                counts["retry"] += 1
            log.warning("notification %s via %s failed: %s", message.id, message.channel, exc)
        else:
            message.status = "sent"
            message.sent_at = now
            message.last_error = None
            message.sealed = None  # sent: the masked copy is all the outbox keeps
            counts["sent"] += 1
    db.session.flush()
    return counts


def _seal(text: tuple[str, str]) -> str:
    return at_rest.encrypt(json.dumps(text, ensure_ascii=False))


def unsealed(message: OutboxMessage) -> tuple[str, str]:
    """``(subject, body)`` of ``message`` as it is sent: with its sealed values while it keeps
    them, else as the outbox keeps it."""
    if not message.sealed:
        return message.subject, message.body
    text = at_rest.decrypt(message.sealed)
    if text is None:  # encrypted with a key the platform no longer has: recorded as a failure
        raise RuntimeError("the message's sealed text cannot be read with the current keys")
    subject, body = json.loads(text)
    return subject, body


class _AsSent:
    """The message a sender is handed: the outbox row, with its sealed subject and body."""

    def __init__(self, message: OutboxMessage) -> None:
        self._message = message
        self.subject, self.body = unsealed(message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message, name)


def as_sent(message: OutboxMessage) -> OutboxMessage | _AsSent:
    """What a sender sends: the message itself, or with its sealed values (``Sealed``)."""
    return _AsSent(message) if message.sealed else message


def notify_staff(
    action: str, template: str, context: dict, *, link: str | None = None
) -> list[OutboxMessage]:
    """Tell, in their inbox only, every member of staff holding ``action`` (the caller commits):
    as :func:`notify` per member, but set-wise — the members read once, the message rendered
    once per language, written in one flush."""
    staff = _staff_holding(action)
    if not staff or "in_app" not in channels():
        return []
    messages = _queue(
        template, context, [(user, _locale_of(user), [("in_app", user.email)]) for user in staff], link
    )
    db.session.flush()
    return messages


@dataclass(frozen=True)
class _Member:
    id: int
    email: str
    name: str | None
    locale: str | None


def _staff_holding(action: str) -> list[_Member]:
    """``members_holding(permission=action)`` as plain rows (what a message needs of each):
    the same members in the same order, without building a ``User`` per member of the
    association on every notification."""
    wanted = roles_holding(action)
    if not wanted:
        return []
    return [_Member(*row) for row in member_rows(wanted, User.id, User.email, User.name, User.locale)]


def _mine(user: Any) -> Any:
    # The tenant named: ``inbox_page`` counts through a subquery, which the session's automatic
    # tenant criteria do not reach.
    return db.select(OutboxMessage).where(
        OutboxMessage.tenant_id == require_tenant().id,
        OutboxMessage.user_id == user.id,
        OutboxMessage.channel == "in_app",
    )


def inbox_page(
    user: Any, *, page: int = 1, per_page: int = 50, unread_only: bool = False
) -> tuple[list, int]:
    """One page of ``user``'s in-app messages in the current tenant, newest first, and the total."""
    query = _mine(user)
    if unread_only:
        query = query.where(OutboxMessage.read_at.is_(None))
    total = db.session.scalar(db.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(OutboxMessage.id.desc()).limit(per_page).offset((max(page, 1) - 1) * per_page)
    )
    return list(rows), total


def unread_count(user: Any) -> int:
    """How many in-app messages ``user`` has not read in the current tenant (0 outside one)."""
    if current_tenant() is None or user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        db.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.user_id == user.id,
            OutboxMessage.channel == "in_app",
            OutboxMessage.read_at.is_(None),
        )
    )


def mark_read(user: Any, message_id: int | None = None) -> int:
    """Mark one of ``user``'s messages (or all of them) read in the current tenant; how many
    changed (the caller commits). One UPDATE, whatever the number of messages."""
    statement = (
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.tenant_id == require_tenant().id,
            OutboxMessage.user_id == user.id,
            OutboxMessage.channel == "in_app",
            OutboxMessage.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if message_id is not None:
        statement = statement.where(OutboxMessage.id == message_id)
    return db.session.execute(statement).rowcount


def message_text(message: OutboxMessage, locale: str) -> tuple[str, str, str]:
    """``(subject, body, language)`` of a message as a reader in ``locale`` sees it: rendered
    again in that language when its values were kept, else as it was queued."""
    if message.locale != locale and message.context is not None:
        try:
            subject, body = render(message.template, message.context, locale)
        except (KeyError, ValueError, TypeError):  # a template gone or changed since
            return message.subject, message.body, message.locale
        return subject, body, locale
    return message.subject, message.body, message.locale


def local_link(message: OutboxMessage) -> str | None:
    """The page ``message`` is about when it is a path of this platform (never another site)."""
    link = message.link
    if link and link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return None


def in_app_messages(user: Any, limit: int = 50) -> list[OutboxMessage]:
    """The portal inbox of ``user`` in the current tenant, newest first."""
    if current_tenant() is None or user is None:
        return []
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.user_id == user.id, OutboxMessage.channel == "in_app")
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )

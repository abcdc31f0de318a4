"""Password reset tokens: issued for an account, expiring, used at most once (plain functions).

Only the SHA-256 of a token is stored (like API tokens and invitations). A token is used by one
conditional ``UPDATE … WHERE used_at IS NULL AND expires_at > now``: of two requests racing with
the same link, only the one whose update changed the row resets the password. Sending the link
(e-mail or SMS through the notifications outbox) and the audit entry belong to the caller
(``core.portal.account``): this layer knows neither.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from marshmallow import ValidationError

from ..errors import AppError
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..tenancy import utcnow
from .models import PasswordReset, User, hash_token
from .passwords import password_problems
from .services import end_all_sessions, normalise_email, revoke_all_tokens
from .throttle import login_guard

INVALID_LINK = _l(
    "This password-reset link is not valid: it was used already, it expired or it is mistyped. "
    "Ask for a new one."
)


def reset_ttl() -> timedelta:
    return timedelta(minutes=current_app.config["PASSWORD_RESET_TTL_MINUTES"])


def users_for_login(login: str, phone: str | None = None) -> list[User]:
    """The active accounts a reset request names: the one with this e-mail, or every account
    with this mobile number (``phone`` already normalised, ``+9665XXXXXXXX``)."""
    if phone:
        query = db.select(User).where(User.phone == phone)
    else:
        query = db.select(User).where(User.email == normalise_email(login))
    return [user for user in db.session.scalars(query.order_by(User.id)) if user.is_active]


def issue(user: User, channel: str) -> str:
    """A new reset token for ``user`` (the secret, to put in the link; the caller commits)."""
    secret = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=hash_token(secret),
            channel=channel,
            expires_at=utcnow() + reset_ttl(),
        )
    )
    db.session.flush()
    return secret


def pending(secret: str) -> PasswordReset | None:
    """The unused, unexpired reset of this link's token (None for any other)."""
    reset = db.session.execute(
        db.select(PasswordReset).where(PasswordReset.token_hash == hash_token(secret or ""))
    ).scalar_one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() or not reset.user.is_active:
        return None
    return reset


class InvalidResetLink(AppError):
    """The link's token is unknown, used or expired: 400 with ``INVALID_LINK`` (one answer for
    all three: the page says what to do, ask for a new link)."""

    status = 400

    def __init__(self):
        super().__init__(INVALID_LINK, {"token": [INVALID_LINK]})


def reset_password(secret: str, new_password: str, confirmation: str | None = None) -> User:
    """Set the password of the link's account: the policy applies (field errors under
    ``new_password`` / ``new_password2``), the token is used up atomically, every other reset
    link of the account stops working, every session and API token ends and the account's failed
    logins are forgotten. The caller commits (and logs the user in, and audits).

    Raises ``InvalidResetLink`` or ``ValidationError``; nothing is changed then.
    """
    reset = pending(secret)
    if reset is None:
        raise InvalidResetLink()
    user = reset.user
    if confirmation is not None and confirmation != new_password:
        raise ValidationError({"new_password2": [_l("The passwords do not match.")]})
    problems = password_problems(new_password, [user.email, user.name])
    if problems:
        raise ValidationError({"new_password": problems})
    now = utcnow()
    used = db.session.execute(
        db.update(PasswordReset)
        .where(
            PasswordReset.id == reset.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # another request used it first
        raise InvalidResetLink()
    db.session.execute(
        db.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    user.set_password(new_password)
    end_all_sessions(user)
    revoke_all_tokens(user)
    login_guard().succeeded(user.email)
    return user

"""User and membership operations shared by pages, API and CLI (plain functions)."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..errors import AppError
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..i18n import lazy_ngettext
from ..tenancy import require_tenant, tenant_context, utcnow
from ..validation import Name
from . import request_facts
from .models import TENANT_ROLES, ApiToken, Membership, User, hash_token
from .passwords import password_problems
from .permissions import forget_roles_cache, roles_holding
from .throttle import Verdict, login_guard


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class NewUserSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=255))
    password = fields.String(required=True, load_only=True)
    name = Name(load_default="", validate=validate.Length(max=255))
    is_platform_admin = fields.Boolean(load_default=False)
    locale = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("ar", "en")))

    @validates_schema(skip_on_field_errors=False)
    def _password_policy(self, data, **kwargs):
        if "password" not in data:
            return
        problems = password_problems(data["password"], [data.get("email"), data.get("name")])
        if problems:
            raise ValidationError(problems, "password")


class RolesSchema(Schema):
    roles = fields.List(
        fields.String(validate=validate.OneOf(TENANT_ROLES, error=_l("Unknown role."))),
        required=True,
    )

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data.get("roles"):
            raise ValidationError(_l("Choose at least one role."), "roles")


def find_user(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def create_user(data: dict) -> User:
    """Validate and add a user (the caller commits). Raises ``ValidationError``."""
    data = NewUserSchema().load(data)
    email = normalise_email(data["email"])
    if find_user(email):
        raise ValidationError({"email": [_l("A user with this e-mail already exists.")]})
    user = User(
        email=email, name=data["name"], is_platform_admin=data["is_platform_admin"], locale=data["locale"]
    )
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    return user


def set_roles(tenant, user: User, roles: list[str]) -> Membership:
    """Give ``user`` exactly ``roles`` in ``tenant`` (creating the membership). Caller commits."""
    roles = RolesSchema().load({"roles": roles})["roles"]
    with tenant_context(tenant):
        membership = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id)
        ).scalar_one_or_none()
        if membership is None:
            membership = Membership(tenant_id=tenant.id, user_id=user.id, roles=sorted(set(roles)))
            db.session.add(membership)
        else:
            membership.roles = sorted(set(roles))
        db.session.flush()
    forget_roles_cache()
    return membership


def members_holding(*, role: str | None = None, permission: str | None = None) -> list[User]:
    """The active members of the tenant in context holding ``role``, or whose roles hold
    ``permission`` (an action), by name: who may document, sign or decide something, whom to
    notify. One query (roles are a JSON list: filtered here). Exactly one of the two."""
    if (role is None) == (permission is None):
        raise TypeError("members_holding: give a role or a permission")
    wanted = frozenset({role}) if role is not None else roles_holding(permission)
    return [row[0] for row in member_rows(wanted, User)]


def member_rows(wanted, *columns) -> list:
    """``columns`` (``User`` or some of its columns) of the active members of the tenant in
    context holding any role of ``wanted``, by name — one query; :func:`members_holding` reads
    whole users, a caller that needs a few columns of many members reads just those."""
    keys = (User.name, User.email, User.id)
    rows = db.session.execute(
        db.select(*columns, *keys, Membership.roles)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == require_tenant().id, User.is_active.is_(True))
    ).all()
    matching = [row for row in rows if wanted & set(row[-1] or ())]
    matching.sort(key=lambda row: (row[-4] or row[-3], row[-2]))
    return [row[: len(columns)] for row in matching]


def users_with_role(role: str) -> list[User]:
    """``members_holding(role=role)`` (the toolkit's name, which plugins use)."""
    return members_holding(role=role)


def staff_holding(action: str) -> list[User]:
    """``members_holding(permission=action)`` (the toolkit's name, which plugins use)."""
    return members_holding(permission=action)


def grant_role(tenant, user: User, role: str) -> Membership:
    with tenant_context(tenant):
        membership = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id)
        ).scalar_one_or_none()
        current = list(membership.roles) if membership else []
    return set_roles(tenant, user, [*current, role])


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password (no throttling: see ``log_in``)."""
    user = find_user(email)
    if user is None or not user.is_active or not user.check_password(password or ""):
        return None
    return user


class LoginThrottled(AppError):
    """Too many failed logins: wait (back-off) or locked out. 429 with ``Retry-After``."""

    status = 429

    def __init__(self, verdict: Verdict):
        minutes = math.ceil(verdict.wait / 60)
        if verdict.locked and verdict.scope == "ip":
            message = lazy_ngettext(
                "Too many failed logins from your network. Try again in %(minutes)s minute.",
                "Too many failed logins from your network. Try again in %(minutes)s minutes.",
                minutes,
                minutes=minutes,
            )
        elif verdict.locked:
            message = lazy_ngettext(
                "Too many failed logins: this account is locked for %(minutes)s minute. "
                "An administrator can unlock it sooner.",
                "Too many failed logins: this account is locked for %(minutes)s minutes. "
                "An administrator can unlock it sooner.",
                minutes,
                minutes=minutes,
            )
        else:
            message = lazy_ngettext(
                "Too many failed logins. Wait %(seconds)s second and try again.",
                "Too many failed logins. Wait %(seconds)s seconds and try again.",
                verdict.wait,
                seconds=verdict.wait,
            )
        super().__init__(message)
        self.verdict = verdict
        self.headers = {"Retry-After": str(verdict.wait)}


def log_in(email: str, password: str, client_address: str | None) -> User | None:
    """``authenticate`` behind the login protection shared by the form and the API.

    Raises ``LoginThrottled`` while the account or address must wait (the password is
    then not even checked); counts a failure otherwise; a success forgets the account's
    failures. None: wrong e-mail or password.
    """
    email = normalise_email(email)
    guard = login_guard()
    verdict = guard.check(email, client_address)
    if verdict.wait:
        raise LoginThrottled(verdict)
    user = authenticate(email, password)
    if user is None:
        guard.failed(email, client_address)
        verdict = guard.check(email, client_address)
        if verdict.locked:
            raise LoginThrottled(verdict)
        return None
    guard.succeeded(email)
    return user


def unlock_account(email: str) -> bool:
    """Lift the lockout (and forget the failures) of ``email``; False when it had none."""
    return login_guard().unlock(normalise_email(email))


def user_from_session_id(session_id: str) -> User | None:
    """The user of a session cookie's id (``"<user id>:<session version>"``, see ``User.get_id``).

    An id of an older session version (the user logged out or changed the password
    since) or of a deactivated user loads nobody.
    """
    user_id, _sep, version = (session_id or "").partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = request_facts.session_user(int(user_id))  # read with the tenant of the URL
    if user is request_facts.NOT_READ:
        user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or (user.session_version or 0) != int(version):
        return None
    return user


def end_all_sessions(user: User) -> None:
    """Every session cookie of ``user`` stops working (the caller commits)."""
    user.end_all_sessions()


def revoke_all_tokens(user: User) -> int:
    """Revoke every API token of ``user`` that is still valid (the caller commits)."""
    result = db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def change_password(
    user: User,
    current_password: str,
    new_password: str,
    client_address: str | None,
    confirmation: str | None = None,
) -> None:
    """Check the current password, apply the policy to the new one, and end every session and
    API token of the user (the caller commits and logs the current session in again).

    Raises ``ValidationError`` (field errors; ``new_password2`` first when a form's
    ``confirmation`` differs from the new password) or ``LoginThrottled`` (a wrong current
    password counts as a failed login).
    """
    if confirmation is not None and confirmation != new_password:
        raise ValidationError({"new_password2": [_l("The passwords do not match.")]})
    guard = login_guard()
    verdict = guard.check(user.email, client_address)
    if verdict.wait:
        raise LoginThrottled(verdict)
    errors: dict[str, list] = {}
    if not user.check_password(current_password or ""):
        guard.failed(user.email, client_address)
        errors["current_password"] = [_l("The current password is wrong.")]
    problems = password_problems(new_password, [user.email, user.name])
    if problems:
        errors["new_password"] = problems
    elif new_password == current_password:
        errors["new_password"] = [_l("Choose a password different from the current one.")]
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    end_all_sessions(user)
    revoke_all_tokens(user)


def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    ttl = timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"])
    token, secret = ApiToken.issue(user, ttl, name=name)
    db.session.add(token)
    return token, secret


def user_from_token(secret: str) -> User | None:
    """The active user of a valid (not revoked, not expired) token; None otherwise."""
    token_hash = hash_token(secret)
    known = request_facts.token_user(token_hash)  # read with the tenant of the URL
    if known is not request_facts.NOT_READ:
        return known
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == token_hash)
    ).scalar_one_or_none()
    if token is None or not token.is_valid:
        return None
    return token.user


def revoke_token(secret: str) -> bool:
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True

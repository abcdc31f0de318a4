"""User and membership operations shared by pages, API and CLI (plain functions)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..tenancy import tenant_context, utcnow
from ..validation import Name
from .models import TENANT_ROLES, ApiToken, Membership, User, hash_token
from .permissions import forget_roles_cache

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class NewUserSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=255))
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(
            min=MIN_PASSWORD_LENGTH, error=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
        ),
    )
    name = Name(load_default="", validate=validate.Length(max=255))
    is_platform_admin = fields.Boolean(load_default=False)
    locale = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("ar", "en")))


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


def grant_role(tenant, user: User, role: str) -> Membership:
    with tenant_context(tenant):
        membership = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id)
        ).scalar_one_or_none()
        current = list(membership.roles) if membership else []
    return set_roles(tenant, user, [*current, role])


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or not user.is_active or not user.check_password(password or ""):
        return None
    return user


def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    ttl = timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"])
    token, secret = ApiToken.issue(user, ttl, name=name)
    db.session.add(token)
    return token, secret


def user_from_token(secret: str) -> User | None:
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
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

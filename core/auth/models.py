"""Users, their memberships in tenants (with roles) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..tenancy import TenantMixin, utcnow

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2 hash of ``password`` (also spent on purpose where an answer must take as long
    as creating an account would)."""
    return _hasher.hash(password)


# The roles of spec/platform.md; a membership holds any number of them.
TENANT_ROLES = (
    "tenant_admin",
    "relations_officer",
    "researcher",
    "committee_member",
    "executive_director",
    "finance_officer",
    "auditor",
    "applicant",
)
ROLE_LABELS = {
    "tenant_admin": _l("Association admin"),
    "relations_officer": _l("Beneficiary-relations officer"),
    "researcher": _l("Social researcher"),
    "committee_member": _l("Committee member"),
    "executive_director": _l("Executive director"),
    "finance_officer": _l("Finance officer"),
    "auditor": _l("Auditor"),
    "applicant": _l("Applicant / beneficiary"),
    "platform_admin": _l("Platform admin"),
}
PLATFORM_ADMIN = "platform_admin"
# Everyone who works for the association (every role but the applicant).
STAFF_ROLES = tuple(role for role in TENANT_ROLES if role != "applicant")


class User(db.Model):
    __tablename__ = "users"
    __distribution__ = "reference"  # platform: one account across associations

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255), default="")
    # The mobile number a password reset can be asked with (05XXXXXXXX; several accounts of one
    # family may share it, so it is not unique).
    phone: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    calendar_display: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the id kept in the session cookie; raising it ends every session of the user
    # (logout, password change): a saved cookie with the old number no longer loads the user.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version or 0}"

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        try:
            ok = _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if ok and _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return ok

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(TenantMixin, db.Model):
    """A user in one tenant, with the roles they hold there."""

    __tablename__ = "memberships"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A bearer token: only its SHA-256 is stored; it expires and can be revoked."""

    __tablename__ = "api_tokens"
    __distribution__ = "reference"  # platform: a token belongs to a user, not a tenant

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user: User, ttl: timedelta, name: str = "") -> tuple[ApiToken, str]:
        secret = secrets.token_urlsafe(32)
        token = cls(user=user, token_hash=hash_token(secret), name=name, expires_at=utcnow() + ttl)
        return token, secret

    @property
    def is_valid(self) -> bool:
        return token_is_valid(self.revoked_at, self.expires_at, self.user)


def token_is_valid(revoked_at: datetime | None, expires_at: datetime, user: User) -> bool:
    """A token is valid while not revoked, not expired, and its user is active."""
    return revoked_at is None and expires_at > utcnow() and user.is_active


class PasswordReset(db.Model):
    """A password-reset link sent to a user (e-mail or SMS): only the SHA-256 of its token is
    stored; it expires and is used at most once (``core.auth.reset.consume``)."""

    __tablename__ = "password_resets"
    __distribution__ = "reference"  # platform: an account is not a tenant's

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(20), default="email")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class Invitation(TenantMixin, db.Model):
    """An e-mail address asked to join a tenant with some roles.

    Adding a member never attaches an existing account by itself: the person behind the
    address follows the link sent there (only a hash of its token is stored), logs in or
    creates their account, and accepts. One pending invitation per address and tenant.
    """

    __tablename__ = "invitations"
    # The link is opened on the tenant's own address, so its token is looked up in the tenant
    # (a key with tenant_id, as Citus requires of a distributed table).
    __tenant_table_args__ = (
        sa.UniqueConstraint("tenant_id", "email"),
        sa.UniqueConstraint("tenant_id", "token_hash"),
    )

    email: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(255), default="")
    roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return "accepted"
        return "pending" if self.expires_at > utcnow() else "expired"

"""Who belongs to a tenant: invitations, role changes and removals (plain functions; callers commit).

Adding a member is an invitation to an e-mail address, whatever is behind it: the answer
is the same whether the address has an account on this platform or not, and nothing about
an account outside the tenant is read or shown. The link goes to the address only; its
holder logs in (or creates the account) and accepts. Roles of an existing member change
only through :func:`change_roles`, and a tenant always keeps at least one admin.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, url_for
from marshmallow import ValidationError, fields, validate

from ..audit.services import record
from ..auth.models import Invitation, Membership, User, hash_token
from ..auth.permissions import forget_roles_cache
from ..auth.services import RolesSchema, create_user, normalise_email, set_roles
from ..errors import Conflict
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..notifications import Sealed, notify
from ..tenancy import require_tenant, utcnow
from ..validation import Name

ADMIN_ROLE = "tenant_admin"
LAST_ADMIN = _l("The association must keep at least one admin: make someone else admin first.")
CANNOT_REMOVE_SELF = _l("You cannot remove yourself.")
ALREADY_MEMBER = _l("This user is already a member of this association: change their roles instead (PATCH).")


class InviteSchema(RolesSchema):
    email = fields.Email(required=True, validate=validate.Length(max=255))
    name = Name(load_default="", validate=validate.Length(max=255))


def member_with_email(email: str) -> Membership | None:
    """The current tenant's membership of the account with ``email`` (another tenant's: None)."""
    return db.session.execute(
        db.select(Membership).join(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def invite(data: dict, invited_by: User | None) -> Invitation:
    """Invite an address to the current tenant with roles, and send it the link.

    Refused (422) only for bad input or an address that already belongs to a member of this
    tenant; an address known elsewhere on the platform is treated like any other.
    """
    data = InviteSchema().load(data)
    email = normalise_email(data["email"])
    if member_with_email(email) is not None:
        raise ValidationError({"email": [ALREADY_MEMBER]})
    secret = secrets.token_urlsafe(32)
    invitation = db.session.execute(
        db.select(Invitation).where(Invitation.email == email)
    ).scalar_one_or_none() or Invitation(email=email)
    invitation.name = data["name"].strip()
    invitation.roles = sorted(set(data["roles"]))
    invitation.token_hash = hash_token(secret)
    invitation.invited_by_id = getattr(invited_by, "id", None)
    invitation.created_at = utcnow()
    invitation.expires_at = utcnow() + timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
    invitation.accepted_at = None
    db.session.add(invitation)
    db.session.flush()
    link = url_for("invitations.accept", token=secret, _external=True)
    notify("member_invited", {"link": Sealed(link)}, email=email)  # the invitation's token
    record("members.invited", "invitation", invitation.id, {"roles": invitation.roles})
    return invitation


def pending_invitations() -> list[Invitation]:
    return list(
        db.session.execute(
            db.select(Invitation).where(Invitation.accepted_at.is_(None)).order_by(Invitation.email)
        ).scalars()
    )


def revoke_invitation(invitation: Invitation) -> None:
    record("members.invitation_revoked", "invitation", invitation.id)
    db.session.delete(invitation)
    db.session.flush()


def find_invitation(secret: str) -> Invitation | None:
    """The current tenant's pending, unexpired invitation for this link's token."""
    invitation = db.session.execute(
        db.select(Invitation).where(Invitation.token_hash == hash_token(secret or ""))
    ).scalar_one_or_none()
    if invitation is None or invitation.status != "pending":
        return None
    return invitation


def accept(invitation: Invitation, user: User) -> Membership:
    """``user`` joins with the invited roles (added to any they already hold here)."""
    if normalise_email(user.email) != invitation.email:
        raise Conflict(_l("This invitation was sent to another e-mail address."))
    current = member_with_email(user.email)
    roles = sorted({*invitation.roles, *(current.roles if current else [])})
    membership = set_roles(require_tenant(), user, roles)
    invitation.accepted_at = utcnow()
    db.session.flush()
    record("members.joined", "membership", membership.id, {"roles": roles})
    return membership


def accept_with_new_account(invitation: Invitation, name: str, password: str) -> tuple[User, Membership]:
    """The invited address has no account yet: create it (the address is the invitation's)."""
    user = create_user({"email": invitation.email, "name": name, "password": password})
    return user, accept(invitation, user)


def _admins_left(excluding: Membership) -> int:
    rows = db.session.execute(
        db.select(Membership.id, Membership.roles)
        .join(User)
        .where(Membership.id != excluding.id, User.is_active.is_(True))
        .with_for_update(of=Membership)
    ).all()
    return sum(1 for _id, roles in rows if ADMIN_ROLE in (roles or []))


def _keeps_an_admin(membership: Membership, new_roles: list[str] | None) -> None:
    losing = ADMIN_ROLE in (membership.roles or []) and ADMIN_ROLE not in (new_roles or [])
    if losing and _admins_left(membership) == 0:
        raise Conflict(LAST_ADMIN, {"roles": [LAST_ADMIN]})


def change_roles(membership: Membership, roles: list[str]) -> Membership:
    """Give a member exactly ``roles``; the last admin keeps the admin role (409)."""
    roles = RolesSchema().load({"roles": roles})["roles"]
    _keeps_an_admin(membership, roles)
    membership = set_roles(require_tenant(), membership.user, roles)
    record("members.roles_changed", "membership", membership.id, {"roles": membership.roles})
    return membership


def remove(membership: Membership, by: User | None = None) -> None:
    """Take a member out of the tenant (the account stays); never the last admin (409), and
    never the member ``by`` who asks (422 on ``membership``: the pages' rule)."""
    _keeps_an_admin(membership, None)
    if by is not None and membership.user_id == by.id:
        raise ValidationError({"membership": [CANNOT_REMOVE_SELF]})
    record("members.removed", "membership", membership.id)
    db.session.delete(membership)
    db.session.flush()
    forget_roles_cache()

"""Platform API (tenants, plugins) and the tenant API for members and roles."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from ..api import ApiBlueprint
from ..auth.models import Invitation, Membership, User
from ..auth.services import RolesSchema
from ..calendar import HolidaySchema
from ..errors import NotFound
from ..extensions import db
from ..i18n import current_language
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..plugins import get_host, set_plugin_state
from ..schema_fields import Timestamp
from ..tenancy import Tenant, unscoped
from ..tenancy.services import (
    TenantSchema,
    all_tenants,
    create_tenant,
    get_tenant,
    tenant_plugin_states,
    update_tenant,
)
from . import calendar, members
from .members import InviteSchema

platform_api = ApiBlueprint(
    "platform_api", __name__, url_prefix="/api/v1", description="Platform administration"
)
members_api = ApiBlueprint("members_api", __name__, description="Users and roles of one association")
calendar_api = ApiBlueprint(
    "calendar_api", __name__, description="The association's holidays (working-day deadlines)"
)


class TenantUpdateSchema(TenantSchema):
    """Any subset of a tenant's fields; the slug cannot change."""

    class Meta(TenantSchema.Meta):
        exclude = ("slug",)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    is_platform_admin = fields.Boolean()
    locale = fields.String(allow_none=True)


class MeSchema(UserSchema):
    memberships = fields.List(fields.Dict())


class PluginSchema(Schema):
    id = fields.String()
    name = fields.String()
    name_ar = fields.String()
    name_en = fields.String()
    version = fields.String()
    description = fields.String()
    core_compat = fields.String()
    source = fields.String()
    settings_fields = fields.List(fields.String())
    default_settings = fields.Dict()


class TenantPluginSchema(Schema):
    plugin_id = fields.String()
    enabled = fields.Boolean()
    settings = fields.Dict()


class TenantPluginUpdateSchema(Schema):
    enabled = fields.Boolean(required=True)
    settings = fields.Dict(keys=fields.String(), load_default=None, allow_none=True)


def _plugin_dict(plugin) -> dict:
    meta = plugin.meta
    schema = plugin.settings_schema()
    return {
        "id": meta.id,
        "name": meta.name(current_language()),
        "name_ar": meta.name_ar,
        "name_en": meta.name_en,
        "version": meta.version,
        "description": meta.description(current_language()),
        "core_compat": meta.core_compat,
        "source": plugin.source,
        "settings_fields": list(schema.fields) if schema else [],
        "default_settings": schema.dump(plugin.default_settings()) if schema else {},
    }


def _tenant_or_404(slug: str) -> Tenant:
    tenant = get_tenant(slug, include_inactive=True)
    if tenant is None:
        raise NotFound(_l("Not found."))
    return tenant


@platform_api.route("/me")
@platform_api.response(200, MeSchema)
@platform_api.login_required
def me():
    """The logged-in user and the associations they belong to."""
    with unscoped("the user's own memberships, across associations (GET /api/v1/me)"):
        rows = db.session.execute(
            db.select(Membership, Tenant).join(Tenant).where(Membership.user_id == current_user.id)
        ).all()
    return {
        **UserSchema().dump(current_user),
        "memberships": [{"tenant": t.slug, "roles": m.roles} for m, t in rows],
    }


@platform_api.route("/tenants")
@platform_api.response(200, TenantSchema(many=True))
@platform_api.requires("platform.tenants.manage")
def list_tenants():
    """Every tenant on this instance (platform admins)."""
    return all_tenants()


@platform_api.route("/tenants", methods=["POST"])
@platform_api.arguments(TenantSchema)
@platform_api.response(201, TenantSchema)
@platform_api.requires("platform.tenants.manage")
def post_tenant(data):
    """Create a tenant."""
    tenant = create_tenant(data)
    db.session.commit()
    return tenant


@platform_api.route("/tenants/<slug>")
@platform_api.response(200, TenantSchema)
@platform_api.requires("platform.tenants.manage")
def get_tenant_view(slug):
    return _tenant_or_404(slug)


@platform_api.route("/tenants/<slug>", methods=["PATCH"])
@platform_api.arguments(TenantUpdateSchema(partial=True))
@platform_api.response(200, TenantSchema)
@platform_api.requires("platform.tenants.manage")
def patch_tenant(data, slug):
    """Edit a tenant (any subset of its fields; the slug stays)."""
    tenant = _tenant_or_404(slug)
    update_tenant(tenant, data)
    db.session.commit()
    return tenant


@platform_api.route("/plugins")
@platform_api.response(200, PluginSchema(many=True))
@platform_api.requires("platform.plugins.manage")
def list_plugins():
    """Installed plugins with their metadata."""
    return [_plugin_dict(p) for _, p in sorted(get_host().plugins.items())]


@platform_api.route("/tenants/<slug>/plugins")
@platform_api.response(200, TenantPluginSchema(many=True))
@platform_api.requires("platform.plugins.manage")
def list_tenant_plugins(slug):
    """Every installed plugin with its state for one tenant."""
    tenant = _tenant_or_404(slug)
    host = get_host()
    states = tenant_plugin_states(tenant)
    out = []
    for plugin_id, plugin in sorted(host.plugins.items()):
        state = states.get(plugin_id)
        settings = plugin.default_settings()
        if state and state.settings:
            settings.update(state.settings)
        schema = plugin.settings_schema()
        out.append(
            {
                "plugin_id": plugin_id,
                "enabled": bool(state and state.enabled),
                "settings": schema.dump(settings) if schema else {},
            }
        )
    return out


@platform_api.route("/tenants/<slug>/plugins/<plugin_id>", methods=["PUT"])
@platform_api.arguments(TenantPluginUpdateSchema)
@platform_api.response(200, TenantPluginSchema)
@platform_api.requires("platform.plugins.manage")
def put_tenant_plugin(data, slug, plugin_id):
    """Enable or disable a plugin for one tenant, with validated settings. Effective on the next request."""
    tenant = _tenant_or_404(slug)
    if plugin_id not in get_host().plugins:
        raise NotFound(_l("Unknown plugin: %(id)s", id=plugin_id))
    row = set_plugin_state(tenant, plugin_id, data["enabled"], data["settings"])
    db.session.commit()
    return {"plugin_id": row.plugin_id, "enabled": row.enabled, "settings": row.settings}


# --------------------------------------------------------------------------- tenant members


class MemberUserSchema(Schema):
    """What a tenant admin sees of a member's account (nothing platform-wide)."""

    id = fields.Integer()
    email = fields.Email()
    name = fields.String()


class MemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    user = fields.Nested(MemberUserSchema, dump_only=True)
    roles = fields.List(fields.String())


class InvitationSchema(Schema):
    """An address invited to join; the same answer whether or not it has an account elsewhere."""

    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    roles = fields.List(fields.String())
    status = fields.String(metadata={"enum": ["pending", "accepted", "expired"]})
    created_at = Timestamp()
    expires_at = Timestamp()


@members_api.route("/")
@members_api.response(200, MemberSchema(many=True))
@members_api.requires("tenant.users.manage")
def list_members():
    """The association's users and their roles."""
    return db.session.execute(db.select(Membership).join(User).order_by(User.email)).scalars().all()


@members_api.route("/", methods=["POST"])
@members_api.arguments(InviteSchema)
@members_api.response(201, InvitationSchema)
@members_api.requires("tenant.users.manage")
def add_member(data):
    """Invite an e-mail address to join with roles: a link is sent there, and the person logs
    in (or creates their account) and accepts. The answer is the same whether or not the
    address has an account on the platform. An address that is already a member of this
    association is refused (422): change its roles with ``PATCH /<id>``."""
    invitation = members.invite(data, current_user)
    db.session.commit()
    return invitation


@members_api.route("/invitations")
@members_api.response(200, InvitationSchema(many=True))
@members_api.requires("tenant.users.manage")
def list_invitations():
    """Invitations not accepted yet (pending or expired)."""
    return members.pending_invitations()


@members_api.route("/invitations/<int:invitation_id>", methods=["DELETE"])
@members_api.response(204)
@members_api.requires("tenant.users.manage")
def delete_invitation(invitation_id):
    """Withdraw an invitation (its link stops working)."""
    invitation = get_or_404(Invitation, invitation_id, accepted_at=None)
    members.revoke_invitation(invitation)
    db.session.commit()


@members_api.route("/<int:membership_id>", methods=["PATCH", "PUT"])
@members_api.arguments(RolesSchema)
@members_api.response(200, MemberSchema)
@members_api.requires("tenant.users.manage")
def patch_member(data, membership_id):
    """Replace a member's roles. The last admin cannot lose the admin role (409)."""
    membership = members.change_roles(get_or_404(Membership, membership_id), data["roles"])
    db.session.commit()
    return membership


@members_api.route("/<int:membership_id>", methods=["DELETE"])
@members_api.response(204)
@members_api.requires("tenant.users.manage")
def delete_member(membership_id):
    """Remove a user from this association (the user account stays). Never the last admin (409),
    never the caller's own membership (422: another admin removes it, as on the page)."""
    members.remove(get_or_404(Membership, membership_id), by=current_user)
    db.session.commit()


# --------------------------------------------------------------------------- holidays


class HolidayOutSchema(HolidaySchema):
    index = fields.Integer(dump_only=True, metadata={"description": "Its place in date order (0 first)."})


def _listed() -> list[dict]:
    return [{**h, "index": i} for i, h in enumerate(calendar.holidays())]


@calendar_api.route("/holidays")
@calendar_api.response(200, HolidayOutSchema(many=True))
@calendar_api.requires("tenant.settings.manage")
def list_holidays():
    """The association's holidays in date order (an empty ``end``: a one-day holiday)."""
    return _listed()


@calendar_api.route("/holidays", methods=["POST"])
@calendar_api.arguments(HolidaySchema)
@calendar_api.response(201, HolidayOutSchema(many=True))
@calendar_api.requires("tenant.settings.manage")
def add_holiday(data):
    """Add a holiday; every open working-day due date is recomputed (audited). Answers the list."""
    calendar.add_holiday(HolidaySchema().dump(data), current_user)
    db.session.commit()
    return _listed()


@calendar_api.route("/holidays/<int:index>", methods=["PUT"])
@calendar_api.arguments(HolidaySchema)
@calendar_api.response(200, HolidayOutSchema(many=True))
@calendar_api.requires("tenant.settings.manage")
def move_holiday(data, index):
    """Move (or rename) the ``index``-th holiday; due dates are recomputed. Answers the list."""
    calendar.move_holiday(index, HolidaySchema().dump(data), current_user)
    db.session.commit()
    return _listed()


@calendar_api.route("/holidays/<int:index>", methods=["DELETE"])
@calendar_api.response(204)
@calendar_api.requires("tenant.settings.manage")
def remove_holiday(index):
    """Remove the ``index``-th holiday; due dates are recomputed."""
    calendar.remove_holiday(index, current_user)
    db.session.commit()

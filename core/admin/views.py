"""Platform admin pages (``/admin/…``) and tenant admin pages (``/t/<tenant>/admin/…``)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_login import current_user
from marshmallow import ValidationError

from ..auth.models import TENANT_ROLES, Membership, User
from ..auth.permissions import require
from ..auth.services import create_user, find_user, normalise_email, set_roles
from ..auth.services import unlock_account as unlock_login
from ..auth.throttle import login_guard
from ..extensions import db
from ..i18n import gettext as _
from ..plugins import get_host, set_plugin_state
from ..tenancy import Tenant, current_tenant
from ..tenancy.services import all_tenants, create_tenant, get_tenant, tenant_plugin_states, update_tenant
from .forms import settings_fields, settings_form_data, tenant_form_data

platform = Blueprint("platform_admin", __name__, url_prefix="/admin")
tenant_admin = Blueprint("tenant_admin", __name__, url_prefix="/t/<tenant>/admin")


def _tenant_or_404(slug: str) -> Tenant:
    tenant = get_tenant(slug, include_inactive=True)
    if tenant is None:
        abort(404)
    return tenant


@platform.route("/")
@require("platform.tenants.manage")
def tenants():
    return render_template("admin/tenants.html", tenants=all_tenants(), host=get_host())


@platform.route("/tenants/new", methods=["GET", "POST"])
@require("platform.tenants.manage")
def new_tenant():
    errors: dict = {}
    values: dict = {"default_locale": "ar", "calendar_display": "both", "currency": "SAR", "is_active": True}
    if request.method == "POST":
        values = tenant_form_data(request.form, creating=True)
        try:
            tenant = create_tenant(values)
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.messages
        else:
            db.session.commit()
            flash(_("The association was created."), "success")
            return redirect(url_for("platform_admin.edit_tenant", slug=tenant.slug))
    return render_template("admin/tenant_form.html", values=values, errors=errors, creating=True), (
        422 if errors else 200
    )


@platform.route("/tenants/<slug>", methods=["GET", "POST"])
@require("platform.tenants.manage")
def edit_tenant(slug: str):
    tenant = _tenant_or_404(slug)
    errors: dict = {}
    values = _tenant_values(tenant)
    if request.method == "POST":
        posted = tenant_form_data(request.form, creating=False)
        try:
            update_tenant(tenant, posted)
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.messages
            values.update(posted)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("platform_admin.edit_tenant", slug=tenant.slug))
    return render_template(
        "admin/tenant_form.html", tenant=tenant, values=values, errors=errors, creating=False
    ), (422 if errors else 200)


def _tenant_values(tenant: Tenant) -> dict:
    from ..tenancy.services import TenantSchema

    return TenantSchema().dump(tenant)


@platform.route("/tenants/<slug>/plugins", methods=["GET"])
@require("platform.plugins.manage")
def tenant_plugins(slug: str):
    tenant = _tenant_or_404(slug)
    return _render_tenant_plugins(tenant, {}, None)


def _render_tenant_plugins(
    tenant: Tenant, errors: dict, failed_plugin: str | None, posted: dict | None = None
):
    host = get_host()
    states = tenant_plugin_states(tenant)
    rows = []
    for plugin_id, plugin in sorted(host.plugins.items()):
        state = states.get(plugin_id)
        current = plugin.default_settings()
        if state and state.settings:
            current.update(state.settings)
        if failed_plugin == plugin_id and posted is not None:
            current.update(posted)
        schema = plugin.settings_schema()
        rows.append(
            {
                "plugin": plugin,
                "enabled": bool(state and state.enabled),
                "fields": settings_fields(schema, schema.dump(current) if schema else {}),
                "errors": errors if failed_plugin == plugin_id else {},
            }
        )
    return render_template("admin/tenant_plugins.html", tenant=tenant, rows=rows), (422 if errors else 200)


@platform.route("/tenants/<slug>/plugins/<plugin_id>", methods=["POST"])
@require("platform.plugins.manage")
def set_tenant_plugin(slug: str, plugin_id: str):
    tenant = _tenant_or_404(slug)
    host = get_host()
    plugin = host.plugins.get(plugin_id)
    if plugin is None:
        abort(404)
    action = request.form.get("action", "save")
    schema = plugin.settings_schema()
    settings, errors = settings_form_data(schema, request.form)
    if errors:
        return _render_tenant_plugins(tenant, errors, plugin_id, settings)
    current = tenant_plugin_states(tenant).get(plugin_id)
    enabled = {"enable": True, "disable": False}.get(action, bool(current and current.enabled))
    new_settings = None if action == "disable" else settings
    try:
        set_plugin_state(tenant, plugin_id, enabled, new_settings)
    except ValidationError as exc:
        db.session.rollback()
        return _render_tenant_plugins(tenant, exc.messages, plugin_id, settings)
    db.session.commit()
    message = {
        "enable": _("The plugin is enabled for this association."),
        "disable": _("The plugin is disabled for this association. Its data is kept."),
    }.get(action, _("Saved."))
    flash(message, "success")
    return redirect(url_for("platform_admin.tenant_plugins", slug=tenant.slug))


@platform.route("/lockouts")
@require("platform.users.unlock")
def lockouts():
    return _render_lockouts({}, {})


def _render_lockouts(errors: dict, values: dict):
    locked = [
        (email, format_datetime(datetime.fromtimestamp(until, UTC), "short"))
        for email, until in login_guard().locked_accounts()
    ]
    return render_template("admin/lockouts.html", locked=locked, errors=errors, values=values), (
        422 if errors else 200
    )


@platform.route("/lockouts/unlock", methods=["POST"])
@require("platform.users.unlock")
def unlock_account():
    email = normalise_email(request.form.get("email", ""))
    if not email:
        return _render_lockouts({"email": [_("Enter the e-mail of the account.")]}, {})
    if unlock_login(email):
        flash(_("The account %(email)s is unlocked.", email=email), "success")
    else:
        flash(_("The account %(email)s was not locked.", email=email), "info")
    return redirect(url_for("platform_admin.lockouts"))


@platform.route("/plugins")
@require("platform.plugins.manage")
def plugins():
    return render_template(
        "admin/plugins.html", plugins=sorted(get_host().plugins.values(), key=lambda p: p.id)
    )


# --------------------------------------------------------------------------- tenant admin


@tenant_admin.route("/users", methods=["GET", "POST"])
@require("tenant.users.manage")
def users():
    tenant = current_tenant()
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        values = {
            "email": request.form.get("email", "").strip(),
            "name": request.form.get("name", "").strip(),
            "password": request.form.get("password", ""),
            "roles": request.form.getlist("roles"),
        }
        try:
            user = find_user(values["email"]) if values["email"] else None
            if user is None:
                user = create_user(
                    {"email": values["email"], "name": values["name"], "password": values["password"]}
                )
            set_roles(tenant, user, values["roles"])
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.messages
        else:
            db.session.commit()
            flash(_("The user's roles were saved."), "success")
            return redirect(url_for("tenant_admin.users"))
    return _render_users(errors, values)


def _render_users(errors: dict, values: dict, failed_membership: int | None = None):
    memberships = db.session.execute(db.select(Membership).join(User).order_by(User.email)).scalars().all()
    return render_template(
        "admin/users.html",
        memberships=memberships,
        roles=TENANT_ROLES,
        errors=errors,
        values=values,
        failed_membership=failed_membership,
    ), (422 if errors else 200)


@tenant_admin.route("/users/<int:membership_id>", methods=["POST"])
@require("tenant.users.manage")
def update_user(membership_id: int):
    tenant = current_tenant()
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    if request.form.get("action") == "remove":
        if membership.user_id == current_user.id:
            return _render_users({"membership": [_("You cannot remove yourself.")]}, {}, membership.id)
        db.session.delete(membership)
        db.session.commit()
        flash(_("The user was removed from this association."), "success")
        return redirect(url_for("tenant_admin.users"))
    try:
        set_roles(tenant, membership.user, request.form.getlist("roles"))
    except ValidationError as exc:
        db.session.rollback()
        return _render_users(exc.messages, {}, membership.id)
    db.session.commit()
    flash(_("The user's roles were saved."), "success")
    return redirect(url_for("tenant_admin.users"))

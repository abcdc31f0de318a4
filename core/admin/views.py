"""Platform admin pages (``/admin/…``) and tenant admin pages (``/t/<tenant>/admin/…``)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from marshmallow import ValidationError

from ..auth.models import TENANT_ROLES, Invitation, Membership, User
from ..auth.permissions import require
from ..auth.services import find_user, normalise_email
from ..auth.services import unlock_account as unlock_login
from ..auth.throttle import login_guard
from ..extensions import db
from ..forms import FormOutcome, ask_confirmation, confirmed, form_transaction
from ..i18n import current_language, localized
from ..i18n import gettext as _
from ..lookup import get_or_404
from ..plugins import get_host, set_plugin_state
from ..tenancy import Tenant, current_tenant
from ..tenancy.services import (
    TenantSchema,
    all_tenants,
    create_tenant,
    get_tenant,
    tenant_plugin_states,
    update_tenant,
)
from . import calendar, members
from .forms import tenant_form_data
from .settings_form import flatten_errors, settings_from_form, settings_widgets

platform = Blueprint("platform_admin", __name__, url_prefix="/admin")
tenant_admin = Blueprint("tenant_admin", __name__, url_prefix="/t/<tenant>/admin")
invitations = Blueprint("invitations", __name__, url_prefix="/t/<tenant>/join")


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
    outcome = FormOutcome()
    values: dict = {"default_locale": "ar", "calendar_display": "both", "currency": "SAR", "is_active": True}
    if request.method == "POST":
        values = tenant_form_data(request.form, creating=True)
        with form_transaction() as outcome:
            tenant = create_tenant(values)
        if outcome.ok:
            flash(_("The association was created."), "success")
            return redirect(url_for("platform_admin.edit_tenant", slug=tenant.slug))
    return render_template(
        "admin/tenant_form.html", values=values, errors=outcome.errors, creating=True
    ), outcome.status


@platform.route("/tenants/<slug>", methods=["GET", "POST"])
@require("platform.tenants.manage")
def edit_tenant(slug: str):
    tenant = _tenant_or_404(slug)
    outcome = FormOutcome()
    values = _tenant_values(tenant)
    if request.method == "POST":
        posted = tenant_form_data(request.form, creating=False)
        with form_transaction() as outcome:
            update_tenant(tenant, posted)
        if outcome.ok:
            flash(
                _("The association's details were saved: %(name)s.", name=localized(tenant, "name")),
                "success",
            )
            return redirect(url_for("platform_admin.edit_tenant", slug=tenant.slug))
        values.update(posted)
    return render_template(
        "admin/tenant_form.html", tenant=tenant, values=values, errors=outcome.errors, creating=False
    ), outcome.status


def _tenant_values(tenant: Tenant) -> dict:
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
                "fields": settings_widgets(schema, schema.dump(current) if schema else {}),
                "errors": flatten_errors(errors) if failed_plugin == plugin_id else {},
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
    plugin_name = plugin.meta.name(current_language())
    association = localized(tenant, "name")
    if action == "disable" and not confirmed(request.form):
        return ask_confirmation(
            title=_("Disable %(plugin)s for %(association)s?", plugin=plugin_name, association=association),
            affects=[
                _("Its pages, menu entries and rules stop for this association at once."),
                _("Its data is kept; enabling it again brings everything back."),
            ],
            action_url=url_for("platform_admin.set_tenant_plugin", slug=tenant.slug, plugin_id=plugin_id),
            fields=[("action", "disable")],
            button=_("Yes, disable %(plugin)s", plugin=plugin_name),
            cancel_url=url_for("platform_admin.tenant_plugins", slug=tenant.slug),
        )
    schema = plugin.settings_schema()
    settings, errors = settings_from_form(schema, request.form) if action != "disable" else ({}, {})
    if errors:
        return _render_tenant_plugins(tenant, errors, plugin_id, settings)
    current = tenant_plugin_states(tenant).get(plugin_id)
    enabled = {"enable": True, "disable": False}.get(action, bool(current and current.enabled))
    new_settings = None if action == "disable" else settings
    with form_transaction() as outcome:
        set_plugin_state(tenant, plugin_id, enabled, new_settings)
    if not outcome.ok:
        return _render_tenant_plugins(tenant, outcome.errors, plugin_id, settings)
    names = {"plugin": plugin_name, "association": association}
    message = {
        "enable": _("%(plugin)s is enabled for %(association)s.", **names),
        "disable": _("%(plugin)s is disabled for %(association)s. Its data is kept.", **names),
    }.get(action) or _("Settings saved: %(plugin)s for %(association)s.", **names)
    flash(message, "success")
    return redirect(url_for("platform_admin.tenant_plugins", slug=tenant.slug))


@platform.route("/lockouts")
@require("platform.users.unlock")
def lockouts():
    return _render_lockouts({}, {})


def _render_lockouts(errors: dict, values: dict):
    locked = [(email, datetime.fromtimestamp(until, UTC)) for email, until in login_guard().locked_accounts()]
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
    """Members and their roles; the form at the bottom invites an e-mail address."""
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        values = {
            "email": request.form.get("email", "").strip(),
            "name": request.form.get("name", "").strip(),
            "roles": request.form.getlist("roles"),
        }
        with form_transaction() as outcome:
            members.invite(values, current_user)
        if outcome.ok:
            flash(_("The invitation was sent. The person joins once they accept it."), "success")
            return redirect(url_for("tenant_admin.users"))
        errors = outcome.errors
    return _render_users(errors, values)


def _render_users(errors: dict, values: dict, failed_membership: int | None = None):
    memberships = db.session.execute(db.select(Membership).join(User).order_by(User.email)).scalars().all()
    return render_template(
        "admin/users.html",
        memberships=memberships,
        invitations=members.pending_invitations(),
        roles=TENANT_ROLES,
        errors=errors,
        values=values,
        failed_membership=failed_membership,
    ), (422 if errors else 200)


def _member_errors(outcome: FormOutcome) -> dict:
    """A refused change of a member, shown by its row: field errors, or the refusal by the roles."""
    if outcome.message is None:
        return outcome.errors
    return {k: v for k, v in outcome.errors.items() if k != "_schema"} or {"roles": [outcome.message]}


@tenant_admin.route("/users/<int:membership_id>", methods=["POST"])
@require("tenant.users.manage")
def update_user(membership_id: int):
    membership = get_or_404(Membership, membership_id)
    removing = request.form.get("action") == "remove"
    with form_transaction() as outcome:
        if removing:
            members.remove(membership, by=current_user)
        else:
            members.change_roles(membership, request.form.getlist("roles"))
    if not outcome.ok:
        return _render_users(_member_errors(outcome), {}, membership_id)
    if removing:
        flash(_("The user was removed from this association."), "success")
    else:
        flash(_("The user's roles were saved."), "success")
    return redirect(url_for("tenant_admin.users"))


@tenant_admin.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@require("tenant.users.manage")
def revoke_invitation(invitation_id: int):
    invitation = get_or_404(Invitation, invitation_id, accepted_at=None)
    members.revoke_invitation(invitation)
    db.session.commit()
    flash(_("The invitation was withdrawn."), "success")
    return redirect(url_for("tenant_admin.users"))


# --------------------------------------------------------------------------- holidays

HOLIDAY_FIELDS = ("start", "end", "name")


def _holiday_form() -> dict:
    """The posted holiday; empty fields left out (an empty end: a one-day holiday)."""
    return {k: request.form.get(k, "").strip() for k in HOLIDAY_FIELDS if request.form.get(k, "").strip()}


@tenant_admin.route("/calendar", methods=["GET", "POST"])
@require("tenant.settings.manage")
def holidays():
    """The association's holidays; adding one here (or moving one below) recomputes the
    working-day due dates that counted without it."""
    outcome, values = FormOutcome(), {}
    if request.method == "POST":
        values = _holiday_form()
        with form_transaction() as outcome:
            holiday = calendar.add_holiday(values, current_user)
        if outcome.ok:
            flash(
                _("The holiday %(name)s was added.", name=holiday["name"] or _("without a name")), "success"
            )
            return redirect(url_for("tenant_admin.holidays"))
    return _render_holidays(outcome, values)


@tenant_admin.route("/calendar/<int:index>", methods=["POST"])
@require("tenant.settings.manage")
def change_holiday(index: int):
    removing = request.form.get("action") == "remove"
    values = _holiday_form()
    with form_transaction() as outcome:
        if removing:
            holiday = calendar.remove_holiday(index, current_user)
        else:
            holiday = calendar.move_holiday(index, values, current_user)
    if not outcome.ok:
        return _render_holidays(outcome, values, index)
    name = holiday["name"] or _("without a name")
    if removing:
        flash(_("The holiday %(name)s was removed; due dates were recomputed.", name=name), "success")
    else:
        flash(_("The holiday %(name)s was saved; due dates were recomputed.", name=name), "success")
    return redirect(url_for("tenant_admin.holidays"))


def _render_holidays(outcome: FormOutcome, values: dict, failed: int | None = None):
    return render_template(
        "admin/holidays.html",
        holidays=calendar.holidays(),
        errors=outcome.errors,
        values=values,
        failed=failed,
    ), outcome.status


# --------------------------------------------------------------------------- accepting an invitation


@invitations.route("/<token>", methods=["GET", "POST"])
def accept(token: str):
    """The link sent to an invited address. Logged in with that address: accept. No account
    with that address yet: create it here. Otherwise: log in first (or out, if another account)."""
    invitation = members.find_invitation(token)
    if invitation is None:
        return render_template("admin/invitation.html", invitation=None), 404
    tenant = current_tenant()
    errors: dict = {}
    if current_user.is_authenticated:
        if normalise_email(current_user.email) != invitation.email:
            return render_template("admin/invitation.html", invitation=invitation, mode="other_account"), 409
        if request.method == "POST":
            members.accept(invitation, current_user)
            db.session.commit()
            flash(_("Welcome: you joined %(tenant)s.", tenant=tenant.name(current_language())), "success")
            return redirect(url_for("home.tenant_home"))
        return render_template("admin/invitation.html", invitation=invitation, mode="accept")
    if find_user(invitation.email) is not None:
        return render_template("admin/invitation.html", invitation=invitation, mode="log_in")
    values = {"name": invitation.name}
    if request.method == "POST":
        values = {"name": request.form.get("name", "").strip()}
        with form_transaction() as outcome:
            if request.form.get("password", "") != request.form.get("password2", ""):
                raise ValidationError({"password2": [_("The passwords do not match.")]})
            user, _membership = members.accept_with_new_account(
                invitation, values["name"], request.form.get("password", "")
            )
        errors = outcome.errors
        if outcome.ok:
            login_user(user)
            flash(_("Welcome: you joined %(tenant)s.", tenant=tenant.name(current_language())), "success")
            return redirect(url_for("home.tenant_home"))
    return render_template(
        "admin/invitation.html", invitation=invitation, mode="new_account", values=values, errors=errors
    ), (422 if errors else 200)

"""The tenant admin's page and API for the permissions of the association's roles
(``/t/<tenant>/admin/roles``, ``/t/<tenant>/api/v1/admin/role-permissions``): see
:mod:`core.admin.roles`. Both need ``tenant.users.manage`` ("Manage users and roles"), an action
whose holders are fixed, so no change made here can take this page away from the admins."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ..api import ApiBlueprint
from ..auth.grants import DELEGABLE_ROLES
from ..auth.models import TENANT_ROLES
from ..auth.permissions import require
from ..extensions import db
from ..forms import ask_confirmation, confirmed, form_transaction
from ..i18n import current_language
from ..i18n import gettext as _
from ..labels import label
from . import roles

MANAGE = "tenant.users.manage"

roles_page = Blueprint("tenant_roles", __name__, url_prefix="/t/<tenant>/admin/roles")
roles_api = ApiBlueprint(
    "roles_api", __name__, description="Which roles of one association hold which permissions"
)


# --------------------------------------------------------------------------- page


def _anchor(action: str) -> str:
    return "perm-" + action.replace(".", "-")


def _words(codes) -> str:
    """Roles in words, joined with the language's comma."""
    return ("، " if current_language() == "ar" else ", ").join(label(code, "role") for code in codes)


@roles_page.route("/", methods=["GET", "POST"])
@require(MANAGE)
def page():
    """The matrix by feature and plugin; each action's form changes its holders, asked first."""
    if request.method == "GET":
        return _render({}, None)
    action = request.form.get("permission", "")
    row = roles.row_of(action)
    if request.form.get("reset") and row is not None:
        wanted = sorted(row.default)
    else:
        chosen = request.form.getlist("roles")
        kept = [r for r in (row.holders if row else ()) if r not in DELEGABLE_ROLES]  # the applicant's
        wanted = sorted({*chosen, *kept})
    with form_transaction() as outcome:
        before = roles.check({action: wanted})[action]
    if outcome.ok and frozenset(wanted) == before.holders:
        flash(_("Nothing changed: these roles already hold this permission."), "info")
        return redirect(url_for(".page", _anchor=_anchor(action)))
    if outcome.ok and not confirmed(request.form):
        return ask_confirmation(
            title=_("Change who may: %(permission)s", permission=before.label),
            affects=[
                _("Held until now by: %(roles)s", roles=_words(_ordered(before.holders)) or _("no role")),
                _("Held after the change by: %(roles)s", roles=_words(_ordered(wanted)) or _("no role")),
            ],
            action_url=url_for(".page"),
            fields=request.form,
            button=_("Save the change"),
            cancel_url=url_for(".page", _anchor=_anchor(action)),
            danger=False,
        )
    if outcome.ok:
        with form_transaction() as outcome:
            roles.set_holders({action: wanted}, current_user)
        if outcome.ok:
            flash(_("Saved: %(permission)s.", permission=before.label), "success")
            return redirect(url_for(".page", _anchor=_anchor(action)))
    errors = outcome.errors.get("holders") or outcome.errors
    return _render(errors, action if row else None, outcome.status, wanted)


def _ordered(codes) -> list[str]:
    held = set(codes)
    return [role for role in TENANT_ROLES if role in held]


def _render(errors, failed: str | None, status: int = 200, posted: list[str] | None = None):
    """The page; a refused change (``failed``) shown on its permission with the roles as posted."""
    if not isinstance(errors, dict):  # the whole change refused
        errors = {failed or "": errors}
    return render_template(
        "admin/role_permissions.html",
        groups=roles.groups(),
        roles=DELEGABLE_ROLES,
        errors=errors,
        failed=failed,
        posted=posted or [],
        anchor=_anchor,
    ), status


# --------------------------------------------------------------------------- API


class RoleSchema(Schema):
    code = fields.String()
    label = fields.String()


class ActionSchema(Schema):
    action = fields.String(metadata={"description": "The permission's code."})
    label = fields.String(metadata={"description": "The permission in words (the request's language)."})
    group = fields.String(metadata={"description": "The core feature or the plugin naming it."})
    group_label = fields.String()
    default_roles = fields.List(fields.String(), metadata={"description": "The roles declared to hold it."})
    roles = fields.List(
        fields.String(), metadata={"description": "The roles holding it in this association."}
    )
    granted = fields.List(fields.String(), metadata={"description": "Given here beyond the defaults."})
    withdrawn = fields.List(fields.String(), metadata={"description": "Default holders it was taken from."})
    fixed = fields.Boolean(metadata={"description": "Its holders are fixed by the platform."})


class RolePermissionsSchema(Schema):
    roles = fields.List(fields.Nested(RoleSchema), metadata={"description": "The roles, in words."})
    actions = fields.List(fields.Nested(ActionSchema))


class RolePermissionsUpdateSchema(Schema):
    class Meta:
        unknown = "raise"

    holders = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=200)),
        values=fields.List(fields.String(validate=validate.Length(max=64))),
        required=True,
        metadata={
            "description": "Permission code → every role that is to hold it (the applicant included "
            "where it holds it by default). Permissions left out keep their holders; giving the "
            "default holders returns a permission to its default."
        },
    )


def _document() -> dict:
    return {
        "roles": [{"code": role, "label": label(role, "role")} for role in TENANT_ROLES],
        "actions": [
            {
                "action": row.action,
                "label": row.label,
                "group": row.group,
                "group_label": group_label,
                "default_roles": _ordered(row.default),
                "roles": _ordered(row.holders),
                "granted": row.granted,
                "withdrawn": row.withdrawn,
                "fixed": row.fixed,
            }
            for _group, group_label, listed in roles.groups()
            for row in listed
        ],
    }


@roles_api.route("/role-permissions")
@roles_api.response(200, RolePermissionsSchema)
@roles_api.requires(MANAGE)
def get_role_permissions():
    """Every permission of the association (core's and its enabled plugins'), with its default
    holders, its holders here and whether they are fixed."""
    return _document()


@roles_api.route("/role-permissions", methods=["PUT"])
@roles_api.arguments(RolePermissionsUpdateSchema)
@roles_api.response(200, RolePermissionsSchema)
@roles_api.requires(MANAGE)
def put_role_permissions(data):
    """Set the holders of some permissions. Refused (422, by permission under ``holders``, and
    nothing written): an unknown permission (or a disabled plugin's), a platform permission, one
    whose holders are fixed, an unknown role, giving to or taking from the applicant, or leaving a
    permission with no role. Each change is audited with the old and new holders."""
    roles.set_holders(data["holders"], current_user)
    db.session.commit()
    return _document()

"""A dummy plugin: proves dispatch, settings validation and URL gating in core's tests."""

from __future__ import annotations

from flask import Blueprint, render_template
from marshmallow import Schema, fields, validate

from core.toolkit import ApiBlueprint, NavItem, Permission, PluginMeta, hookimpl, plugin_settings, require


class DummySettings(Schema):
    greeting = fields.String(load_default="marhaba", validate=validate.Length(min=1, max=40))
    ceiling = fields.Integer(load_default=100, validate=validate.Range(min=0, max=1000))


PLUGIN = PluginMeta(
    id="dummy",
    name_ar="إضافة تجريبية",
    name_en="Dummy plugin",
    version="1.0.0",
    description_ar="للاختبارات فقط",
    description_en="For tests only",
    settings_schema=DummySettings,
)

bp = Blueprint("dummy", __name__, template_folder="templates")
api = ApiBlueprint("dummy_api", __name__, description="Dummy plugin API")
calls: list[tuple[str, str]] = []


@bp.route("/")
@require("dummy.view")
def index():
    return render_template("dummy/index.html", settings=plugin_settings("dummy"))


@api.route("/ping")
@api.response(200)
def ping():
    return {"pong": plugin_settings("dummy")["greeting"]}


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_api_blueprints():
    return [api]


@hookimpl
def register_permissions():
    return [Permission("dummy.view", "Dummy page", ("tenant_admin", "researcher"))]


@hookimpl
def register_nav_items(tenant, user):
    calls.append(("register_nav_items", tenant.slug))
    return [NavItem("Dummy page", "dummy.index", "dummy.view")]

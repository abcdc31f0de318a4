"""A dummy plugin: proves dispatch, settings validation and URL gating in core's tests."""

from __future__ import annotations

import click
from flask import Blueprint, render_template
from marshmallow import Schema, fields, validate

from core.toolkit import (
    ApiBlueprint,
    Ceiling,
    Check,
    DashboardCard,
    DashboardItem,
    NavItem,
    Permission,
    PluginMeta,
    RequestFields,
    Transition,
    can,
    hookimpl,
    plugin_settings,
    require,
)


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
# A policy tests switch on: the dummy allows one disbursement per request and refuses the others.
one_disbursement_only = False


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


@click.command("greet")
def greet_command() -> None:
    """Print the dummy's default greeting (a bare command: core files it under ``flask dummy``)."""
    click.echo(DummySettings().load({})["greeting"])


@hookimpl
def register_commands():
    return [greet_command]


@hookimpl
def register_permissions():
    return [Permission("dummy.view", "Dummy page", ("tenant_admin", "researcher"))]


@hookimpl
def register_nav_items(tenant, user):
    calls.append(("register_nav_items", tenant.slug))
    return [NavItem("Dummy page", "dummy.index", "dummy.view")]


# --------------------------------------------------------------------------- request hooks


class DummyRequestFields(Schema):
    """Extra request data under ``request.extra["dummy"]`` (shown on the request forms)."""

    reference = fields.String(
        load_default=None, validate=validate.Length(min=2, max=20), metadata={"label": "Dummy reference"}
    )
    household_size = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=30), metadata={"label": "Dummy household size"}
    )
    refuse_approval = fields.Boolean(load_default=False, metadata={"label": "Dummy: refuse approval"})


@hookimpl
def register_request_fields():
    calls.append(("register_request_fields", ""))
    return [RequestFields("dummy", DummyRequestFields, "Dummy data")]


@hookimpl
def assess_eligibility(request, file):
    calls.append(("assess_eligibility", str(request.id)))
    return [Check("dummy_check", "Dummy check", "needs_review", "Checked by the dummy plugin")]


@hookimpl
def propose_aid_ceiling(request, file, catalog_item):
    """The ``ceiling`` setting, in riyals."""
    calls.append(("propose_aid_ceiling", str(request.id)))
    return Ceiling(plugin_settings("dummy")["ceiling"] * 100, "Dummy ceiling")


# A step of the dummy's own (button + note on the request page, the generic step endpoint):
# a rejected request is archived with a required note, after an "are you sure?" page.
ARCHIVE = Transition(
    "dummy_archive",
    ("rejected",),
    "dummy_archived",
    "dummy.view",
    "Archive (dummy)",
    target_label="Archived (dummy)",
    note_label="Why it is archived",
    note_required=True,
    confirm=True,
)


@hookimpl
def register_request_transitions():
    return [ARCHIVE]


@hookimpl
def validate_request_transition(request, action, actor, data):
    calls.append(("validate_request_transition", action))
    if action == ARCHIVE.action and ((request.extra or {}).get("dummy") or {}).get("reference") == "keep":
        return ["The dummy plugin keeps this request."]
    if action == "approve" and ((request.extra or {}).get("dummy") or {}).get("refuse_approval"):
        return ["The dummy plugin refuses this approval."]
    if action == "approve" and ((request.extra or {}).get("dummy") or {}).get("reference") == "amount":
        # the step's input is wrong (422 on the field), not the request's state
        return [{"amount": ["The dummy plugin refuses this amount."]}]
    if action == "disburse" and request.state == "disbursed" and one_disbursement_only:
        return ["The dummy plugin allows one disbursement per request."]
    return []


@hookimpl
def request_transitioned(request, action, from_state, to_state, actor):
    calls.append(("request_transitioned", f"{action}:{from_state}->{to_state}"))


@hookimpl
def disbursement_recorded(disbursement, request):
    calls.append(("disbursement_recorded", str(disbursement.value_halalas)))


@hookimpl
def register_grievance_categories():
    return [{"code": "dummy_category", "label_ar": "فئة تجريبية", "label_en": "Dummy category", "kind": None}]


@hookimpl
def validate_grievance(grievance):
    calls.append(("validate_grievance", grievance.category))
    if "dummy-refuse" in (grievance.description or ""):
        return {"description": ["The dummy plugin refuses this grievance."]}
    return {}


@hookimpl
def grievance_filed(grievance):
    calls.append(("grievance_filed", grievance.number))


@hookimpl
def grievance_decided(grievance):
    calls.append(("grievance_decided", grievance.outcome))


@hookimpl
def dashboard_cards(user, tenant):
    """A card on the staff dashboard of the users who may see the dummy page."""
    if not can(user, "dummy.view"):
        return []
    item = DashboardItem(label="Dummy thing to do", url="/t/first/dummy/", number="D-7", days_waiting=3)
    return [DashboardCard("dummy", "Dummy things", 1, (item,), order=1)]

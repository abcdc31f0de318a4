"""Tenant API: every step of a request through one endpoint (on ``requests.api``'s blueprint).

``GET  /t/<tenant>/api/v1/requests/<id>/steps`` — the steps the current user may take now, in words,
with what each asks for (core's and the enabled plugins', ``register_request_transitions``).
``POST /t/<tenant>/api/v1/requests/<id>/steps/<action>`` — take one: the same handlers as the
request page's forms (``requests.generic_steps``), so the same checks, events, audit entries and
``validate_request_transition``. Unknown action 404; a role that does not own the step 403; a step
the state, a precondition or a plugin refuses 409 (translated); bad input 422 by field. Commits
only on success.
"""

from __future__ import annotations

from flask_login import current_user
from marshmallow import INCLUDE, Schema, fields
from werkzeug.datastructures import MultiDict

from ..errors import Invalid
from ..i18n import gettext as _
from ..lookup import get_or_404
from . import generic_steps
from .api import _step, bp
from .models import AidRequest
from .schemas import RequestDetailSchema
from .views import _page_extensions, state_label
from .workflow import available_actions


class StepInputSchema(Schema):
    """The step's input: ``note`` for a step of the table (required when the step says so);
    a core step with a form of its own takes that form's fields (``amount``, ``members_present``,
    ``reason`` …) under the same names."""

    class Meta:
        unknown = INCLUDE

    note = fields.String(
        load_default=None, allow_none=True, metadata={"description": "The step's note or outcome."}
    )


class StepOutSchema(Schema):
    action = fields.String()
    label = fields.String()
    target = fields.String()
    target_label = fields.String()
    note_label = fields.String(allow_none=True)
    note_required = fields.Boolean()
    confirm = fields.Boolean()
    own_form = fields.Boolean(metadata={"description": "Takes the fields of its own form, not a note."})


def _as_form(data: dict) -> MultiDict:
    """The JSON body as the page's posted form: a list gives several values, ``true`` a ticked
    box; a nested object is refused (422 on its field)."""
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, dict | list):
                raise Invalid({key: [_("Not a valid value.")]})
            if one is None or one is False:
                continue
            pairs.append((key, "on" if one is True else str(one)))
    return MultiDict(pairs)


@bp.route("/<int:request_id>/steps")
@bp.response(200, StepOutSchema(many=True))
@bp.requires("requests.view")
def list_steps(request_id):
    """The steps the current user may take on the request in its state (core's and the enabled
    plugins'), with their labels and what each asks for; steps taken from their own page (a
    permit's outcome, an upheld grievance) are left out."""
    request = get_or_404(AidRequest, request_id)
    return [
        {
            "action": step.action,
            "label": str(step.label or step.action),
            "target": step.target,
            "target_label": state_label(step.target),
            "note_label": str(step.note_label) if step.note_label else None,
            "note_required": step.note_required,
            "confirm": step.confirm,
            "own_form": step.action in generic_steps.OWN_FORMS,
        }
        for step in available_actions(request, current_user)
        if not step.elsewhere
    ]


@bp.route("/<int:request_id>/steps/<action>", methods=["POST"])
@bp.arguments(StepInputSchema)
@bp.response(200, RequestDetailSchema)
@bp.requires("requests.view")
def take_step(data, request_id, action):
    """Take the step ``action`` (any of ``GET …/steps``; core's own endpoints remain): 404 for an
    unknown step, 403 for a role that does not own it, 409 with the translated reason when the
    state, a precondition or a plugin refuses it, 422 with field errors for bad input — nothing
    written on any refusal. Answers the request with its timeline and next steps."""
    handler = generic_steps.handler_for(action, _page_extensions()["steps"])
    form = _as_form(data)

    def run(request):
        generic_steps.check_available(request, action, current_user)
        handler(request, form, MultiDict(), current_user)

    return _step(request_id, run)

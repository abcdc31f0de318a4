"""Aid requests: channels, the workflow, field visits, verifications, committee decisions.

Public surface: the models, :mod:`.workflow` (transition table and the one step function),
:mod:`.services` (one function per step), ``RequestFields``, ``Check``, ``Ceiling`` and
``Transition`` for plugins.
"""

from __future__ import annotations

from ..api import register_tenant_api
from . import api, api_steps, hooks, views  # noqa: F401 - api_steps adds its routes to api.bp
from .models import (
    CHANNELS,
    AidRequest,
    Decision,
    Escalation,
    FieldVisit,
    RequestCounter,
    RequestEvent,
    Verification,
)
from .services import Ceiling, Check, RequestFields
from .workflow import STATES, Transition

__all__ = [
    "CHANNELS",
    "STATES",
    "AidRequest",
    "Ceiling",
    "Check",
    "Decision",
    "Escalation",
    "FieldVisit",
    "RequestCounter",
    "RequestEvent",
    "RequestFields",
    "Transition",
    "Verification",
    "init_app",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    register_tenant_api(api.bp, "requests")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/requests")
    # Any template (core's or a plugin's) shows a request's state in words.
    app.jinja_env.globals["request_state_label"] = views.state_label

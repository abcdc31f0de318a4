"""Grievances (تظلم, against a decision) and complaints (شكوى, about service, staff conduct or a
contracted provider), seed 004 "التظلم وتقديم الشكوى".

Public surface: the models, :mod:`.services` (filing, handling, appeals, deadlines, queues,
KPIs), and for other features :func:`file_grievance` and :func:`grievance_form_prefill` (the
survey's complaint route from a low rating fills the portal form with the latter and files
with the former). Confidential: see :mod:`.services.access`.
"""

from __future__ import annotations

from ..api import register_tenant_api
from . import api, cli, hooks, jobs, views  # noqa: F401 - jobs registers the daily tick
from .models import (
    CHANNELS,
    KINDS,
    OUTCOMES,
    STATES,
    Grievance,
    GrievanceAppeal,
    GrievanceCounter,
    GrievanceEvent,
)
from .services import file_grievance, grievance_form_prefill

__all__ = [
    "CHANNELS",
    "KINDS",
    "OUTCOMES",
    "STATES",
    "Grievance",
    "GrievanceAppeal",
    "GrievanceCounter",
    "GrievanceEvent",
    "file_grievance",
    "grievance_form_prefill",
    "init_app",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    register_tenant_api(api.bp, "grievances")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/grievances")
    app.register_blueprint(views.portal_bp, url_prefix="/t/<tenant>/portal/grievances")
    cli.register(app)

"""Beneficiary satisfaction surveys (core, every association).

A tenant admin builds a versioned survey (1–5 rating, yes/no, single choice, free text; Arabic
and English; one rating feeds the KPI). After a disbursement is recorded or a request is closed,
the beneficiary is invited once (in-app and SMS/e-mail through the outbox) with a signed,
single-use, expiring link that needs no login; staff can type in a paper survey. A tenant may
invite everyone or a random sample per program and month sized from a target margin of error.
Responses are anonymous by default; free text is read only by the roles the tenant grants.
The satisfaction share (with response rate and margin of error; groups under 5 suppressed) is
a KPI source and a dashboard with a chart per month. A low rating offers the complaint form
through :mod:`core.surveys.links` (the grievances feature registers it).
"""

from __future__ import annotations

from ..api import register_tenant_api
from ..requests.views import register_view_context
from . import api, hooks, services, views
from .links import complaint_url, register_complaint_route
from .models import QUESTION_KINDS, Survey, SurveyInvitation, SurveyQuestion, SurveyResponse, SurveyVersion

__all__ = [
    "QUESTION_KINDS",
    "Survey",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyVersion",
    "complaint_url",
    "init_app",
    "register_complaint_route",
    "services",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    register_tenant_api(api.bp, "surveys")
    register_view_context(app, "survey_panel", views.request_panel)
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/surveys")

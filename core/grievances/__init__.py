"""Grievances (تظلم, against a decision) and complaints (شكوى, about service, staff conduct or a
contracted provider), seed 004 "التظلم وتقديم الشكوى".

Public surface: the models, :mod:`.services` (filing, handling, appeals, deadlines, queues,
KPIs), and for other features :func:`file_grievance` and :func:`grievance_form_prefill` (the
survey's complaint route from a low rating fills the portal form with the latter and files
with the former). Confidential: see :mod:`.services.access`.
"""

from __future__ import annotations

from flask import url_for

from ..aid.models import Disbursement
from ..api import register_tenant_api
from ..extensions import db
from ..i18n import gettext as _
from ..surveys.links import register_complaint_route
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
    register_complaint_route(app, complaint_from_survey)


def complaint_from_survey(request_id: int | None, score: int | None) -> str:
    """The survey's complaint route: the portal form, prefilled with the request and the rating.

    The survey link needs no login; the form does (it files as the signed-in applicant), so an
    anonymous beneficiary passes through the login page and comes back here. Only the
    applicant's own request is taken (see ``views._prefill``).
    """
    note = _("From the satisfaction survey: I rated the service %(score)s out of 5.", score=score)
    disbursement_id = None
    if request_id is not None:  # the disbursement the survey followed dates the complaint
        disbursement_id = db.session.scalar(
            db.select(Disbursement.id)
            .where(Disbursement.request_id == request_id)
            .order_by(Disbursement.id.desc())
            .limit(1)
        )
    return url_for("grievances_portal.new", request_id=request_id, disbursement_id=disbursement_id, note=note)

"""Volunteers (متطوعون), for every association (seed 000, developmental goal 4: volunteers'
share 65 %, "opening volunteering", naming volunteers "من الأفراد أو الجهات"; seed 003: the
"volunteer service" channel).

Public surface: the models and :mod:`.services` (the offer and its decision, opportunities,
places, check-in / check-out, the supervisor's confirmation of hours, the distribution day's
list by name only, KPIs, export).
"""

from __future__ import annotations

from ..api import register_tenant_api
from . import api, hooks, portal, views
from .models import Assignment, Opportunity, VisitCompanion, Volunteer

__all__ = ["Assignment", "Opportunity", "VisitCompanion", "Volunteer", "init_app"]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    register_tenant_api(api.bp, "volunteers")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/volunteers")
    app.register_blueprint(portal.portal_bp, url_prefix="/t/<tenant>/portal/volunteering")

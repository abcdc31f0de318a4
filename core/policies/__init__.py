"""Policy documents (issue 15, seed 003 section 5): the association's basic regulation, the
social-research services guide, the support policy guide, the support-request form and any
other policy — each version with its file, its board approval (meeting number and date) and the
dates it is in force. Staff pages (tenant admin adds and revises), the portal's public page of
the ones in force, the API, and :func:`in_force_links` for other features (toolkit:
``policies_in_force``), and the links of the ones that apply to a staff page's area
(``register_policy_areas``; the ``policy_links`` macro; toolkit: ``policies_for_area``).
"""

from __future__ import annotations

from ..api import register_tenant_api
from . import api, hooks, views
from .areas import links_for
from .models import KINDS, PolicyDocument
from .services import KIND_LABELS, PolicyLink, in_force, in_force_links

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "PolicyDocument",
    "PolicyLink",
    "in_force",
    "in_force_links",
    "init_app",
    "links_for",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    app.jinja_env.globals["policies_for_area"] = links_for
    register_tenant_api(api.bp, "policies")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/policies")
    app.register_blueprint(views.portal_bp, url_prefix="/t/<tenant>/portal/policies")

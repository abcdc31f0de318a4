"""The aid catalog and disbursements (cash or in kind, with proof of receipt)."""

from __future__ import annotations

from ..api import register_tenant_api
from ..requests.views import register_step_form, register_view_context
from . import api, cli, hooks, services, views
from .models import DELIVERY_MODES, KINDS, PROOF_TYPES, SEASONS, UNITS, CatalogItem, Disbursement

__all__ = [
    "DELIVERY_MODES",
    "KINDS",
    "PROOF_TYPES",
    "SEASONS",
    "UNITS",
    "CatalogItem",
    "Disbursement",
    "init_app",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    # Aid builds on requests: its form and list join the request page from here.
    register_step_form(app, "disburse", views.disburse_step)
    register_view_context(app, "disbursements", services.disbursements_of)
    register_tenant_api(api.bp, "aid")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/aid")
    cli.register(app)

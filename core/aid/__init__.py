"""The aid catalog and disbursements (cash or in kind, with proof of receipt)."""

from __future__ import annotations

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
    from ..api import register_tenant_api
    from . import api, cli, defaults, views

    app.extensions["charity_plugins"].register_builtin(defaults)
    register_tenant_api(api.bp, "aid")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/aid")
    cli.register(app)

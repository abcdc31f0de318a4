"""Supporters (داعمون / مانحون) of an association: individuals, companies, foundations and
government bodies; the pipeline of potential supporters (seed 001); agreements (seed 000);
donations in cash or in kind with gap-free numbered receipts; pledges in instalments; and the
traceability of a restricted gift to the disbursements it paid for (aggregates only).

Public surface: the models and :mod:`.services`. Everything needs ``supporters.manage``.
"""

from __future__ import annotations

from ..api import register_tenant_api
from . import api, hooks, views
from .models import (
    CHANNELS,
    KINDS,
    STAGES,
    Agreement,
    ContactLog,
    Donation,
    Instalment,
    Pledge,
    ReceiptCounter,
    Supporter,
)

__all__ = [
    "CHANNELS",
    "KINDS",
    "STAGES",
    "Agreement",
    "ContactLog",
    "Donation",
    "Instalment",
    "Pledge",
    "ReceiptCounter",
    "Supporter",
    "init_app",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    register_tenant_api(api.bp, "supporters")
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/supporters")

"""The audit trail: every read of a beneficiary file and every change, append-only and
hash-chained per tenant. ``record(action, obj_type, obj_id, details)`` is the one entry point."""

from __future__ import annotations

from ..api import register_tenant_api
from . import hooks, jobs, services  # noqa: F401 - jobs registers the periodic checkpoint
from .api import audit_api
from .chain import verify_chain
from .cli import audit_cli
from .models import AuditEvent
from .services import record
from .views import bp

__all__ = ["AuditEvent", "init_app", "record", "verify_chain"]


def init_app(app) -> None:
    services.install_guards()
    app.register_blueprint(bp)
    register_tenant_api(audit_api, "audit")
    app.cli.add_command(audit_cli)
    app.extensions["charity_plugins"].register_builtin(hooks)

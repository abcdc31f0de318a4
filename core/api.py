"""REST API plumbing: blueprints mounted per tenant, the OpenAPI document, API auth.

Platform endpoints live under ``/api/v1/…``; tenant endpoints under
``/t/<tenant>/api/v1/…``. Clients authenticate with ``Authorization: Bearer <token>``
(or a browser session plus the CSRF header for unsafe methods).
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint as _SmorestBlueprint

from .auth.permissions import check
from .extensions import api
from .validation import make_argument_parser

TENANT_API_PREFIX = "/t/<tenant>/api/v1"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token"}


class ApiBlueprint(_SmorestBlueprint):
    """A flask-smorest blueprint with the platform's permission decorator."""

    # Refuses NUL and control characters in any parsed input, naming the field (core/validation.py).
    ARGUMENTS_PARSER = make_argument_parser()

    def requires(self, action: str):
        """Check ``action`` before the view (401/403), and document the bearer auth."""

        def decorator(view):
            @wraps(view)
            def wrapped(*args, **kwargs):
                check(action)
                return view(*args, **kwargs)

            return self.doc(security=[{"bearerAuth": []}])(wrapped)

        return decorator

    def login_required(self, view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            return view(*args, **kwargs)

        return self.doc(security=[{"bearerAuth": []}])(wrapped)


def register_tenant_api(blueprint: _SmorestBlueprint, prefix: str) -> None:
    """Mount a tenant API blueprint at ``/t/<tenant>/api/v1/<prefix>``."""
    api.register_blueprint(blueprint, url_prefix=f"{TENANT_API_PREFIX}/{prefix.strip('/')}")


def register_platform_api(blueprint: _SmorestBlueprint, prefix: str | None = None) -> None:
    api.register_blueprint(blueprint, **({"url_prefix": prefix} if prefix else {}))


def configure(app) -> None:
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)

"""REST API plumbing: blueprints mounted per tenant, the OpenAPI document, API auth.

Platform endpoints live under ``/api/v1/…``; tenant endpoints under
``/t/<tenant>/api/v1/…``. Clients authenticate with ``Authorization: Bearer <token>``
(or a browser session plus the CSRF header for unsafe methods). ``requires`` and
``login_required`` only record what a view needs; ``core.auth.api_auth`` enforces it
before the view runs, so authentication (401), the tenant and plugin gates (404) and the
permission (403) always come before the body is parsed (422), whatever the order of the
decorators.
"""

from __future__ import annotations

from functools import wraps

from flask_smorest import Blueprint as _SmorestBlueprint

from .auth.api_auth import Requirement, enforce, mark
from .extensions import api
from .validation import make_argument_parser

TENANT_API_PREFIX = "/t/<tenant>/api/v1"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token"}


class ApiBlueprint(_SmorestBlueprint):
    """A flask-smorest blueprint with the platform's authentication decorators."""

    # Refuses NUL and control characters in any parsed input, naming the field (core/validation.py).
    ARGUMENTS_PARSER = make_argument_parser()

    def requires(self, *actions: str):
        """The view needs a logged-in user (401) holding one of ``actions`` (403) — a workflow step
        any of several permissions may take names them all, the service checks which applies.
        Documents the bearer auth."""
        return self._needs(Requirement(actions))

    def login_required(self, view):
        """The view needs a logged-in user (401) — on an association's endpoint, one with a role in
        it (403); the service checks the step's own permission. Documents the bearer auth."""
        return self._needs(Requirement())(view)

    def _needs(self, requirement: Requirement):
        def decorator(view):
            @wraps(view)
            def wrapped(*args, **kwargs):
                enforce(requirement)  # already enforced before the request; kept as a backstop
                return view(*args, **kwargs)

            return self.doc(security=[{"bearerAuth": []}])(mark(wrapped, requirement))

        return decorator


def register_tenant_api(blueprint: _SmorestBlueprint, prefix: str) -> None:
    """Mount a tenant API blueprint at ``/t/<tenant>/api/v1/<prefix>``."""
    api.register_blueprint(blueprint, url_prefix=f"{TENANT_API_PREFIX}/{prefix.strip('/')}")


def register_platform_api(blueprint: _SmorestBlueprint, prefix: str | None = None) -> None:
    api.register_blueprint(blueprint, **({"url_prefix": prefix} if prefix else {}))


def configure(app) -> None:
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)

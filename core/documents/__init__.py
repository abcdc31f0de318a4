"""Documents attached to persons, households and (later) aid requests, stored through
``core.storage`` under tenant-separated keys, served only through authorised routes."""

from __future__ import annotations

from ..api import register_tenant_api
from . import hooks
from .api import documents_api
from .models import Document
from .services import document_type_label
from .views import bp

__all__ = ["Document", "init_app"]


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["document_type"] = document_type_label
    register_tenant_api(documents_api, "documents")
    app.extensions["charity_plugins"].register_builtin(hooks)

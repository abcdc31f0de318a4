"""The applicant portal: the association's landing page, register, log in, reset a forgotten
password, apply, follow own requests by number, read messages.

An applicant is a user with the ``applicant`` role in the tenant; they only ever see the
requests whose ``applicant_user_id`` is their own (another's answers 404).
"""

from __future__ import annotations

from ..api import register_platform_api
from . import account, hooks, views


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/portal")
    app.register_blueprint(account.bp)
    register_platform_api(account.api_bp)

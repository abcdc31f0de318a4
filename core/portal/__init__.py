"""The applicant portal: register, log in, apply, follow own requests by number, read messages.

An applicant is a user with the ``applicant`` role in the tenant; they only ever see the
requests whose ``applicant_user_id`` is their own (another's answers 404).
"""

from __future__ import annotations

from . import views


def init_app(app) -> None:
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/portal")

"""One error format for the whole API: ``{"code", "message", "errors": {field: [messages]}}``.

``code`` is the HTTP status; ``message`` and every field message are translated to
the request's language. Pages get the same messages as an HTML page.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .i18n import gettext as _
from .i18n import lazy_gettext as _l
from .i18n import translate_messages
from .integrity import field_error, violated_constraint
from .pdf import PdfUnavailable

STATUS_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please log in first."),
    403: _l("You do not have permission to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("This cannot be done in the current state."),
    413: _l("The upload is too large."),
    414: _l("The address is too long."),
    415: _l("This file type is not accepted."),
    422: _l("Some fields are not valid."),
    429: _l("Too many attempts. Please wait and try again."),
    500: _l("Something went wrong on our side."),
    503: _l("The service is temporarily unavailable."),
}


class AppError(Exception):
    """A business-rule refusal with a translated message (and optional field errors).

    The vocabulary, one class per answer (services raise them, the handlers below turn them
    into the API's JSON error or the HTML error page; views that re-render a form catch
    ``AppError`` and use ``status``, ``message`` and ``errors``):

    * :data:`Invalid` (422) — bad input, with field errors (marshmallow's ``ValidationError``);
    * :class:`Forbidden` (403) — the actor's role cannot take this step;
    * :class:`NotFound` (404) — no such row in this tenant (see ``core.lookup.get_or_404``);
    * :class:`Conflict` (409) — not in the current state.

    Without a message, the status's standard message is used.
    """

    status = 400
    headers: dict | None = None  # extra response headers (e.g. Retry-After)

    def __init__(self, message: Any = None, errors: dict | None = None, status: int | None = None):
        if status is not None:
            self.status = status
        if message is None:
            message = STATUS_MESSAGES.get(self.status, STATUS_MESSAGES[400])
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}


# Bad input, with field errors: ``raise Invalid({"field": [_l("...")]})`` answers 422. It is
# marshmallow's ``ValidationError`` — the type every schema raises — so that one ``except``
# (and one handler) covers a schema's refusal and a service's alike.
Invalid = ValidationError


class Forbidden(AppError):
    status = 403


class NotFound(AppError):
    status = 404


class Conflict(AppError):
    status = 409


def flatten_webargs(errors: dict) -> dict:
    """webargs nests messages by location (``{"json": {...}}``); clients want fields."""
    locations = {"json", "query", "form", "files", "headers", "cookies", "path", "view_args", "querystring"}
    if errors and set(errors) <= locations:
        flat: dict = {}
        for by_field in errors.values():
            if isinstance(by_field, dict):
                flat.update(by_field)
            else:
                flat.setdefault("_schema", []).extend(by_field if isinstance(by_field, list) else [by_field])
        return flat
    return errors


def payload(status: int, message: Any = None, errors: dict | None = None) -> dict:
    return {
        "code": status,
        "message": str(message) if message else str(STATUS_MESSAGES.get(status, STATUS_MESSAGES[400])),
        "errors": translate_messages(errors or {}),
    }


def wants_json() -> bool:
    """API paths, clients asking for JSON, and clients sending credentials in ``Authorization``."""
    path = request.path
    return (
        "/api/" in path
        or path.startswith("/api")
        or request.accept_mimetypes.best == "application/json"
        or "Authorization" in request.headers
    )


def respond(status: int, message: Any = None, errors: dict | None = None, headers=None):
    body = payload(status, message, errors)
    if wants_json():
        response = jsonify(body)
    else:
        response = make_response(render_template("error.html", error=body))
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status == 401 and not wants_json():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    errors = None
    data = getattr(error, "data", None)  # webargs/smorest attach validation messages here
    if isinstance(data, dict) and "messages" in data:
        errors = flatten_webargs(data["messages"])
    message = None
    if isinstance(error, CSRFError):
        message = _("The form expired or was sent from elsewhere. Please try again.")
    headers = dict(error.get_headers()) if status in (401, 405, 429) else None
    if headers:
        headers.pop("Content-Type", None)
    return respond(status, message, errors, headers)


def handle_validation_error(error: ValidationError):
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    return respond(422, None, messages)


def handle_app_error(error: AppError):
    return respond(error.status, error.message, error.errors, error.headers)


def handle_pdf_unavailable(error: PdfUnavailable):
    """A PDF asked of a server without WeasyPrint's libraries: a translated 503, not a traceback."""
    return respond(error.status, error.message)


def handle_out_of_range(error: Exception):
    """A number too large for the database (an id or count typed by a client) is bad input,
    wherever it is caught: nothing is written, the client is told."""
    db.session.rollback()
    return respond(422, _("A number is out of the accepted range."))


def handle_integrity_error(error: Exception):
    """The safety net under the services' own checks: a unique constraint the database refused
    (a race, or a path without a check) is the client's field error, with nothing written.
    Any other integrity refusal (a foreign or check key) is a bug of ours, treated like any
    unexpected error: raised in tests, logged and answered as a conflict in production."""
    db.session.rollback()
    constraint = violated_constraint(error)
    if constraint is None:
        if current_app.testing:
            raise error
        current_app.logger.exception("integrity error answered 409")
        return respond(409)
    return respond(422, None, field_error(constraint))


def register(app) -> None:
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(DataError, handle_out_of_range)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(PdfUnavailable, handle_pdf_unavailable)

    @app.errorhandler(Exception)
    def _unexpected(error):  # pragma: no cover - the last resort, logged
        if isinstance(error, HTTPException):
            return handle_http_exception(error)
        if app.testing:
            raise error
        app.logger.exception("unhandled error")

        db.session.rollback()  # a failed flush would break the error page itself (locale, user)
        return respond(500)

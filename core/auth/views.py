"""Login, logout, password change and the language switch (pages), and API tokens (API)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from marshmallow import Schema, fields

from ..api import ApiBlueprint
from ..errors import AppError
from ..extensions import db, limiter
from ..forms import form_transaction
from ..i18n import LANGUAGES
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..schema_fields import Timestamp
from ..security import safe_redirect_target
from .api_auth import bearer_token, by_credentials
from .services import (
    LoginThrottled,
    change_password,
    issue_token,
    log_in,
    normalise_email,
    revoke_token,
    unlock_account,
)

bp = Blueprint("auth", __name__)
api_bp = ApiBlueprint("auth_api", __name__, url_prefix="/api/v1/auth", description="Log in for API tokens")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    email = request.form.get("email") or (request.get_json(silent=True) or {}).get("email") or ""
    return "account:" + normalise_email(str(email))


# The login form and the token endpoint share these counters (one scope each).
_login_rate_per_address = limiter.shared_limit(_login_limit, scope="login-address", methods=["POST"])
_login_rate_per_account = limiter.shared_limit(
    _login_limit, scope="login-account", key_func=_account_key, methods=["POST"]
)


def _next_or_home():
    return redirect(safe_redirect_target(request.args.get("next")) or url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
@bp.route("/t/<tenant>/login", methods=["GET", "POST"])  # the association's portal: its name, its links
@_login_rate_per_address
@_login_rate_per_account
def login():
    errors: dict[str, list[str]] = {}
    email = request.args.get("email", "")  # after registering on a portal
    status = 200
    if request.method == "POST":
        email = request.form.get("email", "")
        password = request.form.get("password", "")
        if not email.strip():
            errors["email"] = [_("Enter your e-mail.")]
        if not password:
            errors["password"] = [_("Enter your password.")]
        if not errors:
            try:
                user = log_in(email, password, request.remote_addr)
            except LoginThrottled as refused:
                errors["password"] = [str(refused.message)]
                response = render_template("auth/login.html", errors=errors, email=email)
                return response, 429, refused.headers
            if user is not None:
                login_user(user)
                db.session.commit()
                return _next_or_home()
            errors["password"] = [_("Wrong e-mail or password.")]
        status = 422 if errors else 200
    return render_template("auth/login.html", errors=errors, email=email), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Every session of the user ends, not only this browser's cookie.
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return _next_or_home()


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    errors: dict = {}
    if request.method == "POST":
        form = request.form
        user = current_user._get_current_object()
        with form_transaction() as outcome:
            change_password(
                user,
                form.get("current_password", ""),
                form.get("new_password", ""),
                request.remote_addr,
                confirmation=form.get("new_password2", ""),
            )
        if outcome.status == 429:  # a wrong current password counts as a failed login
            errors = {"current_password": [outcome.message]}
            return render_template("auth/password.html", errors=errors), 429, outcome.headers
        if outcome.ok:
            login_user(user)  # this browser stays logged in, with the new session version
            flash(_("Your password was changed. Every other session and API token was ended."), "success")
            return redirect(url_for("home.index"))
        errors = outcome.errors
    return render_template("auth/password.html", errors=errors), (422 if errors else 200)


class TokenRequestSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="")


class TokenSchema(Schema):
    token = fields.String()
    expires_at = Timestamp()


@api_bp.route("/token", methods=["POST"])
@api_bp.arguments(TokenRequestSchema)
@api_bp.response(201, TokenSchema)
@_login_rate_per_address
@_login_rate_per_account
@by_credentials
def create_token(data):
    """Exchange an e-mail and password for a bearer token (expires; stored hashed).

    Needs no CSRF token: the request is authenticated by the credentials it carries, not by a
    cookie. Failed attempts count together with the login form's, per account and per address:
    after repeated failures the answer is 429 with ``Retry-After`` (back-off, then lockout).
    """
    user = log_in(data["email"], data["password"], request.remote_addr)
    if user is None:
        raise AppError(_l("Wrong e-mail or password."), {"password": [_l("Wrong e-mail or password.")]}, 401)
    token, secret = issue_token(user, data["name"])
    db.session.commit()
    return {"token": secret, "expires_at": token.expires_at}


@api_bp.route("/token", methods=["DELETE"])
@api_bp.response(204)
def delete_token():
    """Revoke the bearer token this request carries."""
    secret = bearer_token()
    if not secret or not revoke_token(secret):
        raise AppError(_l("Please log in first."), status=401)
    db.session.commit()


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


@api_bp.route("/password", methods=["POST"])
@api_bp.arguments(PasswordChangeSchema)
@api_bp.response(204)
@api_bp.login_required
def change_own_password(data):
    """Change the caller's password. Every session and every API token of the user ends
    (this one included): ask for a new token with the new password."""
    change_password(current_user, data["current_password"], data["new_password"], request.remote_addr)
    db.session.commit()


class UnlockSchema(Schema):
    email = fields.Email(required=True)


class UnlockedSchema(Schema):
    email = fields.String()
    was_locked = fields.Boolean()


@api_bp.route("/unlock", methods=["POST"])
@api_bp.arguments(UnlockSchema)
@api_bp.response(200, UnlockedSchema)
@api_bp.requires("platform.users.unlock")
def unlock(data):
    """Platform admins: lift the login lockout of an account (and forget its failed logins)."""
    email = normalise_email(data["email"])
    return {"email": email, "was_locked": unlock_account(email)}

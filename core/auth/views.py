"""Login, logout and the language switch (pages), and API tokens (API)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import Schema, fields

from ..errors import AppError
from ..extensions import db, limiter
from ..i18n import LANGUAGES
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..schema_fields import Timestamp
from .services import authenticate, issue_token, normalise_email, revoke_token

bp = Blueprint("auth", __name__)
api_bp = ApiBlueprint("auth_api", __name__, url_prefix="/api/v1/auth", description="Log in for API tokens")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    email = request.form.get("email") or (request.get_json(silent=True) or {}).get("email") or ""
    return "account:" + normalise_email(str(email))


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, key_func=_account_key, methods=["POST"])
def login():
    errors: dict[str, list[str]] = {}
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        password = request.form.get("password", "")
        if not email.strip():
            errors["email"] = [_("Enter your e-mail.")]
        if not password:
            errors["password"] = [_("Enter your password.")]
        if not errors:
            user = authenticate(email, password)
            if user is not None:
                login_user(user)
                db.session.commit()
                return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
            errors["password"] = [_("Wrong e-mail or password.")]
    status = 422 if errors else 200
    return render_template("auth/login.html", errors=errors, email=email), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))


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
@limiter.limit(_login_limit)
@limiter.limit(_login_limit, key_func=_account_key)
def create_token(data):
    """Exchange an e-mail and password for a bearer token (expires; stored hashed)."""
    user = authenticate(data["email"], data["password"])
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


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None

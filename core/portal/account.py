"""Accounts without a staff member's help: a forgotten password (staff and applicants alike) and
the portal's registration, both answering without revealing whether an account exists.

* **Forgotten password** — ``/password/forgot`` (platform) and ``/t/<slug>/password/forgot``
  (an association's portal): the visitor gives an e-mail or a mobile number; each active account
  it names gets a link (e-mail, or SMS for a mobile number) through the notifications outbox of
  the association (the one in the URL, else the account's first association). The answer is the
  same whether an account exists or not. The link (``…/password/reset/<token>``) works once,
  for ``PASSWORD_RESET_TTL_MINUTES``; the new password follows the policy; every session and
  API token of the account ends; the reset is audited. Rate-limited like the login.
* **Registration** — a taken e-mail is not refused: its owner is told by e-mail that they already
  have an account (and how to reset the password); the visitor sees the same answer as for a
  new account (go and log in).

The API has the same two steps: ``POST /api/v1/auth/password/forgot`` (202, always) and
``POST /api/v1/auth/password/reset`` (204, or 400 for a bad link, 422 for a weak password).
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user
from marshmallow import Schema, ValidationError, fields, validate

from ..api import ApiBlueprint
from ..audit import record
from ..auth import reset
from ..auth import services as auth_services
from ..auth.api_auth import by_credentials
from ..auth.models import Membership, User, hash_password
from ..auth.services import NewUserSchema, create_user, normalise_email, set_roles
from ..extensions import db, limiter
from ..forms import form_transaction
from ..i18n import current_language
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..notifications import Sealed, notify
from ..numbers import NumberFormatError
from ..registry.schemas import parse_saudi_mobile
from ..tenancy import Tenant, current_tenant, require_tenant, tenant_context, unscoped

log = logging.getLogger("charity_platform.auth")

bp = Blueprint("account", __name__)
api_bp = ApiBlueprint(
    "account_api", __name__, url_prefix="/api/v1/auth/password", description="Reset a forgotten password"
)

SENT = _l(
    "If an account has this e-mail or mobile number, a link to choose a new password was sent to it. "
    "The link works once, within %(minutes)s minutes."
)
LOGIN_HELP = _l("Enter the e-mail of your account or its mobile number (05XXXXXXXX).")


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_key() -> str:
    text = request.form.get("login") or (request.get_json(silent=True) or {}).get("login") or ""
    return "reset:" + normalise_email(str(text))


# Asking for links, per address and per e-mail / number asked for; using them, per address.
_rate_per_address = limiter.shared_limit(_limit, scope="reset-address", methods=["POST"])
_rate_per_login = limiter.shared_limit(_limit, scope="reset-login", key_func=_login_key, methods=["POST"])


# --------------------------------------------------------------------------- rules


def parse_login(text: str) -> tuple[str | None, str | None]:
    """``(e-mail, None)`` or ``(None, +9665XXXXXXXX)`` for what the visitor typed.

    Raises ``ValidationError`` on ``login`` when it is neither.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError({"login": [_l("Enter your e-mail or your mobile number.")]})
    if "@" in text:
        try:
            validate.Email()(text)
        except ValidationError:
            raise ValidationError({"login": [_l("Enter a valid e-mail, e.g. name@example.org.")]}) from None
        return normalise_email(text), None
    try:
        return None, parse_saudi_mobile(text)
    except NumberFormatError:
        raise ValidationError({"login": [LOGIN_HELP]}) from None


def _tenant_of(user: User) -> Tenant | None:
    """The association whose outbox carries a message to ``user``: the one of the page, else
    the first active association the user belongs to (None: a platform-only account)."""
    tenant = current_tenant()
    if tenant is not None:
        return tenant
    with unscoped("a reset asked on the platform's page: the account's first association sends it"):
        return db.session.scalars(
            db.select(Tenant)
            .join(Membership, Membership.tenant_id == Tenant.id)
            .where(Membership.user_id == user.id, Tenant.is_active.is_(True))
            .order_by(Tenant.slug)
            .limit(1)
        ).first()


def request_reset(text: str) -> None:
    """Send a reset link to every active account ``text`` (e-mail or mobile) names (the caller
    commits). Nothing tells the caller whether there was one."""
    email, phone = parse_login(text)
    from_portal = current_tenant() is not None
    for user in reset.users_for_login(email or "", phone):
        channel = "sms" if phone else "email"
        secret = reset.issue(user, channel)
        tenant = _tenant_of(user)
        if tenant is None:
            log.warning("password reset for user %s: no association to send the link through", user.id)
            record(
                "auth.password_reset_requested",
                "user",
                user.id,
                {"channel": channel, "sent": False},
                user=user,
            )
            continue
        if from_portal:
            link = url_for("account.reset_password", token=secret, tenant=tenant.slug, _external=True)
        else:  # built before entering the association's context, which would put it in the link
            link = url_for("account.reset_password", token=secret, _external=True)
        with tenant_context(tenant):
            notify(
                "password_reset",
                {
                    "link": Sealed(link),  # the reset token: never kept in clear
                    "email": user.email,
                    "minutes": current_app.config["PASSWORD_RESET_TTL_MINUTES"],
                },
                email=user.email if channel == "email" else None,
                phone=phone,
                locale=current_language(),
            )
            record("auth.password_reset_requested", "user", user.id, {"channel": channel}, user=user)


def complete_reset(token: str, new_password: str, confirmation: str | None = None) -> User:
    """``core.auth.reset.reset_password``, audited in the association of the page (or the
    platform's trail). The caller commits."""
    user = reset.reset_password(token, new_password, confirmation)
    record("auth.password_reset", "user", user.id, {}, user=user)
    return user


def register_applicant(form) -> str:
    """The portal's registration (the caller commits): a new account with the ``applicant`` role
    in the current association, or — for an e-mail that already has one — a message to that
    address instead. Returns the normalised e-mail; both answer the same to the visitor.

    Raises ``ValidationError`` for the form's own problems (which do not depend on existing
    accounts): a missing field, a weak password, passwords that differ.
    """
    if form.get("password", "") != form.get("password2", ""):
        raise ValidationError({"password2": [_l("The passwords do not match.")]})
    data = {
        "email": form.get("email", ""),
        "password": form.get("password", ""),
        "name": form.get("name", ""),
    }
    NewUserSchema().load(data)
    phone = None
    if (form.get("phone") or "").strip():
        try:
            phone = parse_saudi_mobile(form["phone"])
        except NumberFormatError:
            raise ValidationError(
                {"phone": [_l("Enter a Saudi mobile number: 05XXXXXXXX or +9665XXXXXXXX.")]}
            ) from None
    email = normalise_email(data["email"])
    tenant = require_tenant()
    login_link = url_for("auth.login", tenant=tenant.slug, _external=True)
    if auth_services.find_user(email) is not None:
        hash_password(data["password"])  # takes as long as creating the account would
        forgot = url_for("account.forgot_password", tenant=tenant.slug, _external=True)
        notify(
            "account_exists", {"login": login_link, "forgot": forgot}, email=email, locale=current_language()
        )
        return email
    user = create_user(data)
    user.phone = phone
    user.locale = current_language()
    set_roles(tenant, user, ["applicant"])
    notify("account_created", {"login": login_link}, user=user, locale=current_language())
    record("portal.registered", "user", user.id, {}, user=user)
    return email


# --------------------------------------------------------------------------- pages


def _after_login_url() -> str:
    return url_for("portal.index") if current_tenant() is not None else url_for("home.index")


@bp.route("/password/forgot", methods=["GET", "POST"])
@bp.route("/t/<tenant>/password/forgot", methods=["GET", "POST"])
@_rate_per_address
@_rate_per_login
def forgot_password():
    """Ask for a reset link by e-mail or mobile number (the same answer whether or not an
    account has it)."""
    errors: dict = {}
    login = request.form.get("login", "") if request.method == "POST" else request.args.get("login", "")
    if request.method == "POST":
        with form_transaction() as outcome:
            request_reset(login)
        if outcome.ok:
            flash(SENT % {"minutes": current_app.config["PASSWORD_RESET_TTL_MINUTES"]}, "info")
            return redirect(url_for("auth.login"))
        errors = outcome.errors
    return render_template("auth/forgot.html", errors=errors, login=login, help=LOGIN_HELP), (
        422 if errors else 200
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@bp.route("/t/<tenant>/password/reset/<token>", methods=["GET", "POST"])
@_rate_per_address
def reset_password(token: str):
    """Choose a new password with a link's token: 400 for a used, expired or unknown link."""
    if reset.pending(token) is None:
        return render_template("auth/reset.html", invalid=reset.INVALID_LINK, errors={}), 400
    errors: dict = {}
    if request.method == "POST":
        with form_transaction() as outcome:
            user = complete_reset(
                token, request.form.get("new_password", ""), request.form.get("new_password2", "")
            )
        if outcome.status == 400:
            return render_template("auth/reset.html", invalid=reset.INVALID_LINK, errors={}), 400
        if outcome.ok:
            login_user(user)
            flash(
                _("Your password was reset and you are logged in. Every other session was ended."), "success"
            )
            return redirect(_after_login_url())
        errors = outcome.errors
    return render_template("auth/reset.html", invalid=None, errors=errors), (422 if errors else 200)


# --------------------------------------------------------------------------- API


class ForgotSchema(Schema):
    login = fields.String(required=True, metadata={"description": "The account's e-mail or mobile number."})


class ResetSchema(Schema):
    token = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


@api_bp.route("/forgot", methods=["POST"])
@api_bp.arguments(ForgotSchema)
@api_bp.response(202)
@_rate_per_address
@_rate_per_login
@by_credentials
def api_forgot(data):
    """Ask for a password-reset link, sent by e-mail (an e-mail given) or SMS (a mobile number).

    Always 202 when the input is an e-mail or a mobile number, whether or not an account has it.
    """
    request_reset(data["login"])
    db.session.commit()


@api_bp.route("/reset", methods=["POST"])
@api_bp.arguments(ResetSchema)
@api_bp.response(204)
@_rate_per_address
@by_credentials
def api_reset(data):
    """Set a new password with a reset link's token: it works once; every session and API token
    of the account ends (ask for a new token). 400 for a used, expired or unknown token."""
    complete_reset(data["token"], data["new_password"])
    db.session.commit()

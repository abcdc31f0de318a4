"""The landing page, each tenant's home page (the staff dashboard) and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from .auth.models import Membership
from .auth.permissions import check, roles_in
from .extensions import db
from .navigation import DashboardCard
from .plugins import tenant_hooks
from .tenancy import Tenant, current_tenant, unscoped

bp = Blueprint("home", __name__)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to reach the database is "unhealthy"
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@bp.route("/")
@login_required
def index():
    with unscoped("the user's own memberships, across the associations they belong to"):
        tenants = (
            db.session.execute(
                db.select(Tenant)
                .join(Membership, Membership.tenant_id == Tenant.id)
                .where(Membership.user_id == current_user.id, Tenant.is_active.is_(True))
                .order_by(Tenant.slug)
            )
            .scalars()
            .all()
        )
    if len(tenants) == 1 and not current_user.is_platform_admin:
        return redirect(url_for("home.tenant_home", tenant=tenants[0].slug))
    return render_template("home/index.html", tenants=tenants)


@bp.route("/t/<tenant>/")
def tenant_home():
    """Staff: the dashboard (what waits for this user, by role, first; the menu's pages below).
    A visitor: the portal's landing page; an applicant (no staff role here): their portal home."""
    if not current_user.is_authenticated:
        return redirect(url_for("portal.index"))
    tenant = current_tenant()
    if roles_in(current_user, tenant) == {"applicant"}:
        return redirect(url_for("portal.index"))
    check("tenant.view")
    return render_template("home/tenant.html", tenant=tenant, cards=dashboard_cards(current_user, tenant))


def dashboard_cards(user, tenant) -> list[DashboardCard]:
    """Every card core's features and the enabled plugins answer (``dashboard_cards`` hook)."""
    cards = [
        card for found in tenant_hooks().dashboard_cards(user=user, tenant=tenant) for card in found or []
    ]
    return sorted(cards, key=lambda card: card.order)

"""The volunteer's own pages on the portal (usable at 375 px): the offer, its state and the
reason of a decline, the open opportunities to apply for, check-in / check-out on the day, the
confirmed hours and their certificate, and a distribution day's list (names only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import require
from ..downloads import download_response
from ..errors import NotFound
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import gettext as _
from ..lookup import get_or_404
from ..pdf import PDF_MIMETYPE, render_pdf
from ..tenancy import require_tenant
from . import forms, services
from .models import Assignment, Opportunity
from .schemas import VolunteerOfferSchema

portal_bp = Blueprint("volunteers_portal", __name__, template_folder="templates")
OFFER = services.OFFER


@portal_bp.route("/")
@require(OFFER)
def home():
    volunteer = services.own_volunteer(current_user)
    history = services.history(volunteer) if volunteer else []
    mine = {a.opportunity_id for a, _ in history}
    open_items = []
    if volunteer is not None and volunteer.state == "accepted":
        open_items = [
            o
            for o in db.session.scalars(
                db.select(Opportunity)
                .where(Opportunity.state == "open", Opportunity.on_date >= services.today())
                .order_by(Opportunity.on_date, Opportunity.id)
            )
            if o.id not in mine
        ]
    return render_template(
        "volunteers/portal_home.html",
        volunteer=volunteer,
        history=history,
        total=services.confirmed_minutes(volunteer) if volunteer else 0,
        open_items=open_items,
        taken=services.taken_by_opportunity([o.id for o in open_items]),
        today=services.today(),
        **forms.context(),
    )


def _offer_form(volunteer) -> dict:
    """The current offer as the form shows it (a first offer starts from the account)."""
    if volunteer is None:
        return {"name": current_user.name or "", "email": current_user.email, "kind": "individual"}
    return {
        "name": volunteer.name, "phone": volunteer.phone, "email": volunteer.email or "", "city": volunteer.city or "",
        "kind": volunteer.kind, "organisation_name": volunteer.organisation_name or "", "skills": volunteer.skills,
        "days": volunteer.days, "areas": "، ".join(volunteer.areas or []), "notes": volunteer.notes,
        "field_visits": "yes" if volunteer.field_visits else "",
        "available_from": volunteer.available_from.strftime("%H:%M") if volunteer.available_from else "",
        "available_to": volunteer.available_to.strftime("%H:%M") if volunteer.available_to else "",
    }  # fmt: skip


@portal_bp.route("/offer", methods=["GET", "POST"])
@require(OFFER)
def offer():
    outcome = FormOutcome()
    form = request.form if request.method == "POST" else _offer_form(services.own_volunteer(current_user))
    if request.method == "POST":
        with form_transaction() as outcome:
            services.offer(VolunteerOfferSchema().load(forms.volunteer_form(request.form)), current_user)
        if outcome.ok:
            flash(_("Thank you. The association will tell you its decision."), "success")
            return redirect(url_for(".home"))
    return render_template(
        "volunteers/portal_offer.html", form=form, errors=outcome.errors, **forms.context()
    ), outcome.status


@portal_bp.route("/opportunities/<int:opportunity_id>/apply", methods=["POST"])
@require(OFFER)
def apply(opportunity_id):
    with form_transaction() as outcome:
        services.apply(get_or_404(Opportunity, opportunity_id), current_user)
    flash(
        _("You applied; the coordinator will confirm your place.") if outcome.ok else outcome.message,
        "success" if outcome.ok else "danger",
    )
    return redirect(url_for(".home"))


def _own_assignment(assignment_id: int) -> Assignment:
    """The volunteer's own place (404 for anyone else's: its existence is not revealed)."""
    volunteer = services.own_volunteer(current_user)
    assignment = get_or_404(Assignment, assignment_id)
    if volunteer is None or assignment.volunteer_id != volunteer.id:
        raise NotFound()
    return assignment


@portal_bp.route("/assignments/<int:assignment_id>/<step>", methods=["POST"])
@require(OFFER)
def clock(assignment_id, step):
    if step not in ("check_in", "check_out", "withdraw"):
        raise NotFound()
    assignment = _own_assignment(assignment_id)
    with form_transaction() as outcome:
        getattr(services, step)(assignment, current_user)
    messages = {
        "check_in": _("You checked in. Check out when you leave."),
        "check_out": _("You checked out. Your supervisor will confirm the hours."),
        "withdraw": _("Your place was freed."),
    }
    flash(messages[step] if outcome.ok else outcome.message, "success" if outcome.ok else "danger")
    return redirect(url_for(".home"))


@portal_bp.route("/opportunities/<int:opportunity_id>/day-list")
@require(OFFER)
def day_list(opportunity_id):
    opportunity = get_or_404(Opportunity, opportunity_id)
    if not services.may_see_day_list(opportunity, current_user):
        raise NotFound()
    return render_template(
        "volunteers/day_list.html",
        opportunity=opportunity,
        entries=services.day_list(opportunity, current_user),
        back_url=url_for(".home"),
        **forms.context(),
    )


def _certificate(template: str) -> str:
    volunteer = services.own_volunteer(current_user)
    if volunteer is None or volunteer.state not in ("accepted", "inactive"):
        raise NotFound()
    history = [(a, o) for a, o in services.history(volunteer) if a.hours_state == "confirmed"]
    return render_template(
        template,
        volunteer=volunteer,
        history=history,
        total=services.confirmed_minutes(volunteer),
        tenant=require_tenant(),
        today=services.today(),
        back_url=url_for(".home"),
        pdf_url=url_for(".certificate_pdf"),
        **forms.context(),
    )


@portal_bp.route("/certificate")
@require(OFFER)
def certificate():
    """The certificate of confirmed hours, a print page on the association's letterhead."""
    return _certificate("volunteers/certificate.html")


@portal_bp.route("/certificate.pdf")
@require(OFFER)
def certificate_pdf():
    """The same certificate as a PDF (Arabic shaped, core.pdf); 503 where PDFs cannot be made."""
    body = render_pdf(_certificate("volunteers/certificate_pdf.html"), base_url=request.url)
    return download_response(body, "volunteer-hours.pdf", PDF_MIMETYPE)

"""Supporter pages: the list (by pipeline stage, overdue instalments), a supporter's page (its
contacts, agreements, pledges, gifts), recording a gift, the receipt to print, the donations
list with its XLSX export, and the supporter's report. All need ``supporters.manage``."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from marshmallow import ValidationError

from ..aid.models import SEASONS, CatalogItem
from ..auth.permissions import require
from ..calendar import AnyDate
from ..downloads import download_response
from ..errors import NotFound
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import current_language
from ..i18n import gettext as _
from ..lookup import get_in_tenant, get_or_404
from ..pdf import PDF_MIMETYPE, render_pdf
from ..requests.services import catalog
from ..tenancy import require_tenant
from . import services
from .labels import CAMPAIGN_LABELS
from .models import (
    AGREEMENT_KINDS,
    CHANNELS,
    DONATION_KINDS,
    KINDS,
    METHODS,
    STAGES,
    Agreement,
    Donation,
    Supporter,
)
from .queries import donations_query, supporters_query
from .schemas import (
    AgreementInSchema,
    DonationInSchema,
    PledgeFormSchema,
    SupporterContactInSchema,
    SupporterInSchema,
    SupporterStageSchema,
)

bp = Blueprint("supporters", __name__, template_folder="templates")
MANAGE = services.PERMISSION
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUPPORTER_FIELDS = (
    "kind",
    "name",
    "contact_name",
    "phone",
    "email",
    "city",
    "preferred_channel",
    "owner_id",
    "note",
)


def _form_data(form, fields: tuple[str, ...]) -> dict:
    """The submitted fields that are not blank (a blank field is a missing one)."""
    return {k: form[k].strip() for k in fields if (form.get(k) or "").strip()}


def _programs() -> list[tuple[int, str]]:
    lang = current_language()
    return [(i.id, i.name_ar if lang == "ar" else i.name_en) for i in catalog()]


def _choices() -> dict:
    programs = _programs()
    return {
        "kinds": KINDS, "stages": STAGES, "channels": CHANNELS, "donation_kinds": DONATION_KINDS, "methods": METHODS,
        "agreement_kinds": AGREEMENT_KINDS, "seasons": SEASONS, "programs": programs, "program_names": dict(programs),
        "campaign_labels": CAMPAIGN_LABELS,
    }  # fmt: skip


def _dates(args) -> tuple[date, date]:
    """The period of a list or report: ``start``/``end`` in any calendar, else this year so far."""
    today = services.today()
    field = AnyDate()
    errors: dict = {}
    found = {}
    for key, default in (("start", date(today.year, 1, 1)), ("end", today)):
        text = (args.get(key) or "").strip()
        try:
            found[key] = field.deserialize(text) if text else default
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    if found["end"] < found["start"]:
        raise ValidationError({"end": [_("The end date cannot be before the start date.")]})
    return found["start"], found["end"]


@bp.route("/")
@require(MANAGE)
def index():
    view = request.args.get("view", "all")
    stage = request.args.get("stage") if request.args.get("stage") in STAGES else None
    search = request.args.get("q", "").strip()[:100] or None
    today = services.today()
    if view == "overdue":
        return render_template(
            "supporters/overdue.html", rows=services.overdue_instalments(today), today=today
        )
    items = db.session.scalars(supporters_query(stage, None, search)).all()
    return render_template(
        "supporters/index.html", items=items, stage=stage, search=search or "", **_choices()
    )


@bp.route("/new", methods=["GET", "POST"])
@require(MANAGE)
def new():
    outcome = FormOutcome()
    if request.method == "POST":
        with form_transaction() as outcome:
            data = _form_data(request.form, SUPPORTER_FIELDS) | {
                "consent_channels": request.form.getlist("consent_channels")
            }
            supporter = services.create_supporter(SupporterInSchema().load(data), current_user)
        if outcome.ok:
            flash(_("Supporter recorded."), "success")
            return redirect(url_for(".detail", supporter_id=supporter.id))
    return render_template(
        "supporters/form.html", form=request.form, consents=request.form.getlist("consent_channels"), item=None,
        errors=outcome.errors, staff=services.staff_members(), **_choices(),
    ), outcome.status  # fmt: skip


@bp.route("/<int:supporter_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit(supporter_id):
    supporter = get_or_404(Supporter, supporter_id)
    outcome = FormOutcome()
    form = (
        request.form
        if request.method == "POST"
        else {k: getattr(supporter, k) or "" for k in SUPPORTER_FIELDS}
    )
    consents = (
        request.form.getlist("consent_channels") if request.method == "POST" else supporter.consent_channels
    )
    if request.method == "POST":
        with form_transaction() as outcome:
            data = {k: None for k in SUPPORTER_FIELDS if k not in ("kind", "name")}
            data |= _form_data(request.form, SUPPORTER_FIELDS) | {"consent_channels": consents}
            services.update_supporter(supporter, SupporterInSchema().load(data), current_user)
        if outcome.ok:
            flash(_("Supporter updated."), "success")
            return redirect(url_for(".detail", supporter_id=supporter.id))
    return render_template(
        "supporters/form.html", form=form, consents=consents, item=supporter, errors=outcome.errors,
        staff=services.staff_members(), **_choices(),
    ), outcome.status  # fmt: skip


def _detail(supporter: Supporter, errors: dict | None = None, status: int = 200, form=None):
    today = services.today()
    return render_template(
        "supporters/detail.html",
        item=supporter,
        today=today,
        owner=dict(services.staff_members()).get(supporter.owner_id),
        next_stages=services.allowed_stages(supporter),
        contacts=services.contacts_of(supporter),
        agreements=services.agreements_of(supporter),
        pledges=[services.pledge_view(p, today) for p in services.pledges_of(supporter)],
        donations=services.donations_of(supporter),
        errors=errors or {},
        failed={key.split("-")[0] for key in errors or {}},
        form=form or {},
        **_choices(),
    ), status


@bp.route("/<int:supporter_id>")
@require(MANAGE)
def detail(supporter_id):
    return _detail(get_or_404(Supporter, supporter_id))


# What each form of the supporter's page does, and what it says when done.
def _stage(supporter, form):
    data = SupporterStageSchema().load(_form_data(form, ("stage", "reason")))
    services.move_stage(supporter, data["stage"], current_user, reason=data["reason"])
    return _("The supporter's stage was changed.")


def _contact(supporter, form):
    services.record_contact(
        supporter,
        SupporterContactInSchema().load(_form_data(form, ("channel", "contacted_on", "note"))),
        current_user,
    )
    return _("The contact was recorded.")


def _agreement(supporter, form):
    data = AgreementInSchema().load(_form_data(form, ("kind", "title", "starts_on", "ends_on", "amount")))
    upload = request.files.get("file")
    body = upload.read() if upload and upload.filename else None
    services.create_agreement(
        supporter, data, current_user, file=body, filename=upload.filename if upload else None
    )
    return _("The agreement was recorded.")


def _pledge(supporter, form):
    data = PledgeFormSchema().load(
        _form_data(
            form,
            (
                "total",
                "pledged_on",
                "count",
                "first_due_on",
                "every_months",
                "catalog_item_id",
                "season",
                "note",
            ),
        )
    )
    data["instalments"] = services.split_instalments(
        data["total_halalas"], data.pop("count"), data.pop("first_due_on"), data.pop("every_months")
    )
    services.create_pledge(supporter, data, current_user)
    return _("The pledge was recorded.")


STEPS = {"stage": _stage, "contact": _contact, "agreement": _agreement, "pledge": _pledge}


@bp.route("/<int:supporter_id>/step/<action>", methods=["POST"])
@require(MANAGE)
def step(supporter_id, action):
    supporter = get_or_404(Supporter, supporter_id)
    if action not in STEPS:
        raise NotFound()
    message = None
    with form_transaction() as outcome:
        message = STEPS[action](supporter, request.form)
    if outcome.ok:
        flash(message, "success")
        return redirect(url_for(".detail", supporter_id=supporter.id))
    db.session.refresh(supporter)
    return _detail(
        supporter, {f"{action}-{k}": v for k, v in outcome.errors.items()}, outcome.status, request.form
    )


@bp.route("/agreements/<int:agreement_id>/file")
@require(MANAGE)
def agreement_file(agreement_id):
    agreement = get_or_404(Agreement, agreement_id)
    if not agreement.has_file:
        raise NotFound(_("No file was attached to this agreement."))
    body = services.agreement_file(agreement, current_user)
    db.session.commit()
    return download_response(body, agreement.filename, agreement.content_type)


DONATION_FIELDS = (
    "supporter_id",
    "kind",
    "method",
    "amount",
    "description",
    "quantity",
    "received_on",
    "catalog_item_id",
    "season",
    "instalment_id",
)


@bp.route("/donations/new", methods=["GET", "POST"])
@require(MANAGE)
def new_donation():
    outcome = FormOutcome()
    form = request.form if request.method == "POST" else {"supporter_id": request.args.get("supporter_id", ""),
                                                           "instalment_id": request.args.get("instalment_id", ""),
                                                           "received_on": services.today().isoformat()}  # fmt: skip
    if request.method == "POST":
        with form_transaction() as outcome:
            donation = services.record_donation(
                DonationInSchema().load(_form_data(request.form, DONATION_FIELDS)), current_user
            )
        if outcome.ok:
            flash(_("Donation recorded with receipt %(number)s.", number=donation.receipt_number), "success")
            return redirect(url_for(".receipt", donation_id=donation.id))
    supporters = db.session.scalars(supporters_query()).all()
    return render_template(
        "supporters/donation_form.html", form=form, errors=outcome.errors, supporters=supporters, **_choices()
    ), outcome.status


@bp.route("/donations")
@require(MANAGE)
def donations():
    errors: dict = {}
    try:
        start, end = _dates(request.args)
    except ValidationError as error:
        errors, (start, end) = error.messages, _dates({})
    rows = db.session.execute(
        donations_query(start, end).add_columns(Supporter.name).join(
            Supporter, (Supporter.id == Donation.supporter_id) & (Supporter.tenant_id == Donation.tenant_id))
    ).all()  # fmt: skip
    return render_template(
        "supporters/donations.html", rows=rows, start=start, end=end, errors=errors,
        total=sum(d.value_halalas for d, _n in rows), **_choices(),
    ), 422 if errors else 200  # fmt: skip


@bp.route("/donations/export.xlsx")
@require(MANAGE)
def export():
    start, end = _dates(request.args)
    body = services.export_xlsx(current_user, start, end)
    db.session.commit()
    return download_response(body, "donations.xlsx", XLSX)


def _receipt_context(donation_id: int, lang: str) -> dict:
    donation = get_or_404(Donation, donation_id)
    supporter = get_or_404(Supporter, donation.supporter_id)
    item = get_in_tenant(CatalogItem, donation.catalog_item_id) if donation.catalog_item_id else None
    return {
        "donation": donation, "supporter": supporter, "tenant": require_tenant(), "today": services.today(),
        "program": (item.name_ar if lang == "ar" else item.name_en) if item else None,
        "back_url": url_for(".detail", supporter_id=supporter.id), "campaign_labels": CAMPAIGN_LABELS, "lang": lang,
    }  # fmt: skip


def _receipt_language() -> str:
    """Receipts are Arabic unless ``?lang=en`` asks for English."""
    return "en" if request.args.get("lang") == "en" else "ar"


@bp.route("/donations/<int:donation_id>/receipt")
@require(MANAGE)
def receipt(donation_id):
    """The receipt on the association's letterhead, to print."""
    lang = _receipt_language()
    with force_locale(lang):
        return render_template("supporters/receipt.html", **_receipt_context(donation_id, lang))


@bp.route("/donations/<int:donation_id>/receipt.pdf")
@require(MANAGE)
def receipt_pdf(donation_id):
    """The receipt as a PDF (Arabic shaped, core.pdf); a translated 503 where PDFs cannot be made."""
    lang = _receipt_language()
    with force_locale(lang):
        context = _receipt_context(donation_id, lang)
        body = render_pdf(
            render_template("supporters/receipt_pdf.html", **context), base_url=request.url_root
        )
    return download_response(body, f"receipt-{context['donation'].receipt_number}.pdf", PDF_MIMETYPE)


@bp.route("/<int:supporter_id>/report")
@require(MANAGE)
def report(supporter_id):
    """The supporter's report for a period, printable: aggregates only, never a name."""
    supporter = get_or_404(Supporter, supporter_id)
    try:
        start, end = _dates(request.args)
    except ValidationError as error:
        start, end = _dates({})
        return render_template("supporters/report.html", report=None, supporter=supporter, start=start, end=end,
                               errors=error.messages, tenant=require_tenant(), today=services.today(),
                               back_url=url_for(".detail", supporter_id=supporter.id), **_choices()), 422  # fmt: skip
    found = services.produce_report(supporter, start, end, current_user)
    db.session.commit()
    return render_template(
        "supporters/report.html", report=found, supporter=supporter, start=start, end=end, errors={},
        tenant=require_tenant(), today=services.today(), back_url=url_for(".detail", supporter_id=supporter.id),
        **_choices(),
    )  # fmt: skip

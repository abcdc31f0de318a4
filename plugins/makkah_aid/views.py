"""The plugin's pages (``/t/<tenant>/makkah_aid/…``): assessment, violations,
renewal rounds, exclusion proposals, and the applicant's portal page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from marshmallow import ValidationError

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    FormOutcome,
    NumberFormatError,
    Panel,
    User,
    ask_confirmation,
    can,
    confirmed,
    current_language,
    db,
    form_transaction,
    format_halalas,
    get_or_404,
    parse_date,
    parse_halalas,
    parse_int,
    policies_in_force,
    require,
    users_with_role,
)

from . import rules, services
from .i18n import _, _domain, _l, ngettext
from .models import ExclusionProposal, RenewalRound, Violation

bp = Blueprint("makkah_aid", __name__, template_folder="templates")

NEED_LABELS = {
    "food_drink": _l("Food and drink"),
    "medical": _l("Medical care"),
    "housing": _l("Housing"),
    "education": _l("Basic education"),
}

# The keys of an exclusion proposal's evidence (rules.py and staff proposals), shown as labels.
EVIDENCE_LABELS = {
    "due_on": _l("Renewal due on"),
    "days_late": _l("Days late"),
    "allowed_days": _l("Days allowed"),
    "sponsored_workers": _l("Sponsored workers"),
    "allowed": _l("Allowed"),
    "city": _l("City"),
    "service_area": _l("Service area"),
    "name": _l("Name"),
    "birth_date": _l("Birth date"),
    "studying": _l("Studying"),
    "age_limit": _l("Age limit"),
    "marital_status": _l("Marital status"),
}


def violation_label(code: str) -> str:
    """The label of a violation code on the tenant's ladder (the code itself if no longer there)."""
    entry = next((item for item in services.settings()["ladder"] if item["code"] == code), None)
    return services.label(entry) if entry else code


@bp.context_processor
def _i18n():
    return {
        "_": _domain.template_gettext,
        "ngettext": _domain.ngettext,
        "sar": lambda halalas: format_halalas(int(halalas or 0)),
        "label": services.label,
        "need_labels": NEED_LABELS,
        "evidence_labels": EVIDENCE_LABELS,
        "violation_label": violation_label,
        "sanction_text": services.sanction_text,
    }


def _money(form, name: str, errors: dict, required: bool = False) -> int | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = parse_halalas(raw)
        if value < 0:
            raise NumberFormatError(raw)
        return value
    except (NumberFormatError, TypeError, ValueError):
        errors[name] = [_("Enter an amount in riyals, with at most two decimals.")]
        return None


def _date(form, name: str, errors: dict):
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except (ValueError, TypeError):
        errors[name] = [_("Enter a date, Hijri (1447-05-12) or Gregorian (2025-11-03).")]
        return None


@bp.route("/")
@require("makkah_aid.view")
def index():
    return redirect(url_for(".assessments"))


# --------------------------------------------------------------------------- assessments


@bp.route("/assessments")
@require("makkah_aid.view")
def assessments():
    items = list(
        db.session.scalars(
            db.select(AidRequest)
            .where(
                AidRequest.state.in_(
                    (
                        "in_research",
                        "field_visit_scheduled",
                        "visited",
                        "verified",
                        "in_committee",
                        "approved",
                        "rejected",
                    )
                )
            )
            .order_by(AidRequest.id.desc())
        )
    )
    latest = services.latest_assessments(items)
    rows = [(item, latest.get(item.id)) for item in items]
    return render_template("makkah_aid/assessments.html", rows=rows)


@bp.route("/requests/<int:request_id>/assessment", methods=["GET", "POST"])
@require("makkah_aid.view")
def assessment(request_id):
    item = get_or_404(AidRequest, request_id)
    file = services.file_of(item)
    people = services.people_for(item, file)
    errors: dict = {}
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        if not can(current_user, "makkah_aid.assess"):
            abort(403)
        needs = {key: _money(form, f"need_{key}", errors) or 0 for key in rules.NEED_ITEMS}
        incomes = []
        for person in people:
            value = _money(form, f"income_{person.key}", errors)
            resides = True if person.is_head else form.get(f"resides_{person.key}") == "on"
            incomes.append(
                {
                    "key": person.key,
                    "annual_income": person.annual_income if value is None else value,
                    "resides_permanently": resides,
                }
            )
        with form_transaction() as outcome:
            if errors:
                raise ValidationError(errors)
            services.record_assessment(
                item,
                {
                    "needs": needs,
                    "incomes": incomes,
                    "notes": form.get("notes", ""),
                    "category_override_reason": form.get("category_override_reason", ""),
                },
                current_user,
            )
        if outcome.ok:
            flash(_("The assessment was recorded."), "success")
            return redirect(url_for(".assessment", request_id=item.id))
    latest = services.latest_assessment(item)
    history = services.assessments_of(item)
    version_id = request.args.get("version", type=int)
    shown = next((a for a in history if a.id == version_id), latest)
    return render_template(
        "makkah_aid/assessment.html",
        item=item,
        people=people,
        shown=shown,
        history=history,
        explanation=services.explain(shown) if shown else "",
        category_verdict=services.category_verdict(shown) if shown else None,
        category_now=services.category_check(file),
        problem_labels=services.problem_labels,
        file=file,
        errors=outcome.errors,
        form=form,
        need_items=rules.NEED_ITEMS,
    ), outcome.status


def request_panels(item: AidRequest, user) -> list:
    """The need-gap assessment inline on core's request page: the band and the ceiling in
    words, the figures, and the link to (re)assess (``register_request_panels``)."""
    if item.state == "draft" or not can(user, "makkah_aid.view"):
        return []
    latest = services.latest_assessment(item)
    band = ""
    if latest is not None:
        band = latest.figures.get(f"band_label_{current_language()}") or latest.band or ""
    html = render_template(
        "makkah_aid/request_panel.html",
        _=_domain.gettext,
        sar=lambda halalas: format_halalas(int(halalas or 0)),
        item=item,
        assessment=latest,
        band=band,
        explanation=services.explain(latest) if latest is not None else "",
        category_verdict=services.category_verdict(latest) if latest is not None else None,
        can_assess=can(user, "makkah_aid.assess"),
    )
    return [Panel("makkah-gap", _l("Need-gap assessment (Makkah association)"), Markup(html), order=50)]


def household_panels(household, file, user) -> list:
    """The sanctions in force on the household's file, in words (what, since, until, who):
    on core's household page whatever the file's status (``register_household_panels``)."""
    if file is None or not can(user, "makkah_aid.view"):
        return []
    sanctions = services.sanctions_in_force(file)
    ids = {v.recorded_by_id for v in sanctions if v.recorded_by_id}
    names = (
        {u.id: (u.name or u.email) for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}
        if ids
        else {}
    )
    html = render_template(
        "makkah_aid/household_sanctions.html",
        _=_domain.gettext,
        state=services.displayed_state(file),
        circumstances=services.circumstances_of(file),
        circumstance_label=services.circumstance_label,
        sanctions=sanctions,
        names=names,
        file=file,
        violation_label=violation_label,
        sanction_text=services.sanction_text,
    )
    return [Panel("makkah-sanctions", _l("Sanctions of the violations ladder"), Markup(html), order=40)]


# --------------------------------------------------------------------------- violations


@bp.route("/violations", methods=["GET"])
@require("makkah_aid.view")
def violations_index():
    file_id = request.args.get("file_id", type=int)
    if file_id:
        return redirect(url_for(".file_violations", file_id=file_id))
    recent = list(db.session.scalars(db.select(Violation).order_by(Violation.id.desc()).limit(50)))
    return render_template("makkah_aid/violations_index.html", recent=recent)


@bp.route("/files/<int:file_id>/violations", methods=["GET", "POST"])
@require("makkah_aid.view")
def file_violations(file_id):
    file = get_or_404(BeneficiaryFile, file_id)
    errors: dict = {}
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST" and form.get("action") not in ("lift", "pledge"):
        if not can(current_user, "makkah_aid.violations"):
            abort(403)
        severe = services.severe_next_sanction(file, form.get("code", ""))
        if severe is not None and not confirmed(form):
            return ask_confirmation(
                title=_("Record “%(violation)s” on file %(id)s?", violation=severe["label"], id=file.id),
                affects=[
                    _("Occurrence %(n)s of this violation on the file.", n=severe["occurrence"]),
                    _("Sanction: %(sanction)s.", sanction=services.sanction_text(severe["sanction"])),
                    _("The family's services stop with no end date."),
                ],
                action_url=url_for(".file_violations", file_id=file.id),
                fields=form,
                button=_("Yes, record it and apply the sanction"),
                cancel_url=url_for(".file_violations", file_id=file.id),
            )
    done = ""
    if request.method == "POST":
        with form_transaction() as outcome:
            if form.get("action") == "lift":
                if not can(current_user, "makkah_aid.lift"):
                    abort(403)
                violation = get_or_404(Violation, parse_int(form.get("violation_id", "0")), file_id=file.id)
                note = (form.get("note") or "").strip()
                if not note:
                    raise ValidationError({"note": [_("Record how the condition was met.")]})
                services.lift(violation, current_user, note)
                done = _("The sanction was lifted: %(violation)s.", violation=violation_label(violation.code))
            elif form.get("action") == "pledge":
                if not can(current_user, "makkah_aid.violations"):
                    abort(403)
                upload = request.files.get("file")
                data = upload.read() if upload else b""
                services.attach_pledge(file, data, upload.filename if upload else None, current_user)
                done = _("The signed pledge was attached to file %(id)s.", id=file.id)
            else:
                if not can(current_user, "makkah_aid.violations"):
                    abort(403)
                occurred_on = _date(form, "occurred_on", errors)
                if not form.get("code"):
                    errors["code"] = [_("Choose the violation.")]
                if errors:
                    raise ValidationError(errors)
                violation = services.record_violation(
                    file,
                    {
                        "code": form.get("code", ""),
                        "occurred_on": occurred_on,
                        "notes": form.get("notes", ""),
                        "documented_by": {
                            role: parse_int(form[f"documented_by.{role}"])
                            for role in _documenting_roles()
                            if form.get(f"documented_by.{role}")
                        },
                    },
                    current_user,
                )
                done = _(
                    "Violation recorded on file %(id)s: %(violation)s — %(sanction)s.",
                    id=file.id,
                    violation=violation_label(violation.code),
                    sanction=services.sanction_text(
                        violation.sanction, violation.ends_on, violation.documenters
                    ),
                )
        if outcome.ok:
            flash(done, "success")
            return redirect(url_for(".file_violations", file_id=file.id))
    services.lift_expired(file)
    violations = services.violations_of(file)
    pledges = services.pledge_statuses(violations, file)
    state = services.displayed_state(file, violations=violations)
    db.session.commit()
    return render_template(
        "makkah_aid/violations.html",
        file=file,
        state=state,
        violations=violations,
        pledges=pledges,
        pledge_label=services.pledge_status_label,
        next_sanctions=services.next_sanctions(file),
        ladder=services.settings()["ladder"],
        documenters={role: users_with_role(role) for role in _documenting_roles()},
        role_label=services.role_label,
        errors=outcome.errors,
        form=form,
    ), outcome.status


def _documenting_roles() -> list[str]:
    """The roles some sanction of the ladder asks to document it (violation 3, second time)."""
    roles: dict[str, None] = {}
    for item in services.settings()["ladder"]:
        for sanction in item["sanctions"]:
            roles.update(dict.fromkeys(sanction.get("documented_by") or []))
    return list(roles)


# --------------------------------------------------------------------------- renewal rounds


@bp.route("/rounds", methods=["GET", "POST"])
@require("makkah_aid.view")
def rounds_page():
    done = ""
    errors: dict = {}
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        action = form.get("action")
        with form_transaction() as outcome:
            if action == "announce":
                if not can(current_user, "makkah_aid.rounds"):
                    abort(403)
                announced_on = _date(form, "announced_on", errors)
                title = (form.get("title") or "").strip()
                if not title:
                    errors["title"] = [_("Enter a title for the round.")]
                if errors:
                    raise ValidationError(errors)
                services.announce_round({"title": title, "announced_on": announced_on}, current_user)
                done = _("Renewal round announced: %(title)s.", title=title)
            elif action == "renew":
                if not can(current_user, "makkah_aid.renew"):
                    abort(403)
                renewal_round = get_or_404(RenewalRound, parse_int(form.get("round_id", "0")))
                renewed = get_or_404(BeneficiaryFile, parse_int(form.get("file_id", "0")))
                services.record_renewal(renewal_round, renewed, None, current_user)
                done = _("Renewal recorded for file %(id)s.", id=renewed.id)
            elif action == "scan":
                if not can(current_user, "makkah_aid.propose"):
                    abort(403)
                counts = services.tick()
                flash(
                    ngettext(
                        "%(num)s exclusion proposed.", "%(num)s exclusions proposed.", counts["proposed"]
                    ),
                    "info",
                )
        if outcome.ok:
            if done:
                flash(done, "success")
            return redirect(url_for(".rounds_page"))
    all_rounds = services.rounds()
    current = services.round_view(all_rounds[0]) if all_rounds else None
    rule_settings = services.settings()
    return render_template(
        "makkah_aid/rounds.html",
        rounds=all_rounds,
        current=current,
        next_round=rules.next_round_date(all_rounds[0].announced_on if all_rounds else None, rule_settings),
        rule_settings=rule_settings,
        errors=outcome.errors,
        form=form,
    ), outcome.status


# --------------------------------------------------------------------------- exclusion proposals


def exclusion_reason_label(code: str) -> str:
    entry = services.reason_entry(code)
    return services.label(entry) if entry else code


def _exclusion_question(proposal: ExclusionProposal, back: str) -> dict:
    """The confirmation page of an exclusion: the file, the reason, who stops counting and what
    the file becomes."""
    entry = services.reason_entry(proposal.reason) or {}
    reason = exclusion_reason_label(proposal.reason)
    if proposal.scope == "member":
        scope = _("One member of the household stops counting in its assessments; the file stays.")
    elif entry.get("outcome") == "closed":
        scope = _("The whole file is closed: no new aid for the household.")
    else:
        scope = _("The whole file is excluded: no new aid for the household.")
    return {
        "title": _("Confirm the exclusion of file %(id)s?", id=proposal.file_id),
        "affects": [_("Reason: %(reason)s.", reason=reason), scope],
        "action_url": url_for(".proposals_page", status=request.args.get("status", "proposed")),
        "fields": request.form,
        "button": _("Yes, confirm the exclusion of file %(id)s", id=proposal.file_id),
        "cancel_url": back,
    }


@bp.route("/proposals", methods=["GET", "POST"])
@require("makkah_aid.view")
def proposals_page():
    back = url_for(".proposals_page", status=request.args.get("status", "proposed"))
    if request.method == "POST" and request.form.get("action") == "confirm" and not confirmed(request.form):
        if not can(current_user, "makkah_aid.decide"):
            abort(403)
        proposal = get_or_404(ExclusionProposal, parse_int(request.form.get("proposal_id", "0")))
        return ask_confirmation(**_exclusion_question(proposal, back))
    done = ""
    if request.method == "POST":
        with form_transaction() as outcome:
            if form_action := request.form.get("action"):
                if form_action == "scan":
                    if not can(current_user, "makkah_aid.propose"):
                        abort(403)
                    counts = services.tick()
                    flash(
                        ngettext(
                            "%(num)s exclusion proposed.", "%(num)s exclusions proposed.", counts["proposed"]
                        ),
                        "info",
                    )
                else:
                    if not can(current_user, "makkah_aid.decide"):
                        abort(403)
                    proposal = get_or_404(ExclusionProposal, parse_int(request.form.get("proposal_id", "0")))
                    note = (request.form.get("note") or "").strip()
                    reason = exclusion_reason_label(proposal.reason)
                    if form_action == "confirm":
                        services.confirm(proposal, current_user, note)
                        done = _(
                            "Exclusion confirmed: file %(id)s — %(reason)s.",
                            id=proposal.file_id,
                            reason=reason,
                        )
                    else:
                        services.dismiss(proposal, current_user, note)
                        done = _(
                            "Exclusion proposal dismissed: file %(id)s — %(reason)s.",
                            id=proposal.file_id,
                            reason=reason,
                        )
        if outcome.ok:
            if done:
                flash(done, "success")
        else:
            flash(" ".join(str(m) for messages in outcome.errors.values() for m in messages), "danger")
        return redirect(back)
    status = request.args.get("status", "proposed")
    if status not in ("proposed", "confirmed", "dismissed", "all"):
        status = "proposed"
    return render_template(
        "makkah_aid/proposals.html",
        proposals=services.proposals(status),
        status=status,
        reason_entry=services.reason_entry,
        may_decide=lambda reason: services.may_decide(current_user, reason),
    )


# --------------------------------------------------------------------------- applicant portal


@bp.route("/portal")
@require("makkah_aid.portal")
def portal():
    """The applicant sees the announced renewal round and the reasons of decisions."""
    active = services.active_round()
    mine = services.files_of_user(current_user)
    renewals = []
    if active is not None:
        view = services.round_view(active)
        rows = {r["file_id"]: r for r in view["due"] + view["late"] + view["renewed"]}
        renewals = [(file, rows.get(file.id)) for file in mine]
    mine = services.requests_of_user(current_user)
    latest = services.latest_assessments(mine)
    requests_ = [(r, latest.get(r.id)) for r in mine]
    states = [(file, services.displayed_state(file)) for file in services.files_of_user(current_user)]
    db.session.commit()
    return render_template(
        "makkah_aid/portal.html",
        states=states,
        policies=policies_in_force(),
        active=services.round_view(active) if active else None,
        renewals=renewals,
        requests_=requests_,
        explain=services.explain,
    )

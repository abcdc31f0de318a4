"""Registry pages: search, household file, registration, import. Thin: rules live in services."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..audit.services import record
from ..auth.permissions import can, require
from ..documents.services import document_types, documents_of
from ..downloads import download_response
from ..extensions import db
from ..forms import ask_confirmation, confirmed, form_transaction
from ..i18n import gettext as _
from ..i18n import translate_messages
from ..labels import label
from ..lookup import get_or_404
from ..pagination import Paged, page_number
from . import importer, services
from .labels import LABELS
from .models import (
    GENDERS,
    HOUSING_TENURES,
    MARITAL_STATUSES,
    RELATIONSHIPS,
    BeneficiaryFile,
    Household,
    ImportJob,
)
from .panels import household_panels, registration_source
from .schemas import HouseholdMemberSchema, HouseholdSchema, RenewalSchema, StatusChangeSchema

bp = Blueprint("registry", __name__, url_prefix="/t/<tenant>/registry", template_folder="templates")
PER_PAGE = 20
PERSON_FORM_FIELDS = (
    "first_name", "father_name", "grandfather_name", "family_name", "national_id", "id_expiry", "nationality",
    "birth_date", "gender", "marital_status", "phone", "email", "national_address", "city", "job", "monthly_income",
)  # fmt: skip


def _choices() -> dict:
    return {
        "genders": [(g, services_label(g)) for g in GENDERS],
        "marital_statuses": [(m, services_label(m)) for m in MARITAL_STATUSES],
        "tenures": [(t, services_label(t)) for t in HOUSING_TENURES],
        "relationships": [(r, services_label(r)) for r in RELATIONSHIPS],
        "categories": [(c.code, c.label) for c in services.household_categories()],
    }


def services_label(code: str) -> str:
    return str(LABELS.get(code, code))


@bp.route("/")
@require("registry.read")
def search():
    q = request.args.get("q", "").strip()
    page = page_number()
    errors: dict = {}
    try:
        persons, total = services.search_persons(q, page, PER_PAGE) if q else ([], 0)
    except ValidationError as exc:
        persons, total, errors = [], 0, exc.messages
    households = services.households_of_many(persons)
    rows = [(p, households[p.id]) for p in persons]
    if q:
        record("registry.person.searched", "person", None, {"results": total})
        db.session.commit()
    recent = (
        []
        if q
        else list(
            db.session.execute(db.select(Household).order_by(Household.id.desc()).limit(10))
            .unique()
            .scalars()
        )
    )
    return render_template(
        "registry/search.html",
        q=q,
        rows=rows,
        total=total,
        paged=Paged(total=int(total), page=page, per_page=PER_PAGE),
        recent=recent,
        errors=errors,
    ), (422 if errors else 200)


MEMBER_FORM_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name", "national_id")


def _form_members(form) -> list[dict]:
    """The registration form's member rows (``member-<i>-<field>``) as typed; a row with no
    name is left out."""
    rows = []
    index = 0
    while f"member-{index}-first_name" in form:
        get = lambda name, i=index: (form.get(f"member-{i}-{name}") or "").strip()  # noqa: E731
        if get("first_name") or get("family_name"):
            rows.append(
                {
                    **{k: get(k) for k in MEMBER_FORM_FIELDS},
                    "relationship": get("relationship"),
                    "job": get("job"),
                    "income": get("income"),
                    "resides_with_head": form.get(f"member-{index}-resides_with_head") == "on",
                }
            )
        index += 1
    return rows


def _member_payload(row: dict) -> dict:
    person = {k: row[k] for k in MEMBER_FORM_FIELDS if row.get(k)}
    payload = {
        "person": person,
        "relationship": row.get("relationship", ""),
        "resides_with_head": row.get("resides_with_head", True),
    }
    if row.get("job"):
        payload["job"] = row["job"]
    if row.get("income"):
        payload["income"] = row["income"]
    return payload


def _form_household() -> dict:
    form = request.form
    head = {k: form.get(k, "") for k in PERSON_FORM_FIELDS}
    for key in ("gender", "marital_status"):
        if not head[key]:
            head.pop(key)
    return {
        "head": head,
        "housing_tenure": form.get("housing_tenure", ""),
        "annual_rent": form.get("annual_rent", ""),
        "category": form.get("category", "family"),
        "members": _form_members(form),
    }


def _flat_errors(messages: dict) -> dict:
    messages = translate_messages(messages)
    flat = {k: v for k, v in messages.items() if k not in ("head", "members")}
    head = messages.get("head")
    if isinstance(head, dict):
        flat.update(head)
    elif head:
        flat["national_id"] = head
    for index, errors in (messages.get("members") or {}).items():
        for key, value in (errors or {}).items():
            if key == "person" and isinstance(value, dict):
                flat.update({f"member-{index}-{k}": v for k, v in value.items()})
            else:
                flat[f"member-{index}-{key}"] = value
    return flat


@bp.route("/households/new", methods=["GET", "POST"])
@require("registry.write")
def new_household():
    """Register a household; a feature above the registry may start the form from one of its
    records and link it to the new file (``?for_request=<id>``: ``household_registration_source``)."""
    errors: dict = {}
    values: dict = {"housing_tenure": "rented", "category": "family", "nationality": ""}
    source = registration_source(request.args, current_user)
    if source is not None:
        values.update(source.prefill)
    if request.method == "POST":
        data = _form_household()
        values = {**data["head"], **{k: v for k, v in data.items() if k != "head"}}
        data["members"] = [_member_payload(row) for row in data["members"]]
        with form_transaction() as outcome:
            household = services.create_household(HouseholdSchema().load(data), user=current_user)
            if source is not None and source.link is not None:
                source.link(services.household_file(household), current_user)
        if outcome.status == 403:
            abort(403)
        errors = _flat_errors(outcome.errors) if outcome.message is None else outcome.errors
        if outcome.ok:
            if source is not None and source.done_url:
                flash(source.done_message or _("The household was registered."), "success")
                return redirect(source.done_url)
            flash(_("The household was registered."), "success")
            return redirect(url_for("registry.household", household_id=household.id))
    return render_template(
        "registry/new_household.html", values=values, errors=errors, source=source, **_choices()
    ), (422 if errors else 200)


def _render_household(
    household: Household, errors: dict | None = None, form: str | None = None, values=None, status: int = 422
):
    file = services.household_file(household)
    person_ids = [household.head_person_id, *(m.person_id for m in household.members)]
    return render_template(
        "registry/household.html",
        household=household,
        file=file,
        overdue=services.is_overdue(file),
        events=services.file_events(file),
        documents=documents_of(person_ids, household.id),
        panels=household_panels(household, file, current_user),
        document_types=document_types(),
        exclusion_reasons=services.exclusion_reasons(),
        income=services.household_income(household),
        duplicates=services.duplicate_signal(household.head),
        status_label=services.status_label,
        label=services_label,
        transitions=sorted(services.TRANSITIONS.get(file.status, ())),
        transitions_options=[
            (t, services.status_label(t)) for t in sorted(services.TRANSITIONS.get(file.status, ()))
        ],
        exclusion_options=[(c.code, c.label) for c in services.exclusion_reasons()],
        errors=errors or {},
        failed_form=form,
        values=values or {},
        can_write=can(current_user, "registry.write"),
        **_choices(),
    ), (status if errors else 200)


@bp.route("/households/<int:household_id>")
@require("registry.read")
def household(household_id: int):
    household = get_or_404(Household, household_id)
    record("registry.file.read", "household", household.id)
    db.session.commit()
    return _render_household(household)


@bp.route("/households/<int:household_id>/members", methods=["POST"])
@require("registry.write")
def add_member(household_id: int):
    household = get_or_404(Household, household_id)
    form = request.form
    person = {
        k: form.get(k, "")
        for k in (
            "first_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "national_id",
            "birth_date",
            "gender",
        )
    }
    if not person["gender"]:
        person.pop("gender")
    data = {
        "person": person,
        "relationship": form.get("relationship", ""),
        "job": form.get("job", ""),
        "income": form.get("income", ""),
        "resides_with_head": bool(form.get("resides_with_head")),
        "studying": bool(form.get("studying")),
    }
    with form_transaction() as outcome:
        services.add_member(household, HouseholdMemberSchema().load(data))
    if not outcome.ok:
        messages = translate_messages(outcome.errors)
        flat = {k: v for k, v in messages.items() if k != "person"}
        flat.update(messages.get("person") or {})
        household = get_or_404(Household, household_id)
        return _render_household(household, flat, "member", {**person, **form}, outcome.status)
    flash(_("The member was added."), "success")
    return redirect(url_for("registry.household", household_id=household.id) + "#members")


# Statuses that end a file's aid: the page asks before setting them (core.forms.ask_confirmation).
FINAL_STATUSES = frozenset({"excluded", "closed"})


def _loads(data: dict) -> bool:
    """Whether the status form is valid as typed (else its errors are shown, nothing is asked)."""
    try:
        StatusChangeSchema().load(data)
    except ValidationError:
        return False
    return True


@bp.route("/files/<int:file_id>/status", methods=["POST"])
@require("registry.status")
def change_status(file_id: int):
    file = get_or_404(BeneficiaryFile, file_id)
    household_id = file.household_id
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token", "confirmed") and v != ""}
    if data.get("status") in FINAL_STATUSES and not confirmed(request.form) and _loads(data):
        reason = data.get("exclusion_reason")
        return ask_confirmation(
            title=_(
                "Change file %(id)s to “%(status)s”?",
                id=file.id,
                status=services.status_label(data["status"]),
            ),
            affects=[
                _("The household gets no new aid while its file is excluded or closed."),
                *(
                    [_("Reason for exclusion: %(reason)s.", reason=label(reason, "exclusion_reason"))]
                    if reason
                    else []
                ),
                _("Note: %(reason)s", reason=data.get("reason", "")),
            ],
            action_url=url_for("registry.change_status", file_id=file.id),
            fields=request.form,
            button=_("Yes, change file %(id)s", id=file.id),
            cancel_url=url_for("registry.household", household_id=household_id) + "#history",
        )
    with form_transaction() as outcome:
        services.change_status(file, StatusChangeSchema().load(data), user=current_user)
    if not outcome.ok:
        household = get_or_404(Household, household_id)
        return _render_household(
            household, translate_messages(outcome.errors), "status", data, outcome.status
        )
    flash(
        _("File %(id)s is now “%(status)s”.", id=file_id, status=services.status_label(data["status"])),
        "success",
    )
    return redirect(url_for("registry.household", household_id=household_id) + "#history")


@bp.route("/files/<int:file_id>/renew", methods=["POST"])
@require("registry.write")
def renew(file_id: int):
    file = get_or_404(BeneficiaryFile, file_id)
    data = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    with form_transaction() as outcome:
        services.renew_file(file, RenewalSchema().load(data), user=current_user)
    if not outcome.ok:
        household = get_or_404(Household, file.household_id)
        return _render_household(
            household, translate_messages(outcome.errors), "renew", status=outcome.status
        )
    flash(_("The renewal was recorded."), "success")
    return redirect(url_for("registry.household", household_id=file.household_id))


# --------------------------------------------------------------------------- import / export


@bp.route("/import", methods=["GET", "POST"])
@require("registry.import")
def import_page():
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return render_template(
                "registry/import.html", errors={"file": [_("Choose a file to upload.")]}
            ), 422
        job = importer.start_import(
            upload.filename, upload.read(), bool(request.form.get("only_good_rows")), user=current_user
        )
        db.session.commit()
        return redirect(url_for("registry.import_job", job_id=job.id))
    jobs = db.session.execute(db.select(ImportJob).order_by(ImportJob.id.desc()).limit(10)).scalars().all()
    return render_template("registry/import.html", errors={}, jobs=jobs, columns=importer.COLUMNS)


@bp.route("/import/template.csv")
@require("registry.import")
def import_template():
    return download_response(importer.template_csv(), "registry-template.csv", "text/csv")


@bp.route("/import/<int:job_id>")
@require("registry.import")
def import_job(job_id: int):
    job = get_or_404(ImportJob, job_id)
    if job.status in ("pending", "running") and importer.check_interrupted(job):
        db.session.commit()
    return render_template(
        "registry/import_job.html",
        job=job,
        can_restart=importer.can_restart(job),
        column_label=importer.column_label,
    )


@bp.route("/import/<int:job_id>/restart", methods=["POST"])
@require("registry.import")
def restart_import(job_id: int):
    """Run an import left interrupted by a stopped process again from its stored file."""
    job = get_or_404(ImportJob, job_id)
    importer.restart_import(job, user=current_user)
    flash(_("The import was restarted."), "success")
    return redirect(url_for("registry.import_job", job_id=job.id))


@bp.route("/export.xlsx")
@require("registry.export")
def export():
    data = importer.export_xlsx()
    record("registry.exported", "registry", None, {"format": "xlsx"})
    db.session.commit()
    return download_response(
        data, "registry.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

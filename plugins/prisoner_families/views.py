"""Pages of the plugin (``/t/<tenant>/prisoner_families/…``). Thin: rules live in services."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from marshmallow import Schema, ValidationError

from core.toolkit import (
    Forbidden,
    FormOutcome,
    Household,
    Panel,
    Person,
    can,
    db,
    form_transaction,
    format_halalas,
    get_in_tenant,
    get_or_404,
    households_of_many,
    kpi_values,
    page_number,
    page_of,
    require,
    require_tenant,
    search_persons,
    upload_document,
)
from core.toolkit import today as tenant_today

from . import services
from .i18n import _, _domain, _l
from .kpis import DESCRIPTIONS
from .models import (
    CASE_TYPES,
    NEGOTIATION_OUTCOMES,
    PLACEMENT_KINDS,
    DebtCase,
    Enrolment,
    FollowUp,
    Prisoner,
    Program,
)
from .models import ProgramSession as SessionModel
from .schemas import (
    DebtCaseInSchema,
    EmploymentInSchema,
    EnrolmentInSchema,
    FamilyLinkInSchema,
    FollowUpInSchema,
    InterviewInSchema,
    NegotiationInSchema,
    PaymentInSchema,
    PeriodSchema,
    PlacementInSchema,
    PrisonerInSchema,
    ProgramInSchema,
    ReleaseSchema,
    SessionInSchema,
)

bp = Blueprint("prisoner_families", __name__, template_folder="templates")
P = "prisoner_families."


@bp.context_processor
def _i18n():
    return {
        "_": _domain.template_gettext,
        "ngettext": _domain.ngettext,
        "sar": lambda h: format_halalas(h or 0),
        "can_do": lambda action: can(current_user, P + action),
        "label": _label,
    }


LABELS = {
    "public_right": _l("Public right"),
    "private_right": _l("Private right"),
    "in_prison": _l("In prison"),
    "released": _l("Released"),
    "deceased": _l("Deceased"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "forgiveness": _l("Forgiven by the creditor"),
    "association_payment": _l("Paid by the association"),
    "other_payment": _l("Paid by others"),
    "forgave_all": _l("Forgave all"),
    "forgave_part": _l("Forgave part"),
    "refused": _l("Refused"),
    "pending": _l("Pending"),
    "passed": _l("Passed"),
    "failed": _l("Failed"),
    "school_canteen": _l("School canteen"),
    "exhibition": _l("Exhibition"),
    "pass": _l("Pass"),
    "fail": _l("Fail"),
}


def _label(code: str | None) -> str:
    return str(LABELS[code]) if code in LABELS else (code or "")


def _form(*booleans: str) -> dict:
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token", "action") and v.strip() != ""}
    for name in booleans:
        data[name] = name in request.form
    return data


def _load(schema: Schema, data: dict) -> dict:
    return schema.load(data)


# What each form did, for the success message ("Saved." says nothing): "<template>:<action>"
# where one action name serves several pages, else the action.
DONE = {
    "prisoner_families/index.html:create": _l("The prisoner was registered."),
    "prisoner_families/debt_cases.html:create": _l("The debt case was opened."),
    "prisoner_families/programs.html:create": _l("The programme was added."),
    "release": _l("The release was recorded."),
    "link": _l("The family was linked to the prisoner."),
    "negotiate": _l("The negotiation with the creditor was recorded."),
    "pay": _l("The payment was recorded on the debt case."),
    "defaults": _l("The seed programmes were added."),
    "enrol": _l("The enrolment was recorded."),
    "interview": _l("The enrolment interview was recorded."),
    "session": _l("The session was added."),
    "attendance": _l("The attendance was recorded."),
    "record": _l("The follow-up was recorded."),
    "place": _l("The job placement was recorded."),
    "employ": _l("The employment was recorded."),
    "request": _l("A draft request paying towards the debt case was created."),
}


def done_message(template: str, action: str) -> str:
    return str(DONE.get(f"{template}:{action}") or DONE[action])


def _handle(
    template: str, context: Callable[[], dict], actions: dict[str, tuple[str, Callable[[dict], str | None]]]
):
    """GET renders; POST runs the named action (permission, then service), commits once and
    redirects, or renders the page again with the field errors (422) or the refusal (409)."""
    outcome = FormOutcome()
    if request.method == "POST":
        entry = actions.get(request.form.get("action", ""))
        if entry is None:
            abort(400)
        permission, run = entry
        with form_transaction(P + permission) as outcome:
            target = run(dict(request.form))
        if outcome.ok:
            flash(done_message(template, request.form["action"]), "success")
            return redirect(target or request.url, code=303)
    return render_template(template, errors=outcome.errors, **context()), outcome.status


SEARCH_LIMIT = 20


def _paged(query, name: str, param: str = "page") -> dict:
    """A list's page for the template: ``<name>`` its rows, ``<name>_page`` where it stands
    (core's ``page_of``), ``<name>_args`` the query string its page links keep."""
    found = page_of(query, page_number(param))
    keep = {k: v for k, v in request.args.items() if k != param}
    return {name: found.rows, f"{name}_page": found, f"{name}_args": keep}


def _search(param: str) -> tuple[str, list[Person], int, list[str]]:
    """``?<param>=…`` through the registry's search (ID number, or a name in any spelling):
    the query as typed, the first matches, how many match, and why the query was refused."""
    q = request.args.get(param, "").strip()
    if not q:
        return q, [], 0, []
    try:
        persons, total = search_persons(q, 1, SEARCH_LIMIT)
    except ValidationError as exc:
        return q, [], 0, [str(m) for messages in exc.messages.values() for m in messages]
    return q, persons, total, []


def _chosen(model, field: str):
    """The row the submitted form chose (this tenant's only), kept on the page after a refusal."""
    value = request.form.get(field, "").strip()
    return get_in_tenant(model, int(value)) if value.isdigit() else None


def person_picker(param: str, field: str) -> dict:
    """Search box and radio choices of registry persons for the form's ``field``."""
    q, persons, total, problems = _search(param)
    choices = [{"id": p.id, "title": p.full_name, "detail": p.city or ""} for p in persons]
    chosen = _chosen(Person, field)
    if chosen is not None and chosen.id not in {c["id"] for c in choices}:
        choices.insert(0, {"id": chosen.id, "title": chosen.full_name, "detail": chosen.city or ""})
    return _picker(param, field, q, choices, total, len(persons), problems)


def household_picker(param: str, field: str, exclude: set[int] = frozenset()) -> dict:
    """Search box and radio choices of the households (head or member) of the persons found."""
    q, persons, total, problems = _search(param)
    found = households_of_many(persons)
    choices: list[dict] = []
    seen: set[int] = set(exclude)
    for person in persons:
        for household in found[person.id]:
            if household.id in seen:
                continue
            seen.add(household.id)
            detail = (
                "" if household.head_person_id == person.id else _("Member: %(name)s", name=person.full_name)
            )
            choices.append({"id": household.id, "title": household.head.full_name, "detail": detail})
    chosen = _chosen(Household, field)
    if chosen is not None and chosen.id not in seen:
        choices.insert(0, {"id": chosen.id, "title": chosen.head.full_name, "detail": ""})
    return _picker(param, field, q, choices, total, len(persons), problems)


def _picker(param, field, q, choices, total, shown, problems) -> dict:
    return {
        "param": param,
        "field": field,
        "q": q,
        "choices": choices,
        "total": total,
        "shown": shown,
        "problems": problems,
        "selected": request.form.get(field, ""),
        "keep": {k: v for k, v in request.args.items() if k != param},
    }


# --------------------------------------------------------------------------- prisoners


@bp.route("/", methods=["GET", "POST"])
@require(P + "view")
def index():
    def create(_raw):
        prisoner = services.create_prisoner(_load(PrisonerInSchema(), _form("insolvent")), current_user)
        return url_for(".prisoner", prisoner_id=prisoner.id)

    return _handle(
        "prisoner_families/index.html",
        lambda: {
            **_paged(services.prisoners_query(request.args.get("status")), "prisoners"),
            "person_search": person_picker("person_q", "person_id"),
            "case_types": CASE_TYPES,
            "form": request.form,
        },
        {"create": ("manage", create)},
    )


@bp.route("/prisoners/<int:prisoner_id>", methods=["GET", "POST"])
@require(P + "view")
def prisoner(prisoner_id: int):
    record = get_or_404(Prisoner, prisoner_id)

    def release(_raw):
        services.record_release(record, _load(ReleaseSchema(), _form())["released_on"], current_user)

    def link(_raw):
        data = _form()
        upload = request.files.get("evidence")
        if upload and upload.filename:
            document = upload_document(
                upload.read(),
                upload.filename,
                {"doc_type": "court_letter", "household_id": int(data.get("household_id") or 0) or None},
                current_user,
            )
            data["evidence_document_id"] = document.id
        services.link_family(record, _load(FamilyLinkInSchema(), data), current_user)

    def context():
        links = services.family_links(record)
        households = {
            h.id: h
            for h in db.session.scalars(
                db.select(Household).where(Household.id.in_([lk.household_id for lk in links]))
            )
        }
        return {
            "prisoner": record,
            "links": links,
            "households": households,
            "eligibility": _eligibility(links, households),
            "own_eligibility": services.assess(
                db.session.scalars(
                    db.select(Household).where(Household.head_person_id == record.person_id)
                ).first(),
                record.person,
            ),
            "cases": services.list_cases(prisoner_id=record.id),
            "follow_ups": services.list_follow_ups(prisoner_id=record.id),
            "household_search": household_picker("household_q", "household_id", exclude=set(households)),
            "form": request.form,
        }

    return _handle(
        "prisoner_families/prisoner.html",
        context,
        {"release": ("manage", release), "link": ("manage", link)},
    )


def _eligibility(links, households: dict) -> dict:
    """The conditions of each linked household (assessed together: a few queries for all)."""
    found = services.assess_households(list(households.values()))
    none = services.assess(None) if any(lk.household_id not in found for lk in links) else None
    return {lk.household_id: found.get(lk.household_id, none) for lk in links}


# --------------------------------------------------------------------------- debt cases


@bp.route("/debt-cases", methods=["GET", "POST"])
@require(P + "view")
def debt_cases():
    def create(_raw):
        case = services.create_case(_load(DebtCaseInSchema(), _form()), current_user)
        return url_for(".debt_case", case_id=case.id)

    return _handle(
        "prisoner_families/debt_cases.html",
        lambda: {
            **_paged(services.cases_query(request.args.get("status")), "cases"),
            "insolvent": services.list_prisoners(insolvent_private_right=True),
            "form": request.form,
        },
        {"create": ("debts", create)},
    )


@bp.route("/debt-cases/<int:case_id>", methods=["GET", "POST"])
@require(P + "view")
def debt_case(case_id: int):
    case = get_or_404(DebtCase, case_id)

    def negotiate(_raw):
        services.add_negotiation(case.id, _load(NegotiationInSchema(), _form()), current_user)

    def pay(_raw):
        data = _load(PaymentInSchema(), _form())
        services.add_entry(
            case.id, "other_payment", data["amount_halalas"], entry_date=data["paid_on"], payer=data["payer"],
            note=data.get("note") or "", actor=current_user,
        )  # fmt: skip

    def release(_raw):
        prisoner = get_or_404(Prisoner, case.prisoner_id)
        services.record_release(prisoner, _load(ReleaseSchema(), _form())["released_on"], current_user)

    def open_request(_raw):
        if not can(current_user, "requests.create"):
            raise Forbidden(_("Your role cannot take this step."))
        made = services.request_for_case(case, current_user)
        return url_for("requests.view", request_id=made.id)

    return _handle(
        "prisoner_families/debt_case.html",
        lambda: {
            "case": case,
            "entries": services.case_entries(case),
            "negotiations": services.case_negotiations(case),
            "outcomes": NEGOTIATION_OUTCOMES,
            "programs": services.insolvency_program_names(),
            "form": request.form,
        },
        {
            "negotiate": ("debts", negotiate),
            "pay": ("debts", pay),
            "release": ("manage", release),
            "request": ("view", open_request),
        },
    )


# --------------------------------------------------------------------------- rehabilitation


@bp.route("/programs", methods=["GET", "POST"])
@require(P + "view")
def programs():
    def create(_raw):
        program = services.create_program(
            _load(ProgramInSchema(), _form("requires_interview", "active")), current_user
        )
        return url_for(".program", program_id=program.id)

    def defaults(_raw):
        services.install_default_programs(current_user)

    return _handle(
        "prisoner_families/programs.html",
        lambda: {
            **_paged(services.programs_query(), "programs"),
            "default_percent": services.settings()["default_min_attendance_percent"],
            "form": request.form,
        },
        {"create": ("programs", create), "defaults": ("programs", defaults)},
    )


@bp.route("/programs/<int:program_id>", methods=["GET", "POST"])
@require(P + "view")
def program(program_id: int):
    record = get_or_404(Program, program_id)

    def enrol(_raw):
        services.enrol(record, _load(EnrolmentInSchema(), _form("fee_acknowledged")), current_user)

    def interview(_raw):
        data = _form()
        enrolment = get_or_404(Enrolment, int(data.pop("enrolment_id", "0") or 0), program_id=record.id)
        services.record_interview(enrolment, _load(InterviewInSchema(), data), current_user)

    def add_session(_raw):
        services.add_session(record, _load(SessionInSchema(), _form()), current_user)

    def attendance(_raw):
        session = get_or_404(SessionModel, int(request.form.get("session_id") or 0), program_id=record.id)
        present = set(request.form.getlist("present"))
        enrolments = services.program_enrolments(record)
        progress = services.enrolments_progress(record, enrolments)
        marks = [
            {"enrolment_id": e.id, "present": str(e.id) in present}
            for e in enrolments
            if progress[e.id]["interview_ok"]
        ]
        if marks:
            services.record_attendance(session, marks, current_user)

    def context():
        enrolments = services.program_enrolments(record)
        progress = services.enrolments_progress(record, enrolments)
        return {
            "program": record,
            "enrolments": [(e, progress[e.id]) for e in enrolments],
            "sessions": services.program_sessions(record),
            "candidates": services.list_prisoners(not_in_program=record.id, exclude_status="deceased"),
            "form": request.form,
        }

    return _handle(
        "prisoner_families/program.html",
        context,
        {
            "enrol": ("programs", enrol),
            "interview": ("programs", interview),
            "session": ("programs", add_session),
            "attendance": ("programs", attendance),
        },
    )


@bp.route("/follow-ups", methods=["GET", "POST"])
@require(P + "view")
def follow_ups():
    def record(_raw):
        data = _form()
        follow_up = get_or_404(FollowUp, int(data.pop("follow_up_id", "0") or 0))
        services.record_follow_up(follow_up, _load(FollowUpInSchema(), data), current_user)

    return _handle(
        "prisoner_families/follow_ups.html",
        lambda: {
            **_paged(services.follow_ups_query(), "follow_ups"),
            "months": services.settings()["follow_up_months"],
        },
        {"record": ("programs", record)},
    )


# --------------------------------------------------------------------------- self-reliance and KPIs


@bp.route("/self-reliance", methods=["GET", "POST"])
@require(P + "view")
def self_reliance():
    def place(_raw):
        services.add_placement(_load(PlacementInSchema(), _form()), current_user)

    def employ(_raw):
        services.add_employment(_load(EmploymentInSchema(), _form()), current_user)

    return _handle(
        "prisoner_families/self_reliance.html",
        lambda: {
            **_paged(services.placements_query(), "placements"),
            **_paged(services.employments_query(), "employments", "employments_page"),
            "household_search": household_picker("household_q", "household_id"),
            "person_search": person_picker("person_q", "person_id"),
            "kinds": PLACEMENT_KINDS,
            "form": request.form,
        },
        {"place": ("manage", place), "employ": ("manage", employ)},
    )


@bp.route("/kpis")
@require(P + "kpis")
def kpis():
    today = tenant_today()
    raw = {
        "start": request.args.get("start") or f"{today.year}-01-01",
        "end": request.args.get("end") or today.isoformat(),
    }
    errors: dict = {}
    values: list[dict] = []
    try:
        period = PeriodSchema().load(raw)
        values = [
            v for v in kpi_values(require_tenant(), period["start"], period["end"]) if v["key"].startswith(P)
        ]
    except ValidationError as exc:
        errors = exc.messages
    return render_template(
        "prisoner_families/kpis.html", values=values, period=raw, errors=errors, descriptions=DESCRIPTIONS
    ), (422 if errors else 200)


def request_panels(item, user) -> list:
    """On core's request page: the debt case the request pays towards, with what is left to pay
    (``register_request_panels``)."""
    case_id = ((item.extra or {}).get(services.PLUGIN_ID) or {}).get("debt_case_id")
    if not case_id or not can(user, P + "view"):
        return []
    case = get_in_tenant(DebtCase, case_id)
    if case is None:
        return []
    html = render_template(
        "prisoner_families/request_panel.html",
        _=_domain.gettext,
        sar=lambda h: format_halalas(h or 0),
        label=_label,
        case=case,
    )
    return [Panel("prisoner-debt-case", _l("Debt case paid by this request"), Markup(html), order=60)]

"""Staff pages of the plugin (``/t/<tenant>/productive_families/…``). Thin: rules live in services.
The producer's own pages are in ``portal.py``, the public showcase in ``public.py`` (same blueprint,
so disabling the plugin takes all of them down at once)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from marshmallow import ValidationError

from core.toolkit import (
    FormOutcome,
    Household,
    Panel,
    can,
    current_language,
    form_transaction,
    format_halalas,
    get_in_tenant,
    households_of_many,
    label,
    require,
    search_persons,
)

from . import rules, services
from .i18n import _, _l, domain
from .models import LICENCE_STATES, SALES_CHANNELS
from .settings import ACTIVITY_NAMES, activity_name

bp = Blueprint("productive_families", __name__, template_folder="templates")
P = "productive_families."


@bp.context_processor
def _context():
    return {
        "_": domain.template_gettext,
        "sar": lambda h: format_halalas(h or 0),
        "can_do": lambda action: can(current_user, P + action),
        "activity_name": activity_name,
        "code_label": label,
        "current_language": current_language,
        "local_mobile": rules.local_mobile,
    }


def form_data(*booleans: str, lists: tuple[str, ...] = ()) -> dict:
    """The submitted form as a schema's input: empty fields left out, check boxes as booleans,
    multi-choice fields as lists."""
    data = {
        k: v for k, v in request.form.items() if k not in ("csrf_token", "action", *lists) and v.strip() != ""
    }
    for name in booleans:
        data[name] = name in request.form
    for name in lists:
        data[name] = request.form.getlist(name)
    return data


PROFILE_LISTS = ("sales_channels",)

DONE = {
    "create": _l("The producer was registered."),
    "profile": _l("The profile was saved."),
    "licence": _l("The licence was updated."),
    "link": _l("The portal account was linked."),
    "showcase": _l("The public page settings were saved."),
    "product": _l("The product was saved."),
    "photo": _l("The photo was added."),
    "remove_photo": _l("The photo was removed."),
}


def handle(
    template: str, context: Callable[[], dict], actions: dict[str, tuple[str, Callable[[], str | None]]]
):
    """GET renders; POST runs the named action (permission, then service), commits once and
    redirects, or renders the page again with the field errors (422) or the refusal (409)."""
    outcome = FormOutcome()
    if request.method == "POST":
        entry = actions.get(request.form.get("action", ""))
        if entry is None:
            abort(400)
        permission, run = entry
        with form_transaction(permission) as outcome:
            target = run()
        if outcome.ok:
            flash(str(DONE[request.form["action"]]), "success")
            return redirect(target or request.url, code=303)
    return render_template(template, errors=outcome.errors, form=request.form, **context()), outcome.status


def choices() -> dict:
    """The options of the profile form, in words."""
    serves = services.settings()["activities"]
    return {
        "activities": [(code, ACTIVITY_NAMES[code]) for code in serves],
        "channels": [(code, label(code, "productive_families_channel")) for code in SALES_CHANNELS],
        "licence_states": [(code, label(code, "productive_families_licence")) for code in LICENCE_STATES],
    }


PROFILE_FIELDS = ("trade_name", "activity", "capacity", "financing_needs", "training_needs")


def profile_values(producer=None) -> dict:
    """What the profile form shows: the submitted values after a refusal, else the producer's."""
    if request.method == "POST" and request.form.get("action") in ("profile", "create"):
        values = {field: request.form.get(field, "") for field in PROFILE_FIELDS}
        values["sales_channels"] = request.form.getlist("sales_channels")
        return values
    values = {field: getattr(producer, field, "") if producer else "" for field in PROFILE_FIELDS}
    values["sales_channels"] = list(producer.sales_channels or []) if producer else []
    return values


SEARCH_LIMIT = 20


def household_picker(param: str = "household_q", field: str = "household_id") -> dict:
    """Search box (name in any spelling, or ID number) and radio choices of the households of the
    persons found; works without JavaScript."""
    q = request.args.get(param, "").strip()
    persons, total, problems = [], 0, []
    if q:
        try:
            persons, total = search_persons(q, 1, SEARCH_LIMIT)
        except ValidationError as exc:
            problems = [str(m) for messages in exc.messages.values() for m in messages]
    found = households_of_many(persons)
    options: list[dict] = []
    seen: set[int] = set()
    for person in persons:
        for household in found[person.id]:
            if household.id in seen:
                continue
            seen.add(household.id)
            detail = (
                "" if household.head_person_id == person.id else _("Member: %(name)s", name=person.full_name)
            )
            options.append({"id": household.id, "title": household.head.full_name, "detail": detail})
    # ``?household=<id>``: opened from a household's registry page (e.g. a prisoner's family).
    value = (request.form.get(field) or request.args.get("household", "")).strip()
    chosen = get_in_tenant(Household, int(value)) if value.isdigit() else None
    if chosen is not None and chosen.id not in seen:
        options.insert(0, {"id": chosen.id, "title": chosen.head.full_name, "detail": ""})
    return {
        "param": param,
        "field": field,
        "q": q,
        "choices": options,
        "total": total,
        "shown": len(persons),
        "problems": problems,
        "selected": value,
        "keep": {k: v for k, v in request.args.items() if k != param},
    }


@bp.route("/", methods=["GET", "POST"])
@require(P + "view")
def index():
    queue = request.args.get("queue") == "licence"

    def create():
        producer = services.create_producer(form_data(lists=PROFILE_LISTS), current_user)
        return url_for(".producer", producer_id=producer.id)

    return handle(
        "productive_families/index.html",
        lambda: {
            "producers": services.list_producers(licence_queue=queue, limit=services.settings()["page_size"]),
            "queue": queue,
            "search": household_picker(),
            "licensed": services.settings()["licensed_activities"],
            "profile": profile_values(),
            **choices(),
        },
        {"create": (P + "manage", create)},
    )


@bp.route("/producers/<int:producer_id>", methods=["GET", "POST"])
@require(P + "view")
def producer(producer_id: int):
    record = services.get_producer(producer_id)
    actions = {
        "profile": (
            P + "manage",
            lambda: services.update_profile(record, form_data(lists=PROFILE_LISTS), current_user),
        ),
        "licence": (P + "manage", lambda: services.change_licence(record, form_data(), current_user)),
        "link": (P + "manage", lambda: services.link_account(record, form_data(), current_user)),
    }
    return handle(
        "productive_families/producer.html",
        lambda: {
            "producer": record,
            "products": services.products_of([record.id]).get(record.id, []),
            "settings": services.settings(),
            "profile": profile_values(record),
            **choices(),
        },
        {name: (permission, _returning_none(run)) for name, (permission, run) in actions.items()},
    )


def _returning_none(run: Callable[[], object]) -> Callable[[], None]:
    def call() -> None:
        run()

    return call


@bp.route("/licensing")
@require(P + "view")
def licensing():
    """The reference lists the tenant keeps: activities needing a licence, their issuing bodies,
    the incentives for licensed families."""
    settings = services.settings()
    return render_template(
        "productive_families/licensing.html",
        licensed=settings["licensed_activities"],
        incentives=settings["incentives"],
        warning_days=settings["licence_warning_days"],
    )


def household_panel(household, user) -> list[Panel]:
    """On a household's registry page: its producer profile, or a link registering it as one."""
    if not can(user, P + "view"):
        return []
    producer = services.producer_of_household(household.id)
    if producer is None and not can(user, P + "manage"):
        return []
    html = render_template(
        "productive_families/household_panel.html",
        _=domain.template_gettext,
        activity_name=activity_name,
        code_label=label,
        producer=producer,
        household=household,
    )
    return [Panel("productive-family", _("Productive family"), Markup(html), order=60)]

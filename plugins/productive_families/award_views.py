"""Pages of the annual award: rounds (criteria and weights), one round (nominations, judges,
ranking, publishing) and each judge's own scoring page. Routes of the plugin's blueprint."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from core.toolkit import require

from . import services
from .i18n import _l
from .views import DONE, P, bp, form_data, handle

DONE.update(
    {
        "round": _l("The award round was added."),
        "nominate": _l("The nomination was added."),
        "judge": _l("The judge was added."),
        "scores": _l("Your scores were submitted."),
        "publish": _l("The winners were published."),
    }
)
CRITERIA_ROWS = 6


def criteria_from_form() -> dict:
    """The round form: up to six rows of criterion name and weight (empty rows ignored)."""
    data = {k: v for k, v in form_data().items() if not k.startswith("criterion_")}
    data["criteria"] = [
        {
            "name": request.form.get(f"criterion_name_{i}", ""),
            "weight": request.form.get(f"criterion_weight_{i}", ""),
        }
        for i in range(1, CRITERIA_ROWS + 1)
        if request.form.get(f"criterion_name_{i}", "").strip()
        or request.form.get(f"criterion_weight_{i}", "").strip()
    ]
    return data


@bp.route("/awards/", methods=["GET", "POST"])
@require(P + "view")
def awards():
    def create():
        award = services.create_round(criteria_from_form(), current_user)
        return url_for(".award", round_id=award.id)

    return handle(
        "productive_families/awards.html",
        lambda: {"rounds": services.list_rounds(), "rows": range(1, CRITERIA_ROWS + 1)},
        {"round": (P + "manage", create)},
    )


@bp.route("/awards/<int:round_id>", methods=["GET", "POST"])
@require(P + "view")
def award(round_id: int):
    record = services.get_round(round_id)
    actions = {
        "nominate": (P + "manage", lambda: services.nominate(record, form_data(), current_user) and None),
        "judge": (P + "manage", lambda: services.add_judge(record, form_data(), current_user) and None),
        "publish": (P + "manage", lambda: services.publish(record, current_user) and None),
    }
    visible = services.may_see_results(record, current_user)
    return handle(
        "productive_families/award.html",
        lambda: {
            "award": record,
            "nominations": services.nominations_of(record),
            "results": services.results(record, current_user) if visible else None,
            "is_judge": current_user.id in record.judge_ids,
            "producers": services.list_producers(),
        },
        actions,
    )


@bp.route("/awards/<int:round_id>/judge", methods=["GET", "POST"])
@require(P + "view")
def judge(round_id: int):
    """The judge's own page: each nomination, a 0–10 box per criterion; nobody else's scores."""
    record = services.get_round(round_id)
    if current_user.id not in record.judge_ids:
        abort(403)

    def submit():
        value = request.form.get("nomination_id", "")
        scores = {c["code"]: request.form.get(c["code"], "") for c in record.criteria}
        services.submit_scores(record, int(value) if value.isdigit() else 0, current_user, {"scores": scores})

    return handle(
        "productive_families/judge.html",
        lambda: {"award": record, "tasks": services.judge_tasks(record, current_user)},
        {"scores": (P + "view", submit)},
    )

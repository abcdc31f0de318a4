"""Training pages (seed 001, goal 6): programs, a program's enrolment, sessions, attendance and
closing; the registry of trainers and centres with their partnership contracts; a producer's
training needs and suggested programs. Routes of the plugin's blueprint (thin: rules in
``services.training`` and ``services.trainers``)."""

from __future__ import annotations

from datetime import date

from flask import request, url_for
from flask_login import current_user

from core.toolkit import current_language, label, require
from core.toolkit import today as tenant_today

from . import services
from .i18n import _l
from .models_training import TRAINER_KINDS, TRAINER_SCOPES
from .schemas_training import COUNTRIES, country_name
from .services.trainers import CONTRACT
from .settings import skill_name
from .views import DONE, P, bp, form_data, handle

DONE.update(
    {
        "program": _l("The training program was added."),
        "trainer": _l("The trainer was added to the registry."),
        "contract": _l("The partnership contract was added."),
        "enrol": _l("The producer was enrolled."),
        "session": _l("The session was added."),
        "attendance": _l("The attendance was saved."),
        "close": _l("The program was closed and the completions recorded."),
        "needs": _l("The training needs were saved."),
        "join": _l("Your request was sent: the association will contact you about the program."),
    }
)


def _areas() -> list[tuple[str, str]]:
    return [(code, skill_name(code)) for code in services.settings()["training_skill_areas"]]


def training_summary(producer_id: int) -> dict:
    """What a producer's page shows of training: needed areas, enrolments, suggested programs."""
    return {
        "needs": services.needs_of([producer_id])[producer_id],
        "enrolments": services.enrolments_by_producer(producer_id),
        "suggested": services.suggested_programs(producer_id),
    }


def skill_names(codes: list[str]) -> str:
    """Skill areas in words, joined with the language's comma."""
    return (", " if current_language() == "en" else "، ").join(skill_name(code) for code in codes)


@bp.context_processor
def _training_context():
    return {
        "skill_name": skill_name,
        "skill_names": skill_names,
        "country_name": country_name,
        "training_summary": training_summary,
    }


@bp.route("/training/", methods=["GET", "POST"])
@require(P + "view")
def training():
    def add():
        program = services.create_program(form_data("specialised"), current_user)
        return url_for(".training_program", program_id=program.id)

    def context():
        programs = services.list_programs()
        year = tenant_today().year
        return {
            "programs": programs,
            "enrolled": services.enrolled_counts([p.id for p in programs]),
            "trainers": services.list_trainers(),
            "trainer_options": [(str(t.id), t.name) for t in services.list_trainers()],
            "areas": _areas(),
            "year": year,
            "held": services.specialised_programs_held(date(year, 1, 1), date(year, 12, 31)),
            "trained": services.families_trained(date(year, 1, 1), date(year, 12, 31)),
        }

    return handle("productive_families/training/programs.html", context, {"program": (P + "manage", add)})


@bp.route("/training/programs/<int:program_id>", methods=["GET", "POST"])
@require(P + "view")
def training_program(program_id: int):
    program = services.get_program(program_id)

    def attendance():
        session = services.get_session(program, _int(request.form.get("session_id")))
        data = {"present": request.form.getlist("present")}
        services.record_attendance(program, session, data, current_user)

    def context():
        enrolments = services.enrolments_of(program.id)
        enrolled_ids = {e.producer_id for e in enrolments}
        sessions = services.sessions_of(program.id)
        return {
            "program": program,
            "sessions": sessions,
            "attendance": services.attendance_of(program.id),
            "enrolments": enrolments,
            "attended": services.attended_counts(program.id),
            "share": services.settings()["training_completion_share"],
            "suggested": services.suggested_producers(program),
            "asking": services.asking_to_join(program),
            "others": [p for p in services.list_producers() if p.id not in enrolled_ids],
            "places_left": program.capacity - len(enrolments),
            "completes": services.completes,
        }

    return handle(
        "productive_families/training/program.html",
        context,
        {
            "enrol": (P + "manage", lambda: services.enrol(program, form_data(), current_user) and None),
            "session": (
                P + "manage",
                lambda: services.add_session(program, form_data(), current_user) and None,
            ),
            "attendance": (P + "manage", attendance),
            "close": (
                P + "manage",
                lambda: services.close_program(program, form_data(), current_user) and None,
            ),
        },
    )


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@bp.route("/training/trainers/", methods=["GET", "POST"])
@require(P + "view")
def trainers():
    def add():
        trainer = services.add_trainer(form_data(lists=("specialities",)), current_user)
        return url_for(".trainer", trainer_id=trainer.id)

    return handle(
        "productive_families/training/trainers.html",
        lambda: {
            "trainers": services.list_trainers(),
            "kinds": [(code, label(code, "productive_families_trainer_kind")) for code in TRAINER_KINDS],
            "scopes": [(code, label(code, "productive_families_trainer_scope")) for code in TRAINER_SCOPES],
            "countries": [(code, country_name(code)) for code in COUNTRIES],
            "areas": _areas(),
            "chosen": request.form.getlist("specialities"),
        },
        {"trainer": (P + "manage", add)},
    )


@bp.route("/training/trainers/<int:trainer_id>", methods=["GET", "POST"])
@require(P + "view")
def trainer(trainer_id: int):
    record = services.get_trainer(trainer_id)

    def add_contract():
        services.add_contract(record, form_data(), *CONTRACT.sent(), current_user)

    return handle(
        "productive_families/training/trainer.html",
        lambda: {
            "trainer": record,
            "contracts": services.contracts_of(record.id),
            "threshold": services.settings()["partnership_quality_threshold"],
        },
        {"contract": (P + "manage", add_contract)},
    )


@bp.route("/training/contracts/<int:contract_id>/file")
@require(P + "view")
def training_contract_file(contract_id: int):
    return services.download_contract(services.get_contract(contract_id), current_user)


@bp.route("/training/producers/<int:producer_id>", methods=["GET", "POST"])
@require(P + "view")
def producer_training(producer_id: int):
    record = services.get_producer(producer_id)
    return handle(
        "productive_families/training/producer.html",
        lambda: {
            "producer": record,
            "areas": _areas(),
            "chosen": (
                request.form.getlist("areas")
                if request.method == "POST"
                else services.needs_of([record.id])[record.id]
            ),
            **training_summary(record.id),
        },
        {
            "needs": (
                P + "manage",
                lambda: services.set_needs(record, form_data(lists=("areas",)), current_user) and None,
            )
        },
    )

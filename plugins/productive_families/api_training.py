"""The training API (``/t/<tenant>/api/v1/productive_families/training/…`` and a producer's
``training-needs``), in the OpenAPI document; routes of the plugin's API blueprint. Bodies are
validated by their schema here (documented, 422 by field) and again by the service."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from core.toolkit import db

from . import services
from .api import P, bp
from .schemas import ProducerOutSchema
from .schemas_training import (
    CloseSchema,
    ContractFileSchema,
    ContractFormSchema,
    ContractOutSchema,
    EnrolmentOutSchema,
    EnrolSchema,
    NeedsOutSchema,
    NeedsSchema,
    ProgramOutSchema,
    ProgramSchema,
    SessionAttendanceSchema,
    SessionOutSchema,
    SessionSchema,
    TrainerOutSchema,
    TrainerSchema,
)
from .services.trainers import CONTRACT


def _body() -> dict:
    return request.get_json(silent=True) or {}


@bp.route("/producers/<int:producer_id>/training-needs")
@bp.response(200, NeedsOutSchema)
@bp.requires(P + "view")
def get_training_needs(producer_id):
    producer = services.get_producer(producer_id)
    return {"producer_id": producer.id, "areas": services.needs_of([producer.id])[producer.id]}


@bp.route("/producers/<int:producer_id>/training-needs", methods=["PUT"])
@bp.arguments(NeedsSchema)
@bp.response(200, NeedsOutSchema)
@bp.requires(P + "manage")
def put_training_needs(_data, producer_id):
    """Replace the family's needed skill areas (codes of the tenant's list)."""
    producer = services.get_producer(producer_id)
    areas = services.set_needs(producer, _body(), current_user)
    db.session.commit()
    return {"producer_id": producer.id, "areas": areas}


@bp.route("/producers/<int:producer_id>/suggested-programs")
@bp.response(200, ProgramOutSchema(many=True))
@bp.requires(P + "view")
def get_suggested_programs(producer_id):
    """Open programs in a needed skill area with places left, the producer not enrolled."""
    return services.suggested_programs(services.get_producer(producer_id).id)


@bp.route("/training/trainers")
@bp.response(200, TrainerOutSchema(many=True))
@bp.requires(P + "view")
def list_trainers():
    return services.list_trainers()


@bp.route("/training/trainers", methods=["POST"])
@bp.arguments(TrainerSchema)
@bp.response(201, TrainerOutSchema)
@bp.requires(P + "manage")
def post_trainer(_data):
    """Register a trainer or training centre, local (Saudi Arabia) or international."""
    trainer = services.add_trainer(_body(), current_user)
    db.session.commit()
    return trainer


@bp.route("/training/trainers/<int:trainer_id>/contracts")
@bp.response(200, ContractOutSchema(many=True))
@bp.requires(P + "view")
def list_contracts(trainer_id):
    return services.contracts_of(services.get_trainer(trainer_id).id)


@bp.route("/training/trainers/<int:trainer_id>/contracts", methods=["POST"])
# Loaded partially here (the trainer is looked up first: another tenant's id is a 404); the
# service checks the required fields and the file together, 422 by field.
@bp.arguments(ContractFormSchema(partial=True), location="form")
@bp.arguments(ContractFileSchema, location="files")
@bp.response(201, ContractOutSchema)
@bp.requires(P + "manage")
def post_contract(_data, _files, trainer_id):
    """A signed partnership contract (multipart: its fields and ``file``) with its quality score."""
    trainer = services.get_trainer(trainer_id)
    contract = services.add_contract(trainer, request.form.to_dict(), *CONTRACT.sent(), current_user)
    db.session.commit()
    return contract


@bp.route("/training/contracts/<int:contract_id>/file")
@bp.response(200, description="The signed contract's file")
@bp.requires(P + "view")
def get_contract_file(contract_id):
    """The contract's file (each read is audited)."""
    return services.download_contract(services.get_contract(contract_id), current_user)


@bp.route("/training/programs")
@bp.response(200, ProgramOutSchema(many=True))
@bp.requires(P + "view")
def list_programs():
    return services.list_programs()


@bp.route("/training/programs", methods=["POST"])
@bp.arguments(ProgramSchema)
@bp.response(201, ProgramOutSchema)
@bp.requires(P + "manage")
def post_program(_data):
    """A training program, specialised or general, given by a registered trainer or centre."""
    program = services.create_program(_body(), current_user)
    db.session.commit()
    return program


@bp.route("/training/programs/<int:program_id>")
@bp.response(200, ProgramOutSchema)
@bp.requires(P + "view")
def get_program(program_id):
    return services.get_program(program_id)


@bp.route("/training/programs/<int:program_id>/asking-to-join")
@bp.response(200, ProducerOutSchema(many=True))
@bp.requires(P + "view")
def get_asking_to_join(program_id):
    """Producers who asked on the portal to join the program and are not enrolled, first asked
    first."""
    return services.asking_to_join(services.get_program(program_id))


@bp.route("/training/programs/<int:program_id>/enrolments")
@bp.response(200, EnrolmentOutSchema(many=True))
@bp.requires(P + "view")
def list_enrolments(program_id):
    return services.enrolments_of(services.get_program(program_id).id)


@bp.route("/training/programs/<int:program_id>/enrolments", methods=["POST"])
@bp.arguments(EnrolSchema)
@bp.response(201, EnrolmentOutSchema)
@bp.requires(P + "manage")
def post_enrolment(_data, program_id):
    """Enrol a producer (422 on ``producer_id`` when the program is full or they are enrolled;
    409 once the program is closed)."""
    enrolment = services.enrol(services.get_program(program_id), _body(), current_user)
    db.session.commit()
    return enrolment


def _session_out(session, attendance: dict[int, set[int]]) -> dict:
    return {
        "id": session.id,
        "program_id": session.program_id,
        "held_on": session.held_on,
        "topic": session.topic,
        "present": sorted(attendance.get(session.id, ())),
    }


@bp.route("/training/programs/<int:program_id>/sessions")
@bp.response(200, SessionOutSchema(many=True))
@bp.requires(P + "view")
def list_sessions(program_id):
    program = services.get_program(program_id)
    attendance = services.attendance_of(program.id)
    return [_session_out(s, attendance) for s in services.sessions_of(program.id)]


@bp.route("/training/programs/<int:program_id>/sessions", methods=["POST"])
@bp.arguments(SessionSchema)
@bp.response(201, SessionOutSchema)
@bp.requires(P + "manage")
def post_session(_data, program_id):
    """A session, held between the program's first and last day."""
    session = services.add_session(services.get_program(program_id), _body(), current_user)
    db.session.commit()
    return _session_out(session, {})


@bp.route("/training/programs/<int:program_id>/sessions/<int:session_id>/attendance", methods=["PUT"])
@bp.arguments(SessionAttendanceSchema)
@bp.response(200, SessionOutSchema)
@bp.requires(P + "manage")
def put_attendance(_data, program_id, session_id):
    """The enrolled producers present at the session (replaces what was recorded)."""
    program = services.get_program(program_id)
    session = services.get_session(program, session_id)
    present = services.record_attendance(program, session, _body(), current_user)
    db.session.commit()
    return _session_out(session, {session.id: set(present)})


@bp.route("/training/programs/<int:program_id>/closure", methods=["POST"])
@bp.arguments(CloseSchema)
@bp.response(200, EnrolmentOutSchema(many=True))
@bp.requires(P + "manage")
def post_closure(_data, program_id):
    """Close the program: each enrolled producer completes it when they attended at least the
    tenant's share of its sessions (default 75 %); 409 when no session was recorded."""
    enrolments = services.close_program(services.get_program(program_id), _body(), current_user)
    db.session.commit()
    return enrolments

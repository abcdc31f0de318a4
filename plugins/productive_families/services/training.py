"""Training programs (seed 001, goal 6): programs given by a trainer or centre, enrolment of
producers (capacity enforced, once per program), sessions and attendance, and completion.

The completion rule (stated, tested at its boundary): when staff close a program, each enrolled
producer **completes** it on the closing date when they attended at least the tenant's share of
its sessions (``training_completion_share``, default 75 %): ``attended × 100 ≥ share × sessions``;
the others did not complete it. A program with no session cannot be closed.

KPIs: specialised programs held (closed) in the period; trained families (distinct households
whose producer completed a program closed in the period)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Conflict, NotFound, db, get_in_tenant, notify_staff, page_path
from core.toolkit import today as tenant_today

from ..i18n import _l
from ..models import Producer
from ..models_training import (
    Trainer,
    TrainingAttendance,
    TrainingEnrolment,
    TrainingInterest,
    TrainingNeed,
    TrainingProgram,
    TrainingSession,
)
from ..schemas_training import (
    CloseSchema,
    EnrolSchema,
    JoinSchema,
    ProgramSchema,
    SessionAttendanceSchema,
    SessionSchema,
)
from ._common import audit, settings
from .graduation import capture_baselines, register_anchor
from .producers import get_producer
from .trainers import needs_of


def completes(attended: int, sessions: int, share: int) -> bool:
    """The completion rule: at least ``share`` % of the program's sessions attended (none held:
    nobody completes)."""
    return sessions > 0 and attended * 100 >= share * sessions


# --------------------------------------------------------------------------- programs


def create_program(data: dict, actor: Any = None) -> TrainingProgram:
    values = ProgramSchema().load(data)
    if get_in_tenant(Trainer, values["trainer_id"]) is None:
        raise ValidationError({"trainer_id": [_l("No such trainer or training centre in this association.")]})
    if values["area"] and values["area"] not in settings()["training_skill_areas"]:
        raise ValidationError({"area": [_l("Choose one of the association's skill areas.")]})
    program = TrainingProgram(**values)
    db.session.add(program)
    db.session.flush()
    audit(
        "training.program_created",
        program,
        {"trainer_id": program.trainer_id, "specialised": program.specialised, "capacity": program.capacity},
        actor,
    )
    return program


def get_program(program_id: int) -> TrainingProgram:
    program = get_in_tenant(TrainingProgram, program_id)
    if program is None:
        raise NotFound(_l("No such training program."))
    return program


def list_programs(limit: int = 200) -> list[TrainingProgram]:
    query = sa.select(TrainingProgram).order_by(TrainingProgram.starts_on.desc(), TrainingProgram.id.desc())
    return list(db.session.scalars(query.limit(limit)).unique())


def _open(program: TrainingProgram) -> None:
    if program.status == "closed":
        raise Conflict(_l("The program is closed; its enrolment and attendance can no longer change."))


def enrolled_counts(program_ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(program_ids, 0)
    if program_ids:
        rows = db.session.execute(
            sa.select(TrainingEnrolment.program_id, sa.func.count(TrainingEnrolment.id))
            .where(TrainingEnrolment.program_id.in_(program_ids))
            .group_by(TrainingEnrolment.program_id)
        )
        counts.update({pid: int(n) for pid, n in rows})
    return counts


# --------------------------------------------------------------------------- sessions


def add_session(program: TrainingProgram, data: dict, actor: Any = None) -> TrainingSession:
    _open(program)
    values = SessionSchema().load(data)
    if not program.starts_on <= values["held_on"] <= program.ends_on:
        raise ValidationError(
            {"held_on": [_l("A session is held between the program's first and last day.")]}
        )
    session = TrainingSession(program_id=program.id, **values)
    db.session.add(session)
    db.session.flush()
    audit("training.session_added", program, {"session_id": session.id}, actor)
    return session


def sessions_of(program_id: int) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            sa.select(TrainingSession)
            .where(TrainingSession.program_id == program_id)
            .order_by(TrainingSession.held_on, TrainingSession.id)
        )
    )


def get_session(program: TrainingProgram, session_id: int) -> TrainingSession:
    session = get_in_tenant(TrainingSession, session_id)
    if session is None or session.program_id != program.id:
        raise NotFound(_l("No such session of this program."))
    return session


# --------------------------------------------------------------------------- enrolment


def enrol(program: TrainingProgram, data: dict, actor: Any = None) -> TrainingEnrolment:
    """Enrol a producer: once per program, while places are left (field errors otherwise)."""
    _open(program)
    producer = get_producer(EnrolSchema().load(data)["producer_id"])
    taken = db.session.scalar(
        sa.select(TrainingEnrolment.id).where(
            TrainingEnrolment.program_id == program.id, TrainingEnrolment.producer_id == producer.id
        )
    )
    if taken:
        raise ValidationError({"producer_id": [_l("This producer is already enrolled in the program.")]})
    if enrolled_counts([program.id])[program.id] >= program.capacity:
        raise ValidationError(
            {"producer_id": [_l("The program is full (%(capacity)s places).", capacity=program.capacity)]}
        )
    enrolment = TrainingEnrolment(program_id=program.id, producer_id=producer.id)
    db.session.add(enrolment)
    db.session.flush()
    audit("training.enrolled", enrolment, {"program_id": program.id, "producer_id": producer.id}, actor)
    return enrolment


def enrolments_of(program_id: int) -> list[TrainingEnrolment]:
    query = (
        sa.select(TrainingEnrolment)
        .join(Producer, sa.and_(Producer.id == TrainingEnrolment.producer_id, Producer.tenant_id == TrainingEnrolment.tenant_id))
        .where(TrainingEnrolment.program_id == program_id)
        .order_by(Producer.trade_name, TrainingEnrolment.id)
    )  # fmt: skip
    return list(db.session.scalars(query).unique())


def enrolments_by_producer(producer_id: int) -> list[tuple[TrainingEnrolment, TrainingProgram]]:
    rows = db.session.execute(
        sa.select(TrainingEnrolment, TrainingProgram)
        .join(TrainingProgram, sa.and_(TrainingProgram.id == TrainingEnrolment.program_id, TrainingProgram.tenant_id == TrainingEnrolment.tenant_id))
        .where(TrainingEnrolment.producer_id == producer_id)
        .order_by(TrainingProgram.starts_on.desc())
    )  # fmt: skip
    return [(e, p) for e, p in rows.unique()]


# --------------------------------------------------------------------------- attendance


def record_attendance(
    program: TrainingProgram, session: TrainingSession, data: dict, actor: Any = None
) -> list[int]:
    """Who was present at a session: enrolled producers only; replaces what was recorded."""
    _open(program)
    present = set(SessionAttendanceSchema().load(data)["present"])
    enrolments = {e.producer_id: e for e in enrolments_of(program.id)}
    strangers = sorted(present - set(enrolments))
    if strangers:
        raise ValidationError(
            {"present": [_l("Only producers enrolled in the program can attend its sessions.")]}
        )
    db.session.execute(sa.delete(TrainingAttendance).where(TrainingAttendance.session_id == session.id))
    for producer_id in sorted(present):
        db.session.add(TrainingAttendance(session_id=session.id, enrolment_id=enrolments[producer_id].id))
    db.session.flush()
    audit("training.attendance", program, {"session_id": session.id, "present": len(present)}, actor)
    return sorted(present)


def attendance_of(program_id: int) -> dict[int, set[int]]:
    """Per session of the program: the producer ids present."""
    found: dict[int, set[int]] = {s.id: set() for s in sessions_of(program_id)}
    rows = db.session.execute(
        sa.select(TrainingAttendance.session_id, TrainingEnrolment.producer_id)
        .join(TrainingEnrolment, sa.and_(TrainingEnrolment.id == TrainingAttendance.enrolment_id, TrainingEnrolment.tenant_id == TrainingAttendance.tenant_id))
        .where(TrainingEnrolment.program_id == program_id)
    )  # fmt: skip
    for session_id, producer_id in rows:
        found.setdefault(session_id, set()).add(producer_id)
    return found


def attended_counts(program_id: int) -> dict[int, int]:
    """Per enrolled producer: the sessions attended."""
    counts: dict[int, int] = {}
    for present in attendance_of(program_id).values():
        for producer_id in present:
            counts[producer_id] = counts.get(producer_id, 0) + 1
    return counts


# --------------------------------------------------------------------------- completion


def close_program(
    program: TrainingProgram, data: dict, actor: Any = None, today: date | None = None
) -> list[TrainingEnrolment]:
    """Close the program and apply the completion rule to each enrolled producer."""
    _open(program)
    closed_on = CloseSchema().load(data)["closed_on"] or today or tenant_today()
    if closed_on < program.starts_on:
        raise ValidationError({"closed_on": [_l("A program cannot be closed before it starts.")]})
    sessions = len(sessions_of(program.id))
    if sessions == 0:
        raise Conflict(_l("Record the program's sessions before closing it."))
    share = settings()["training_completion_share"]
    attended = attended_counts(program.id)
    enrolments = enrolments_of(program.id)
    for enrolment in enrolments:
        done = completes(attended.get(enrolment.producer_id, 0), sessions, share)
        enrolment.outcome = "completed" if done else "not_completed"
        enrolment.completed_on = closed_on if done else None
    program.status, program.closed_on = "closed", closed_on
    db.session.flush()
    completed = [e.producer_id for e in enrolments if e.outcome == "completed"]
    if completed:
        capture_baselines(completed, closed_on)  # graduation: the income before the first anchor
    audit(
        "training.closed",
        program,
        {
            "sessions": sessions,
            "share": share,
            "completed": sum(e.outcome == "completed" for e in enrolments),
        },
        actor,
    )
    return enrolments


def training_completions(producer_ids: list[int] | None = None) -> dict[int, date]:
    """The date each producer completed a training program (their first completion): the anchor
    of the income follow-ups after training. ``producer_ids=None``: every producer."""
    query = sa.select(TrainingEnrolment.producer_id, sa.func.min(TrainingEnrolment.completed_on)).where(
        TrainingEnrolment.outcome == "completed", TrainingEnrolment.completed_on.is_not(None)
    )
    if producer_ids is not None:
        if not producer_ids:
            return {}
        query = query.where(TrainingEnrolment.producer_id.in_(list(producer_ids)))
    return {int(pid): day for pid, day in db.session.execute(query.group_by(TrainingEnrolment.producer_id))}


# --------------------------------------------------------------------------- suggestions, KPIs


def suggested_programs(producer_id: int, today: date | None = None) -> list[TrainingProgram]:
    """Open programs in a skill area the family needs, not over, with places left, that the
    producer is not enrolled in."""
    areas = needs_of([producer_id])[producer_id]
    if not areas:
        return []
    mine = sa.select(TrainingEnrolment.program_id).where(TrainingEnrolment.producer_id == producer_id)
    programs = list(
        db.session.scalars(
            sa.select(TrainingProgram)
            .where(
                TrainingProgram.status == "open",
                TrainingProgram.area.in_(areas),
                TrainingProgram.ends_on >= (today or tenant_today()),
                TrainingProgram.id.not_in(mine),
            )
            .order_by(TrainingProgram.starts_on)
        ).unique()
    )
    counts = enrolled_counts([p.id for p in programs])
    return [p for p in programs if counts[p.id] < p.capacity]


INTEREST_TEMPLATE = "productive_families_training_interest"
INTEREST_MESSAGE = (
    _l("%(producer)s asks to join a training program"),
    _l(
        "%(producer)s asked on the portal to join the program “%(program)s”, suggested for the family's training needs. Enrol them on the program's page if a place suits."
    ),
)
# Who is told: the staff who enrol producers in programs.
RUNS_TRAINING = "productive_families.manage"


def ask_to_join(
    producer: Producer, data: dict, actor: Any = None, today: date | None = None
) -> TrainingInterest:
    """The producer asks, on the portal, to join one of the programs suggested for the family's
    needs (:func:`suggested_programs`): once per program. Staff who enrol producers are told in
    their inbox, with the program's page; enrolling stays theirs. Field errors on ``program_id``."""
    program_id = JoinSchema().load(data)["program_id"]
    program = next((p for p in suggested_programs(producer.id, today) if p.id == program_id), None)
    if program is None:
        raise ValidationError(
            {"program_id": [_l("Choose one of the programs suggested for your family's needs.")]}
        )
    if interests_of(producer.id).get(program.id):
        raise ValidationError(
            {"program_id": [_l("You already asked to join this program; the association will contact you.")]}
        )
    interest = TrainingInterest(program_id=program.id, producer_id=producer.id)
    db.session.add(interest)
    db.session.flush()
    audit("training.asked_to_join", program, {"producer_id": producer.id}, actor)
    notify_staff(
        RUNS_TRAINING,
        INTEREST_TEMPLATE,
        {"producer": producer.trade_name, "program": program.title},
        link=page_path("productive_families.training_program", program_id=program.id),
    )
    return interest


def interests_of(producer_id: int) -> dict[int, datetime]:
    """When the producer asked to join each program (program id → time)."""
    rows = db.session.execute(
        sa.select(TrainingInterest.program_id, TrainingInterest.asked_at).where(
            TrainingInterest.producer_id == producer_id
        )
    )
    return {int(program_id): asked_at for program_id, asked_at in rows}


def asking_to_join(program: TrainingProgram) -> list[Producer]:
    """Producers who asked to join the program and are not enrolled in it, first asked first."""
    enrolled = sa.select(TrainingEnrolment.producer_id).where(TrainingEnrolment.program_id == program.id)
    return list(
        db.session.scalars(
            sa.select(Producer)
            .join(TrainingInterest, sa.and_(TrainingInterest.producer_id == Producer.id, TrainingInterest.tenant_id == Producer.tenant_id))
            .where(TrainingInterest.program_id == program.id, Producer.id.not_in(enrolled))
            .order_by(TrainingInterest.asked_at, TrainingInterest.id)
        ).unique()
    )  # fmt: skip


def suggested_producers(program: TrainingProgram) -> list[Producer]:
    """Producers whose family needs the program's skill area and who are not enrolled in it."""
    if not program.area:
        return []
    enrolled = sa.select(TrainingEnrolment.producer_id).where(TrainingEnrolment.program_id == program.id)
    needing = sa.select(TrainingNeed.producer_id).where(TrainingNeed.area == program.area)
    return list(
        db.session.scalars(
            sa.select(Producer)
            .where(Producer.id.in_(needing), Producer.id.not_in(enrolled))
            .order_by(Producer.trade_name)
        ).unique()
    )


def specialised_programs_held(start: date, end: date) -> int:
    """Specialised programs held: closed (their sessions over) in the period (seed 001: ≥ 3 a year)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(TrainingProgram.id)).where(
                TrainingProgram.specialised.is_(True),
                TrainingProgram.status == "closed",
                TrainingProgram.closed_on.between(start, end),
            )
        )
        or 0
    )


def families_trained(start: date, end: date) -> int:
    """Distinct households whose producer completed a program in the period."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Producer.household_id)))
            .join(
                TrainingEnrolment,
                sa.and_(
                    TrainingEnrolment.producer_id == Producer.id,
                    TrainingEnrolment.tenant_id == Producer.tenant_id,
                ),
            )
            .where(
                TrainingEnrolment.outcome == "completed", TrainingEnrolment.completed_on.between(start, end)
            )
        )  # fmt: skip
        or 0
    )


register_anchor("training", _l("Training completed"), training_completions)

"""Rehabilitation (goal 3 of seed 000, attendance rules of seed 002): programs, enrolment with
interview and announced fee, sessions and attendance, and the recidivism follow-ups of released
participants at the tenant's months after release."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Conflict, db, get_in_tenant, get_or_404, today

from .. import rules
from ..i18n import _, _l
from ..models import Attendance, Enrolment, FollowUp, Prisoner, Program, ProgramSession
from ..settings import DEFAULT_PROGRAMS
from ._common import audit, settings


def list_programs(active_only: bool = False) -> list[Program]:
    return list(db.session.scalars(programs_query(active_only)))


def programs_query(active_only: bool = False) -> sa.Select:
    query = db.select(Program).order_by(Program.id)
    if active_only:
        query = query.where(Program.active.is_(True))
    return query


def create_program(data: dict, actor: Any = None) -> Program:
    if db.session.scalars(db.select(Program.id).where(Program.code == data["code"])).first():
        raise ValidationError({"code": [_l("A program with this code already exists.")]})
    data = dict(data)
    if data.get("min_attendance_percent") is None:
        data["min_attendance_percent"] = settings()["default_min_attendance_percent"]
    program = Program(**data)
    db.session.add(program)
    db.session.flush()
    audit("program.created", program, {"code": program.code}, actor)
    return program


def install_default_programs(actor: Any = None) -> int:
    existing = {p.code for p in list_programs()}
    added = 0
    for spec in DEFAULT_PROGRAMS:
        if spec["code"] not in existing:
            create_program({"requires_interview": False, "fee_halalas": 0, **spec}, actor)
            added += 1
    return added


def enrol(program: Program, data: dict, actor: Any = None) -> Enrolment:
    prisoner = get_in_tenant(Prisoner, data["prisoner_id"])
    if prisoner is None:
        raise ValidationError({"prisoner_id": [_l("No such prisoner in this association.")]})
    if not program.active:
        raise Conflict(_("The program is not open for registration."))
    if prisoner.status == "deceased":
        raise ValidationError(
            {"prisoner_id": [_l("Only a prisoner or a released prisoner can be enrolled.")]}
        )
    if program.fee_halalas and not data.get("fee_acknowledged"):
        raise ValidationError(
            {"fee_acknowledged": [_l("The program's fee was announced: confirm it before registering.")]}
        )
    if db.session.scalars(
        db.select(Enrolment.id).where(
            Enrolment.program_id == program.id, Enrolment.prisoner_id == prisoner.id
        )
    ).first():
        raise ValidationError({"prisoner_id": [_l("Already enrolled in this program.")]})
    enrolment = Enrolment(
        program_id=program.id,
        prisoner_id=prisoner.id,
        enrolled_on=data.get("enrolled_on") or today(),
        interview_outcome="pending" if program.requires_interview else None,
        fee_acknowledged=bool(data.get("fee_acknowledged")),
        status="enrolled",
    )
    db.session.add(enrolment)
    db.session.flush()
    audit("enrolment.created", enrolment, {"program": program.id, "prisoner": prisoner.id}, actor)
    if prisoner.status == "released":
        schedule_follow_ups(prisoner)
    return enrolment


def record_interview(enrolment: Enrolment, data: dict, actor: Any = None) -> Enrolment:
    program = get_or_404(Program, enrolment.program_id)
    if not program.requires_interview:
        raise Conflict(_("This program does not require an interview."))
    enrolment.interview_outcome = data["outcome"]
    enrolment.interview_on = data["interview_on"]
    db.session.flush()
    audit("enrolment.interview", enrolment, {"outcome": data["outcome"]}, actor)
    return enrolment


def program_sessions(program: Program) -> list[ProgramSession]:
    return list(
        db.session.scalars(
            db.select(ProgramSession)
            .where(ProgramSession.program_id == program.id)
            .order_by(ProgramSession.held_on)
        )
    )


def program_enrolments(program: Program) -> list[Enrolment]:
    return list(
        db.session.scalars(
            db.select(Enrolment).where(Enrolment.program_id == program.id).order_by(Enrolment.id)
        )
    )


def add_session(program: Program, data: dict, actor: Any = None) -> ProgramSession:
    session = ProgramSession(program_id=program.id, held_on=data["held_on"], topic=data.get("topic") or "")
    db.session.add(session)
    db.session.flush()
    audit("session.created", session, {"program": program.id}, actor)
    return session


def record_attendance(session: ProgramSession, marks: list[dict], actor: Any = None) -> list[Attendance]:
    enrolments = {
        e.id: e
        for e in db.session.scalars(db.select(Enrolment).where(Enrolment.program_id == session.program_id))
    }
    program = get_or_404(Program, session.program_id)
    errors = {}
    for index, mark in enumerate(marks):
        enrolment = enrolments.get(mark["enrolment_id"])
        if enrolment is None:
            errors[index] = {"enrolment_id": [_l("Not enrolled in this program.")]}
        elif not rules.interview_ok(program.requires_interview, enrolment.interview_outcome):
            errors[index] = {"enrolment_id": [_l("The participant has not passed the program's interview.")]}
    if errors:
        raise ValidationError({"marks": errors})
    existing = {
        a.enrolment_id: a
        for a in db.session.scalars(db.select(Attendance).where(Attendance.session_id == session.id))
    }
    saved = []
    for mark in marks:
        row = existing.get(mark["enrolment_id"])
        if row is None:
            row = Attendance(session_id=session.id, enrolment_id=mark["enrolment_id"])
            db.session.add(row)
        row.present = bool(mark["present"])
        saved.append(row)
    db.session.flush()
    audit("session.attendance", session, {"marks": len(marks)}, actor)
    return saved


def enrolment_progress(enrolment: Enrolment) -> dict:
    program = get_or_404(Program, enrolment.program_id)
    return enrolments_progress(program, [enrolment])[enrolment.id]


def enrolments_progress(program: Program, enrolments: list[Enrolment]) -> dict[int, dict]:
    """``enrolment_progress`` of one program's enrolments (enrolment id → progress) in two queries."""
    if not enrolments:
        return {}
    held = db.session.scalar(
        db.select(sa.func.count(ProgramSession.id)).where(ProgramSession.program_id == program.id)
    )
    attended = dict(
        db.session.execute(
            db.select(Attendance.enrolment_id, sa.func.count(Attendance.id))
            .where(Attendance.enrolment_id.in_([e.id for e in enrolments]), Attendance.present.is_(True))
            .group_by(Attendance.enrolment_id)
        ).all()
    )
    return {e.id: _progress(program, e, int(held or 0), int(attended.get(e.id) or 0)) for e in enrolments}


def _progress(program: Program, enrolment: Enrolment, held: int, present: int) -> dict:
    return {
        "sessions_held": int(held or 0),
        "sessions_attended": int(present or 0),
        "attendance_percent": rules.attendance_percent(int(present or 0), int(held or 0)),
        "min_attendance_percent": program.min_attendance_percent,
        "interview_ok": rules.interview_ok(program.requires_interview, enrolment.interview_outcome),
        "completed": rules.completed(int(present or 0), int(held or 0), program.min_attendance_percent)
        and rules.interview_ok(program.requires_interview, enrolment.interview_outcome),
    }


def schedule_follow_ups(prisoner: Prisoner) -> list[FollowUp]:
    """Follow-ups at the tenant's months after release, for a released participant (idempotent)."""
    if prisoner.status != "released" or prisoner.released_on is None:
        return []
    has_enrolment = db.session.scalars(
        db.select(Enrolment.id).where(Enrolment.prisoner_id == prisoner.id)
    ).first()
    if not has_enrolment:
        return []
    existing = {
        f.months_after
        for f in db.session.scalars(db.select(FollowUp).where(FollowUp.prisoner_id == prisoner.id))
    }
    added = []
    for months, due in rules.follow_up_schedule(prisoner.released_on, settings()["follow_up_months"]):
        if months not in existing:
            follow_up = FollowUp(prisoner_id=prisoner.id, months_after=months, due_on=due)
            db.session.add(follow_up)
            added.append(follow_up)
    db.session.flush()
    return added


def list_follow_ups(
    pending_only: bool = False,
    *,
    prisoner_id: int | None = None,
    due_by: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FollowUp]:
    """Follow-ups (:func:`follow_ups_query`); ``limit``/``offset`` for a slice."""
    query = follow_ups_query(pending_only, prisoner_id=prisoner_id, due_by=due_by)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def follow_ups_query(
    pending_only: bool = False, *, prisoner_id: int | None = None, due_by: date | None = None
) -> sa.Select:
    """Follow-ups by due date, filtered in SQL (pending only, one prisoner's, due on or before
    ``due_by``)."""
    query = db.select(FollowUp).order_by(FollowUp.due_on, FollowUp.id)
    if pending_only:
        query = query.where(FollowUp.done_on.is_(None))
    if prisoner_id is not None:
        query = query.where(FollowUp.prisoner_id == prisoner_id)
    if due_by is not None:
        query = query.where(FollowUp.due_on <= due_by)
    return query


def record_follow_up(follow_up: FollowUp, data: dict, actor: Any = None) -> FollowUp:
    follow_up.done_on = data["done_on"]
    follow_up.returned_to_crime = data["returned_to_crime"]
    follow_up.notes = data.get("notes") or ""
    db.session.flush()
    audit("follow_up.recorded", follow_up, {"returned_to_crime": follow_up.returned_to_crime}, actor)
    return follow_up

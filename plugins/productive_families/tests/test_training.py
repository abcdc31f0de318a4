"""Training (seed 001, goal 6): needed skill areas and suggested programs, the registry of
trainers and centres, programs with enrolment (capacity, once per producer), sessions and
attendance, completion at the close (the stated share, tested at its boundary), partnership
contracts as stored, audited documents, and the KPIs."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import AuditEvent
from core.toolkit import Conflict, Invalid, db, kpi_sources
from core.toolkit import today as tenant_today

from .. import services
from ..models_training import TrainingEnrolment, TrainingProgram
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
PAGE = f"/t/first/{PID}/training"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
START = date(2026, 3, 1)


def _trainer(name: str = "مركز الأحساء للتدريب", **values):
    data = {"name": name, "kind": "centre", "scope": "local", "city": "الهفوف", "specialities": ["packaging"]}
    return services.add_trainer({**data, **values})


def _program(trainer, capacity: int = 3, **values):
    data = {
        "title": "التغليف والتعبئة",
        "area": "packaging",
        "trainer_id": trainer.id,
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=30)).isoformat(),
        "place": "مقر الجمعية",
        "capacity": capacity,
    }
    return services.create_program({**data, **values})


def _sessions(program, count: int) -> list:
    return [
        services.add_session(program, {"held_on": (START + timedelta(days=i)).isoformat()})
        for i in range(count)
    ]


# --------------------------------------------------------------------------- the rule


@given(sessions=st.integers(1, 40), attended=st.integers(0, 40), share=st.integers(1, 100))
def test_completion_is_attending_at_least_the_share_of_sessions(sessions, attended, share):
    attended = min(attended, sessions)
    assert services.completes(attended, sessions, share) == (attended / sessions >= share / 100)


def test_completion_boundary_at_the_default_75_percent():
    assert services.completes(3, 4, 75) and not services.completes(2, 4, 75)
    assert services.completes(6, 8, 75) and not services.completes(5, 8, 75)
    assert not services.completes(2, 3, 75) and services.completes(3, 3, 75)
    assert not services.completes(0, 0, 75)  # no session held: nobody completes


# --------------------------------------------------------------------------- programs


def test_enrolment_keeps_to_the_capacity_and_refuses_a_second_enrolment(enabled, producer_factory, in_tenant):
    ids = [producer_factory(trade_name=f"منتج {i}") for i in range(3)]
    with in_tenant(enabled):
        program = _program(_trainer(), capacity=2)
        services.enrol(program, {"producer_id": ids[0]})
        with pytest.raises(Invalid) as twice:
            services.enrol(program, {"producer_id": ids[0]})
        assert set(twice.value.messages) == {"producer_id"}
        services.enrol(program, {"producer_id": ids[1]})
        with pytest.raises(Invalid) as full:
            services.enrol(program, {"producer_id": ids[2]})
        assert "اكتمل" in str(full.value.messages["producer_id"][0])  # "The program is full"
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(TrainingEnrolment.id))) == 2


def test_closing_applies_the_rule_and_freezes_the_program(enabled, producer_factory, in_tenant):
    ids = [producer_factory(trade_name=f"منتج {i}") for i in range(3)]
    with in_tenant(enabled):
        program = _program(_trainer())
        for pid in ids:
            services.enrol(program, {"producer_id": pid})
        with pytest.raises(Conflict):
            services.close_program(program, {"closed_on": "2026-03-31"})  # no session yet
        sessions = _sessions(program, 4)
        attended = {ids[0]: 4, ids[1]: 3, ids[2]: 2}  # 100 %, 75 % (the boundary), 50 %
        for n, session in enumerate(sessions):
            services.record_attendance(
                program, session, {"present": [p for p, k in attended.items() if n < k]}
            )
        assert services.attended_counts(program.id) == attended
        services.close_program(program, {"closed_on": "2026-03-31"})
        outcomes = {e.producer_id: (e.outcome, e.completed_on) for e in services.enrolments_of(program.id)}
        assert outcomes == {
            ids[0]: ("completed", date(2026, 3, 31)),
            ids[1]: ("completed", date(2026, 3, 31)),
            ids[2]: ("not_completed", None),
        }
        assert services.training_completions() == {ids[0]: date(2026, 3, 31), ids[1]: date(2026, 3, 31)}
        assert services.training_completions([ids[1], ids[2]]) == {ids[1]: date(2026, 3, 31)}
        assert services.training_completions([]) == {}
        with pytest.raises(Conflict):
            services.record_attendance(program, sessions[0], {"present": []})
        with pytest.raises(Conflict):
            services.add_session(program, {"held_on": "2026-03-20"})


def test_the_tenant_sets_the_completion_share(enabled, enable_plugin, producer_factory, in_tenant):
    enable_plugin(enabled, PID, {"training_completion_share": 50})
    pid = producer_factory()
    with in_tenant(enabled):
        program = _program(_trainer())
        services.enrol(program, {"producer_id": pid})
        first, _second = _sessions(program, 2)
        services.record_attendance(program, first, {"present": [pid]})
        services.close_program(program, {"closed_on": "2026-03-31"})
        assert services.enrolments_of(program.id)[0].outcome == "completed"


def test_attendance_is_for_enrolled_producers_and_sessions_within_the_dates(
    enabled, producer_factory, in_tenant
):
    enrolled, stranger = producer_factory(trade_name="منتج أ"), producer_factory(trade_name="منتج ب")
    with in_tenant(enabled):
        program = _program(_trainer())
        services.enrol(program, {"producer_id": enrolled})
        with pytest.raises(Invalid) as outside:
            services.add_session(program, {"held_on": "2026-02-28"})
        assert set(outside.value.messages) == {"held_on"}
        (session,) = _sessions(program, 1)
        with pytest.raises(Invalid) as refused:
            services.record_attendance(program, session, {"present": [enrolled, stranger]})
        assert set(refused.value.messages) == {"present"}
        services.record_attendance(program, session, {"present": [enrolled]})
        services.record_attendance(program, session, {"present": [enrolled]})  # saved again: no duplicate
        assert services.attendance_of(program.id) == {session.id: {enrolled}}


def test_needs_from_the_tenant_list_suggest_matching_open_programs(
    enabled, enable_plugin, producer_factory, in_tenant
):
    enable_plugin(enabled, PID, {"training_skill_areas": ["packaging", "marketing"]})
    pid, other = producer_factory(trade_name="منتج أ"), producer_factory(trade_name="منتج ب")
    with in_tenant(enabled):
        producer = services.get_producer(pid)
        with pytest.raises(Invalid) as refused:
            services.set_needs(producer, {"areas": ["crafts"]})  # not in this tenant's list
        assert set(refused.value.messages) == {"areas"}
        assert services.set_needs(producer, {"areas": ["marketing", "packaging"]}) == [
            "packaging",
            "marketing",
        ]
        trainer = _trainer()
        packaging = _program(trainer, capacity=1, ends_on=(tenant_today() + timedelta(days=30)).isoformat())
        _program(trainer, title="عام", area="", ends_on=(tenant_today() + timedelta(days=30)).isoformat())
        assert [p.id for p in services.suggested_programs(pid)] == [packaging.id]
        assert [p.id for p in services.suggested_producers(packaging)] == [pid]
        services.enrol(packaging, {"producer_id": other})  # now full
        assert services.suggested_programs(pid) == []
        db.session.commit()
        assert db.session.scalar(
            db.select(db.func.count(AuditEvent.id)).where(
                AuditEvent.action == f"{PID}.training.needs_changed"
            )
        )


def test_kpis_count_specialised_programs_held_and_families_trained(enabled, producer_factory, in_tenant):
    ids = [producer_factory(trade_name=f"منتج {i}") for i in range(2)]
    with in_tenant(enabled):
        trainer = _trainer()
        for specialised in (True, True, False):
            program = _program(trainer, specialised=specialised)
            for pid in ids:
                services.enrol(program, {"producer_id": pid})
            (session,) = _sessions(program, 1)
            services.record_attendance(program, session, {"present": ids[:1]})
            services.close_program(program, {"closed_on": "2026-04-01"})
        _program(trainer)  # open: not held yet
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(enabled)}
        assert kpi[f"{PID}.specialised_programs"].compute(enabled, *YEAR) == 2
        assert kpi[f"{PID}.families_trained"].compute(enabled, *YEAR) == 1  # one family, three programs
        assert kpi[f"{PID}.specialised_programs"].compute(enabled, date(2026, 4, 2), date(2026, 12, 31)) == 0
        assert kpi[f"{PID}.families_trained"].compute(enabled, date(2025, 1, 1), date(2026, 3, 31)) == 0


# --------------------------------------------------------------------------- trainers and contracts


def test_the_registry_refuses_duplicates_and_a_local_trainer_abroad(enabled, in_tenant):
    with in_tenant(enabled):
        _trainer()
        with pytest.raises(Invalid) as twice:
            _trainer()
        assert set(twice.value.messages) == {"name"}
        with pytest.raises(Invalid) as abroad:
            services.add_trainer({"name": "مدرب", "kind": "trainer", "scope": "local", "country": "AE"})
        assert set(abroad.value.messages) == {"country"}
        centre = services.add_trainer(
            {
                "name": "أكاديمية الحرف",
                "kind": "centre",
                "scope": "international",
                "country": "AE",
                "city": "دبي",
            }
        )
        assert [t.scope for t in services.list_trainers()] == ["international", "local"]
        assert centre.country == "AE"


def test_a_contract_is_stored_downloaded_through_the_api_and_every_read_audited(
    client, manager, token_for, enabled, make_file, in_tenant
):
    headers = token_for(manager)
    trainer = client.post(
        f"{API}/training/trainers",
        json={"name": "مركز التدريب", "kind": "centre", "scope": "local", "specialities": ["packaging"]},
        headers=headers,
    )
    assert trainer.status_code == 201
    url = f"{API}/training/trainers/{trainer.json['id']}/contracts"
    bad = client.post(
        url, data={"title": "ع", "signed_on": "2026-01-01", "quality_score": "101"}, headers=headers
    )
    assert bad.status_code == 422 and {"title", "quality_score"} <= set(bad.json["errors"])
    no_file = client.post(
        url,
        data={"title": "اتفاقية شراكة", "signed_on": "2026-01-01", "quality_score": "85"},
        headers=headers,
    )
    assert no_file.status_code == 422 and set(no_file.json["errors"]) == {"file"}
    pdf = make_file("pdf")
    made = client.post(
        url,
        data={
            "title": "اتفاقية شراكة",
            "signed_on": "2026-01-01",
            "quality_score": "85",
            "file": (io.BytesIO(pdf), "عقد.pdf"),
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert made.status_code == 201 and made.json["quality_score"] == 85
    got = client.get(f"{API}/training/contracts/{made.json['id']}/file", headers=headers)
    assert got.status_code == 200 and got.data.startswith(b"%PDF")
    assert "filename*=UTF-8''" in got.headers["Content-Disposition"]
    with in_tenant(enabled):
        actions = list(
            db.session.scalars(
                db.select(AuditEvent.action).where(AuditEvent.action.like(f"{PID}.training.%"))
            )
        )
        assert (
            f"{PID}.training.contract_added" in actions and f"{PID}.training.contract_downloaded" in actions
        )
        kpi = {s.key: s for s in kpi_sources(enabled)}
        assert kpi[f"{PID}.training_partnerships"].compute(enabled, *YEAR) == 1


# --------------------------------------------------------------------------- API and pages


def test_the_api_enrols_records_attendance_and_closes_with_field_errors(
    client, manager, token_for, producer_factory, enabled
):
    ids = [producer_factory(trade_name=f"منتج {i}") for i in range(2)]
    headers = token_for(manager)
    trainer = client.post(
        f"{API}/training/trainers",
        json={"name": "أ. منيرة", "kind": "trainer", "scope": "local"},
        headers=headers,
    ).json
    bad = client.post(
        f"{API}/training/programs",
        json={"title": "ت", "trainer_id": trainer["id"], "starts_on": "2026-03-10", "ends_on": "2026-03-01",
              "place": "مقر", "capacity": 0},
        headers=headers,
    )  # fmt: skip
    assert bad.status_code == 422 and {"title", "capacity"} <= set(bad.json["errors"])
    backwards = client.post(
        f"{API}/training/programs",
        json={"title": "التسويق", "trainer_id": trainer["id"], "starts_on": "2026-03-10", "ends_on": "2026-03-01",
              "place": "مقر", "capacity": 3},
        headers=headers,
    )  # fmt: skip
    assert backwards.status_code == 422 and set(backwards.json["errors"]) == {"ends_on"}
    program = client.post(
        f"{API}/training/programs",
        json={"title": "التسويق الإلكتروني", "trainer_id": trainer["id"], "starts_on": "2026-03-01",
              "ends_on": "2026-03-31", "place": "مقر الجمعية", "capacity": 1},
        headers=headers,
    )  # fmt: skip
    assert program.status_code == 201 and program.json["specialised"] is True
    base = f"{API}/training/programs/{program.json['id']}"
    assert client.post(f"{base}/enrolments", json={"producer_id": ids[0]}, headers=headers).status_code == 201
    full = client.post(f"{base}/enrolments", json={"producer_id": ids[1]}, headers=headers)
    assert full.status_code == 422 and set(full.json["errors"]) == {"producer_id"}
    twice = client.post(f"{base}/enrolments", json={"producer_id": ids[0]}, headers=headers)
    assert twice.status_code == 422
    session = client.post(
        f"{base}/sessions", json={"held_on": "2026-03-05", "topic": "البداية"}, headers=headers
    )
    assert session.status_code == 201
    present = client.put(
        f"{base}/sessions/{session.json['id']}/attendance", json={"present": [ids[0]]}, headers=headers
    )
    assert present.status_code == 200 and present.json["present"] == [ids[0]]
    closed = client.post(f"{base}/closure", json={"closed_on": "2026-03-31"}, headers=headers)
    assert closed.status_code == 200 and closed.json[0]["outcome"] == "completed"
    assert client.post(f"{base}/enrolments", json={"producer_id": ids[1]}, headers=headers).status_code == 409
    needs = client.put(f"{API}/producers/{ids[1]}/training-needs", json={"areas": ["nope"]}, headers=headers)
    assert needs.status_code == 422
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert any(path.endswith(f"/{PID}/training/programs/{{program_id}}/closure") for path in paths)


def test_staff_run_a_program_on_the_pages_in_arabic(
    client, manager, login, producer_factory, enabled, in_tenant
):
    pid = producer_factory(trade_name="مطبخ الواحة")
    with in_tenant(enabled):
        trainer = _trainer()
        db.session.commit()
        trainer_id = trainer.id
    login(manager)
    bad = client.post(f"{PAGE}/", data={"action": "program", "title": "ت", "trainer_id": trainer_id})
    assert bad.status_code == 422 and "is-invalid" in bad.get_data(as_text=True)
    made = client.post(
        f"{PAGE}/",
        data={"action": "program", "title": "التغليف", "specialised": "on", "area": "packaging",
              "trainer_id": trainer_id, "starts_on": "2026-03-01", "ends_on": "2026-03-31",
              "place": "مقر الجمعية", "capacity": "5"},
    )  # fmt: skip
    assert made.status_code == 303
    page = made.headers["Location"]
    assert client.post(page, data={"action": "enrol", "producer_id": pid}).status_code == 303
    assert client.post(page, data={"action": "enrol", "producer_id": pid}).status_code == 422
    assert client.post(page, data={"action": "session", "held_on": "2026-03-02"}).status_code == 303
    with in_tenant(enabled):
        session_id = services.sessions_of(db.session.scalar(db.select(TrainingProgram.id)))[0].id
    saved = client.post(page, data={"action": "attendance", "session_id": session_id, "present": str(pid)})
    assert saved.status_code == 303
    assert client.post(page, data={"action": "close", "closed_on": "2026-03-31"}).status_code == 303
    text = client.get(page).get_data(as_text=True)
    assert "مطبخ الواحة" in text and "أكمل" in text
    needs = client.post(
        f"{PAGE}/producers/{pid}", data={"action": "needs", "areas": ["marketing", "packaging"]}
    )
    assert needs.status_code == 303
    producer_page = client.get(f"/t/first/{PID}/producers/{pid}").get_data(as_text=True)
    assert "التسويق الإلكتروني" in producer_page and 'id="training"' in producer_page


def test_a_reader_sees_training_but_may_not_change_it(client, reader, login, enabled, in_tenant):
    with in_tenant(enabled):
        _trainer()
        db.session.commit()
    login(reader)
    assert client.get(f"{PAGE}/").status_code == 200
    assert "new-program" not in client.get(f"{PAGE}/").get_data(as_text=True)
    assert client.post(f"{PAGE}/trainers/", data={"action": "trainer", "name": "س"}).status_code == 403


def test_disabling_the_plugin_takes_training_pages_and_api_down_and_keeps_the_data(
    client, manager, login, token_for, enabled, enable_plugin, in_tenant
):
    with in_tenant(enabled):
        _program(_trainer())
        db.session.commit()
    headers = token_for(manager)
    login(manager)
    assert client.get(f"{PAGE}/").status_code == 200
    enable_plugin(enabled, PID, enabled=False)
    assert client.get(f"{PAGE}/").status_code == 404
    assert client.get(f"{PAGE}/trainers/").status_code == 404
    assert client.get(f"{API}/training/programs", headers=headers).status_code == 404
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(TrainingProgram.id))) == 1
    enable_plugin(enabled, PID)
    assert client.get(f"{API}/training/programs", headers=headers).json[0]["title"] == "التغليف والتعبئة"


@pytest.mark.parametrize("rows", [5, 40])
def test_the_programs_list_keeps_its_query_budget(
    rows, client, manager, login, token_for, enabled, in_tenant, max_queries
):
    with in_tenant(enabled):
        trainer = _trainer()
        for i in range(rows):
            _program(trainer, title=f"برنامج {i}")
        db.session.commit()
    headers = token_for(manager)
    with max_queries(10):
        assert client.get(f"{API}/training/programs", headers=headers).status_code == 200
    login(manager)
    with max_queries(16):
        assert client.get(f"{PAGE}/").status_code == 200

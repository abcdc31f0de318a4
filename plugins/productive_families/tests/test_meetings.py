"""Meetings with active families: invitations (the active producers by default), the time typed in
the association's zone, attendance, the challenges survey through core's survey engine, the summary
by theme, the KPIs (meetings held, attendees), the API and pages, the plugin disabled."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.toolkit import Conflict, Invalid, SurveyResponse, db, kpi_sources
from core.toolkit import today as tenant_today

from .. import services
from ..models_meetings import Meeting
from ..services import meetings as meetings_service
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def active_producer(producer_factory, enabled, in_tenant):
    """``active_producer(name)`` → a producer with an available product (an active one)."""

    def make(name: str = "مطبخ أم محمد") -> int:
        pid = producer_factory(trade_name=name)
        with in_tenant(enabled):
            services.add_product(services.get_producer(pid), {"name": "كليجا", "price": "25"})
            db.session.commit()
        return pid

    return make


def _meeting(when: str = "2026-03-10T17:00", **values) -> Meeting:
    return meetings_service.create_meeting(
        {"topic": "لقاء الأسر", "place": "مقر الجمعية", "starts_at": when, **values}
    )


def _choice_ids(meeting: Meeting) -> list[str]:
    return [str(q.id) for q in meetings_service.questions_for(meeting) if q.kind == "choice"]


def test_a_meeting_invites_the_active_producers_and_keeps_the_associations_time(
    enabled, active_producer, producer_factory, in_tenant
):
    first, second = active_producer("أسرة أ"), active_producer("أسرة ب")
    idle = producer_factory(trade_name="بلا منتجات")
    with in_tenant(enabled):
        meeting = _meeting("٢٠٢٦-٠٣-١٠T17:00")
        assert {i.producer_id for i in meetings_service.invitees_of(meeting)} == {first, second}
        assert meeting.starts_at == datetime(2026, 3, 10, 14, 0)  # Riyadh is UTC+3
        chosen = _meeting(producer_ids=[idle])
        assert [i.producer_id for i in meetings_service.invitees_of(chosen)] == [idle]


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"topic": "ل"}, "topic"),
        ({"place": ""}, "place"),
        ({"starts_at": "غداً"}, "starts_at"),
        ({"producer_ids": [999999]}, "producer_ids"),
        ({"producer_ids": []}, "producer_ids"),
    ],
)
def test_a_bad_meeting_is_a_field_error_and_nothing_is_written(
    enabled, active_producer, in_tenant, bad, field
):
    active_producer()
    with in_tenant(enabled):
        with pytest.raises(Invalid) as refused:
            _meeting(**bad) if "starts_at" not in bad else meetings_service.create_meeting(
                {"topic": "لقاء", "place": "المقر", **bad}
            )
        assert field in refused.value.messages
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_attendance_is_for_invitees_once_the_meeting_started(
    enabled, active_producer, producer_factory, in_tenant
):
    came, stayed = active_producer("أسرة أ"), active_producer("أسرة ب")
    stranger = producer_factory(trade_name="غير مدعوة")
    with in_tenant(enabled):
        meeting = _meeting()
        with pytest.raises(Conflict):
            meetings_service.record_attendance(
                meeting, {"present": [came]}, now=datetime(2026, 3, 10, 13, 59)
            )
        with pytest.raises(Invalid) as refused:
            meetings_service.record_attendance(
                meeting, {"present": [came, stranger]}, now=datetime(2026, 3, 11)
            )
        assert "present" in refused.value.messages
        meetings_service.record_attendance(meeting, {"present": [came]}, now=datetime(2026, 3, 10, 14, 0))
        status = {i.producer_id: i.present for i in meetings_service.invitees_of(meeting)}
        assert status == {came: True, stayed: False}
        assert meetings_service.figures_of(meeting) == {"invited": 2, "attended": 1, "responses": 0}


def test_survey_answers_reuse_core_surveys_and_are_limited_to_families_present(
    enabled, active_producer, in_tenant
):
    first, _second = active_producer("أسرة أ"), active_producer("أسرة ب")
    with in_tenant(enabled):
        meeting = _meeting()
        q1, q2, q3 = _choice_ids(meeting)
        with pytest.raises(Conflict):  # attendance first
            meetings_service.add_response(meeting, {q1: "marketing", q3: "no"})
        meetings_service.record_attendance(meeting, {"present": [first]}, now=datetime(2026, 3, 11))
        with pytest.raises(Invalid) as refused:
            meetings_service.add_response(meeting, {q1: "weather", q3: "no"})
        assert f"q{q1}" in refused.value.messages
        meetings_service.add_response(meeting, {q1: "marketing", q2: "financing", q3: "no"})
        with pytest.raises(Conflict):  # one family present, one answer
            meetings_service.add_response(meeting, {q1: "licensing", q3: "no"})
        stored = db.session.scalars(db.select(SurveyResponse)).all()
        assert len(stored) == 1 and stored[0].channel == "meeting" and stored[0].kpi_score is None
        assert stored[0].invitation_id is None  # anonymous, like core's satisfaction answers


def test_the_summary_counts_answers_per_theme_most_first_ties_in_theme_order(
    enabled, active_producer, in_tenant
):
    producers = [active_producer(f"أسرة {n}") for n in range(4)]
    with in_tenant(enabled):
        meeting = _meeting()
        q1, q2, q3 = _choice_ids(meeting)
        meetings_service.record_attendance(meeting, {"present": producers}, now=datetime(2026, 3, 11))
        for answers in (
            {q1: "financing", q2: "marketing", q3: "no"},
            {q1: "marketing", q2: "none", q3: "social"},
            {q1: "licensing", q2: "financing", q3: "health"},
            {q1: "raw_materials", q3: "social"},
        ):
            meetings_service.add_response(meeting, answers)
        summary = meetings_service.theme_summary([meeting.id])
    assert summary["responses"] == 4 and summary["themed_answers"] == 9  # "none" and "no" carry no theme
    ranked = [(t["theme"], t["answers"]) for t in summary["themes"]]
    # marketing, financing and family tie at 2: the themes' own order decides (marketing first).
    assert ranked == [
        ("marketing", 2),
        ("financing", 2),
        ("family", 2),
        ("licensing", 1),
        ("raw_materials", 1),
        ("health", 1),
    ]
    assert summary["themes"][0]["share"] == 22.2


def test_challenge_answers_stay_out_of_the_satisfaction_results(enabled, active_producer, in_tenant):
    pid = active_producer()
    with in_tenant(enabled):
        meeting = _meeting()
        q1, _q2, q3 = _choice_ids(meeting)
        meetings_service.record_attendance(meeting, {"present": [pid]}, now=datetime(2026, 3, 11))
        meetings_service.add_response(meeting, {q1: "marketing", q3: "no"})
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(enabled)}
        month = (tenant_today().replace(day=1), tenant_today())
        assert kpi["surveys.satisfaction"].compute(enabled, *month) is None
        assert kpi["surveys.response_rate"].compute(enabled, *month) is None


def test_kpis_count_meetings_held_and_distinct_attendees(enabled, active_producer, in_tenant):
    first, second = active_producer("أسرة أ"), active_producer("أسرة ب")
    with in_tenant(enabled):
        for when, present in (
            ("2026-02-01T10:00", [first, second]),
            ("2026-05-01T10:00", [first]),
            ("2026-06-01T10:00", []),  # nobody came: not held
            ("2027-01-01T01:00", [first]),  # 31 Dec 22:00 UTC, but 1 January in Al-Ahsa
        ):
            meeting = _meeting(when)
            meetings_service.record_attendance(meeting, {"present": present}, now=datetime(2027, 2, 1))
        _meeting("2026-09-01T10:00")  # attendance never recorded: not held
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(enabled)}
        assert kpi[f"{PID}.meetings_held"].compute(enabled, *YEAR) == 2
        assert kpi[f"{PID}.meeting_attendees"].compute(enabled, *YEAR) == 2
        assert kpi[f"{PID}.meetings_held"].compute(enabled, date(2027, 1, 1), date(2027, 1, 31)) == 1


def test_the_api_records_a_meeting_attendance_and_answers(
    client, manager, reader, token_for, enabled, active_producer
):
    pid = active_producer()
    headers = token_for(manager)
    bad = client.post(f"{API}/meetings", json={"topic": "ل", "place": "", "starts_at": "x"}, headers=headers)
    assert bad.status_code == 422 and {"topic", "place", "starts_at"} <= set(bad.json["errors"])
    made = client.post(
        f"{API}/meetings",
        json={"topic": "لقاء التسويق", "place": "الهفوف", "starts_at": "2026-03-10T17:00"},
        headers=headers,
    )
    assert made.status_code == 201 and made.json["invited"] == 1
    assert made.json["starts_at"] == "2026-03-10T14:00:00+00:00"  # 17:00 in Al-Ahsa
    mid = made.json["id"]
    assert (
        client.put(
            f"{API}/meetings/{mid}/attendance", json={"present": [pid]}, headers=token_for(reader)
        ).status_code
        == 403
    )
    came = client.put(f"{API}/meetings/{mid}/attendance", json={"present": [pid]}, headers=headers)
    assert came.status_code == 200 and came.json["attended"] == 1
    questions = client.get(f"{API}/meetings/{mid}/challenges-survey", headers=headers).json
    first = questions[0]
    assert {c["theme"] for c in first["choices"]} >= {
        "marketing",
        "licensing",
        "financing",
        "raw_materials",
        "training",
        "family",
    }
    refused = client.post(f"{API}/meetings/{mid}/responses", json={"answers": {}}, headers=headers)
    assert refused.status_code == 422 and f"q{first['id']}" in refused.json["errors"]
    answers = {str(q["id"]): q["choices"][0]["code"] for q in questions if q["kind"] == "choice"}
    summary = client.post(f"{API}/meetings/{mid}/responses", json={"answers": answers}, headers=headers)
    assert summary.status_code == 201 and summary.json["themes"][0]["theme"] == "marketing"
    assert (
        client.post(f"{API}/meetings/{mid}/responses", json={"answers": answers}, headers=headers).status_code
        == 409
    )
    listed = client.get(f"{API}/meetings", headers=token_for(reader)).json
    assert listed[0]["responses"] == 1


def test_the_pages_show_attendance_and_the_summary_in_words(
    client, manager, login, enabled, active_producer, in_tenant
):
    pid = active_producer("مطبخ أم سعد")
    login(manager)
    added = client.post(
        f"/t/first/{PID}/meetings/",
        data={"action": "meeting_create", "topic": "لقاء", "place": "المقر", "starts_at": "2026-03-10T17:00"},
    )
    assert added.status_code == 422  # no one ticked: a field error, nothing written
    added = client.post(
        f"/t/first/{PID}/meetings/",
        data={"action": "meeting_create", "topic": "لقاء التحديات", "place": "المقر", "starts_at": "2026-03-10T17:00",
              "producer_ids": [pid]},
    )  # fmt: skip
    assert added.status_code == 303
    page_url = added.headers["Location"]
    assert client.post(page_url, data={"action": "meeting_attendance", "present": [pid]}).status_code == 303
    with in_tenant(enabled):
        meeting = db.session.scalars(db.select(Meeting)).one()
        q1, _q2, q3 = _choice_ids(meeting)
    bad = client.post(page_url, data={"action": "meeting_answer", f"q{q3}": "no"})
    assert bad.status_code == 422 and f'id="q{q1}-error"' in bad.get_data(as_text=True)
    assert (
        client.post(
            page_url, data={"action": "meeting_answer", f"q{q1}": "licensing", f"q{q3}": "no"}
        ).status_code
        == 303
    )
    text = client.get(page_url).get_data(as_text=True)
    assert "مطبخ أم سعد" in text and "الترخيص" in text and 'data-theme="licensing"' in text
    assert "licensing<" not in text  # words, not codes


def test_disabling_the_plugin_takes_meetings_down_and_keeps_them(
    client, manager, token_for, login, enabled, enable_plugin, active_producer, in_tenant
):
    active_producer()
    with in_tenant(enabled):
        _meeting()
        db.session.commit()
    enable_plugin(enabled, PID, enabled=False)
    assert client.get(f"{API}/meetings", headers=token_for(manager)).status_code == 404
    login(manager)
    assert client.get(f"/t/first/{PID}/meetings/").status_code == 404
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 1
    enable_plugin(enabled, PID)
    assert client.get(f"/t/first/{PID}/meetings/").status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_the_meetings_list_keeps_its_query_budget_at_any_size(
    count, client, manager, login, token_for, enabled, active_producer, in_tenant, max_queries
):
    producers = [active_producer(f"أسرة {n}") for n in range(3)]
    with in_tenant(enabled):
        for n in range(count):
            meeting = _meeting(f"2026-0{1 + n % 9}-10T17:00")
            meetings_service.record_attendance(meeting, {"present": producers[:2]}, now=datetime(2027, 1, 1))
            q1, _q2, q3 = _choice_ids(meeting)
            meetings_service.add_response(meeting, {q1: "marketing", q3: "no"})
        db.session.commit()
    with max_queries(10):
        assert client.get(f"{API}/meetings", headers=token_for(manager)).status_code == 200
    login(manager)
    with max_queries(24):
        assert client.get(f"/t/first/{PID}/meetings/?year=2026").status_code == 200


def test_the_challenges_survey_is_the_plugins_and_read_only_in_the_survey_builder(
    client, enabled, make_member, login, in_tenant
):
    with in_tenant(enabled):
        version = meetings_service.challenges_version()
        db.session.commit()
        survey_id = version.survey_id
    admin = make_member("admin@first.example.org", enabled, ["tenant_admin"])
    login(admin)
    html = client.get("/t/first/surveys/admin").get_data(as_text=True)
    owned = html[html.index('id="owned-surveys"') :]
    assert "استبانة تحديات الأسر المنتجة" in owned and "الأسر المنتجة" in owned
    assert f'name="survey_id" value="{survey_id}"' not in html
    refused = client.post("/t/first/surveys/admin", data={"action": "new_version", "survey_id": survey_id})
    assert refused.status_code == 409
    with in_tenant(enabled):
        assert meetings_service.challenges_version().id == version.id  # the meetings still use it

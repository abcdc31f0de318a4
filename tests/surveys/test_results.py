"""The satisfaction KPI against hand-computed figures; paper entry; who reads what."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.aid.services import catalog, install_default_catalog
from core.extensions import db
from core.kpi import kpi_values
from core.surveys import services
from core.surveys.models import SurveyInvitation, SurveyResponse
from core.surveys.services.defaults import install_default_survey
from core.surveys.services.results import periods_between
from core.tenancy import tenant_context

BASE = "/t/first/api/v1/surveys"


def _add(version, period, program_id, scores, invited_extra=0, text=None):
    """Responses with these KPI scores (and their invitations), plus unanswered invitations."""
    for score in scores:
        db.session.add(
            SurveyInvitation(
                tenant_id=version.tenant_id,
                version_id=version.id,
                period=period,
                program_id=program_id,
                trigger="disbursement",
                answered_at=db.func.now(),
            )
        )
        db.session.add(
            SurveyResponse(
                tenant_id=version.tenant_id,
                version_id=version.id,
                period=period,
                program_id=program_id,
                channel="link",
                kpi_score=score,
                answers={"999": text} if text else {},
            )
        )
    for _ in range(invited_extra):
        db.session.add(
            SurveyInvitation(
                tenant_id=version.tenant_id,
                version_id=version.id,
                period=period,
                program_id=program_id,
                trigger="disbursement",
            )
        )
    db.session.flush()


@pytest.fixture
def version(in_first):
    install_default_survey()
    return services.invitation_version()


def _programs(tenant):
    install_default_catalog(tenant)
    return [item.id for item in catalog()[:2]]


def test_the_kpi_matches_the_hand_computed_figures(version, in_first):
    food, rent = _programs(in_first)
    # November: food 6 responses (ratings 5 5 4 4 3 1 → 4 satisfied at threshold 4), 2 unanswered;
    # rent 3 responses (5 5 2), 1 unanswered.
    _add(version, "2025-11", food, [5, 5, 4, 4, 3, 1], invited_extra=2)
    _add(version, "2025-11", rent, [5, 5, 2], invited_extra=1)
    result = services.satisfaction(date(2025, 11, 1), date(2025, 11, 30))
    overall = result["overall"]
    assert overall["responses"] == 9 and overall["invited"] == 12
    assert overall["share"] == pytest.approx(100 * 6 / 9)
    assert overall["response_rate"] == pytest.approx(75.0)
    p = 6 / 9
    assert overall["margin"] == pytest.approx(
        100 * 1.959964 * math.sqrt(p * (1 - p) / 9) * math.sqrt(3 / 11), rel=1e-5
    )
    by_program = {row["program_id"]: row for row in result["programs"]}
    assert by_program[food]["share"] == pytest.approx(100 * 4 / 6) and by_program[food]["responses"] == 6
    assert by_program[rent]["suppressed"] is True and by_program[rent]["share"] is None  # 3 < 5
    assert result["months"] == [{"period": "2025-11", **{k: overall[k] for k in overall}}]


def test_a_rating_equal_to_the_threshold_counts_as_satisfied(version, in_first, staff):
    _add(version, "2025-10", None, [3, 3, 3, 2, 2])
    services.update_settings({"threshold": 3}, staff["tenant_admin"])
    assert services.satisfaction(date(2025, 10, 1), date(2025, 10, 31))["overall"]["share"] == pytest.approx(
        60.0
    )
    services.update_settings({"threshold": 4}, staff["tenant_admin"])
    assert services.satisfaction(date(2025, 10, 1), date(2025, 10, 31))["overall"]["share"] == 0.0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=0, max_value=8))
def test_a_month_under_five_responses_is_not_shown(version, in_first, count):
    db.session.execute(db.delete(SurveyResponse))
    db.session.execute(db.delete(SurveyInvitation))
    _add(version, "2025-09", None, [5] * count)
    month = services.satisfaction(date(2025, 9, 1), date(2025, 9, 30))["months"][0]
    assert month["suppressed"] is (count < 5)
    assert (month["share"] is None) is (count < 5)


def test_periods_cover_whole_months_across_a_year_end():
    assert periods_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def test_the_kpi_sources_are_registered_for_planning(version, tenant):
    _add(version, "2025-11", None, [5, 4, 1, 5, 5])
    db.session.commit()
    values = {v["key"]: v for v in kpi_values(tenant, date(2025, 11, 1), date(2025, 11, 30))}
    assert values["surveys.satisfaction"]["value"] == pytest.approx(80.0)
    assert values["surveys.satisfaction"]["unit"] == "percent"
    assert values["surveys.response_rate"]["value"] == pytest.approx(100.0)


def test_free_text_is_read_only_by_the_roles_the_tenant_grants(version, tenant, client, staff, token_for):
    text_id = next(q.id for q in services.questions_of(version) if q.kind == "text")
    rating_id = next(q.id for q in services.questions_of(version) if q.kind == "rating")
    _add(version, "2025-11", None, [5, 5, 5, 5, 5], text="الموظف تأخر")
    db.session.execute(
        db.update(SurveyResponse).values(answers={str(text_id): "الموظف تأخر", str(rating_id): 5})
    )
    db.session.commit()
    query = "?start=2025-11-01&end=2025-11-30"
    director = client.get(f"{BASE}/responses{query}", headers=token_for(staff["executive_director"])).json
    auditor = client.get(f"{BASE}/responses{query}", headers=token_for(staff["auditor"])).json
    assert all(r["answers"] == {str(text_id): "الموظف تأخر", str(rating_id): 5} for r in director)
    assert all(r["answers"] == {str(rating_id): 5} for r in auditor) and len(auditor) == 5
    assert all(r["request_id"] is None for r in director)
    assert client.get(f"{BASE}/responses{query}", headers=token_for(staff["researcher"])).status_code == 403


def test_a_small_programs_responses_are_not_listed(version, tenant, client, staff, token_for):
    _add(version, "2025-11", None, [5, 5, 5, 5])
    db.session.commit()
    listed = client.get(
        f"{BASE}/responses?start=2025-11-01&end=2025-11-30", headers=token_for(staff["auditor"])
    )
    assert listed.status_code == 200 and listed.json == []


def test_results_api_rejects_an_inverted_period(client, staff, token_for):
    bad = client.get(f"{BASE}/results?start=2025-12-01&end=2025-11-01", headers=token_for(staff["auditor"]))
    assert bad.status_code == 422 and "end" in str(bad.json["errors"])


def test_staff_enter_a_paper_survey_once_per_request(
    new_request, advance, in_first, client, staff, token_for, tenant
):
    request = advance(new_request(), "approved")
    install_default_survey()
    db.session.commit()
    questions = services.questions_of(services.invitation_version())
    answers = {
        str(q.id): {"rating": 2, "yes_no": "no", "choice": "poor", "text": ""}[q.kind] for q in questions
    }
    headers = token_for(staff["relations_officer"])
    entered = client.post(
        f"{BASE}/paper", json={"request_id": request.id, "answers": answers}, headers=headers
    )
    assert (
        entered.status_code == 201 and entered.json["channel"] == "paper" and entered.json["kpi_score"] == 2
    )
    again = client.post(f"{BASE}/paper", json={"request_id": request.id, "answers": answers}, headers=headers)
    assert again.status_code == 409
    assert (
        client.post(
            f"{BASE}/paper",
            json={"request_id": request.id, "answers": answers},
            headers=token_for(staff["auditor"]),
        ).status_code
        == 403
    )
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1
        invitation = db.session.scalars(db.select(SurveyInvitation)).one()
        assert invitation.trigger == "paper" and invitation.token_hash is None

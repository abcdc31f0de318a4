"""The survey pages: builder (field errors, nothing written), dashboard (SVG chart with its
data table, suppression), paper entry."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.calendar import today as tenant_today
from core.extensions import db
from core.surveys import services
from core.surveys.models import Survey, SurveyInvitation, SurveyQuestion, SurveyResponse
from core.surveys.services.defaults import install_default_survey, load_demo_responses
from core.tenancy import tenant_context

ADMIN = "/t/first/surveys/admin"


def test_the_admin_builds_publishes_and_sees_field_errors(client, login, staff, tenant):
    login(staff["tenant_admin"])
    assert client.get(ADMIN).status_code == 200
    created = client.post(
        ADMIN,
        data={
            "action": "create_survey",
            "code": "service",
            "name_ar": "استبانة الخدمة",
            "name_en": "Service",
        },
    )
    assert created.status_code == 302
    with tenant_context(tenant):
        version_id = db.session.scalars(db.select(Survey)).one().id  # version 1 of survey 1
    bad = client.post(
        ADMIN,
        data={
            "action": "add_question",
            "version_id": version_id,
            "kind": "yes_no",
            "text_ar": "",
            "text_en": "Fast?",
            "feeds_kpi": "on",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="text_ar-error"' in html
    good = client.post(
        ADMIN,
        data={
            "action": "add_question",
            "version_id": version_id,
            "kind": "rating",
            "text_ar": "ما مدى رضاك؟",
            "text_en": "How satisfied?",
            "feeds_kpi": "on",
            "required": "on",
        },
    )
    assert good.status_code == 302
    choice = client.post(
        ADMIN,
        data={
            "action": "add_question",
            "version_id": version_id,
            "kind": "choice",
            "text_ar": "كيف عرفتنا؟",
            "text_en": "How did you hear of us?",
            "choices": "friend|صديق|A friend\nsms|رسالة|A message",
        },
    )
    assert choice.status_code == 302
    assert client.post(ADMIN, data={"action": "publish", "version_id": version_id}).status_code == 302
    page = client.get(ADMIN).get_data(as_text=True)
    assert "منشور" in page and "صديق" in page
    assert (
        client.post(
            ADMIN,
            data={
                "action": "settings",
                "threshold": "9",
                "target_margin": "5",
                "link_days": "30",
                "complaint_below": "2",
                "target_share": "85",
            },
        ).status_code
        == 422
    )
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyQuestion.id))) == 2


def test_the_builder_is_for_the_tenant_admin_only(client, login, staff):
    login(staff["researcher"])
    assert client.get(ADMIN).status_code == 403


def test_the_dashboard_draws_a_chart_per_month_with_suppressed_months(client, login, staff, tenant):
    with tenant_context(tenant):
        added = load_demo_responses(tenant_today(), months=6, per_month=10)
        assert added > 0 and load_demo_responses(tenant_today()) == 0  # idempotent
        period = db.session.scalars(db.select(SurveyResponse.period).order_by(SurveyResponse.period)).first()
        # leave the oldest month with 2 responses: suppressed
        ids = db.session.scalars(db.select(SurveyResponse.id).where(SurveyResponse.period == period)).all()
        db.session.execute(db.delete(SurveyResponse).where(SurveyResponse.id.in_(ids[2:])))
        db.session.commit()
    login(staff["executive_director"])
    page = client.get("/t/first/surveys/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (
        '<svg class="surveys-chart"' in html and 'role="img"' in html and '<title id="chart-title">' in html
    )
    assert html.count("<rect") >= 6  # one bar (or outline) per month of the 12
    assert "أقل من 5 إجابات" in html
    login(staff["researcher"])
    assert client.get("/t/first/surveys/").status_code == 403


def test_paper_entry_page_names_an_unknown_request_number(client, login, staff, tenant):
    with tenant_context(tenant):
        install_default_survey()
        db.session.commit()
    login(staff["relations_officer"])
    assert client.get("/t/first/surveys/paper").status_code == 200
    response = client.post("/t/first/surveys/paper", data={"request_number": "X-1"})
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 422
        and 'id="request_number-error"' in html
        and "لا يوجد طلب بهذا الرقم" in html
    )
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyInvitation.id))) == 0


def test_the_auditor_exports_results_without_free_text_and_formulas_stay_text(client, login, staff, tenant):
    with tenant_context(tenant):
        install_default_survey()
        version = services.invitation_version()
        text_id = next(q.id for q in services.questions_of(version) if q.kind == "text")
        rating_id = next(q.id for q in services.questions_of(version) if q.feeds_kpi)
        period = tenant_today().strftime("%Y-%m")
        for score in (5, 4, 2, 5, 1):
            db.session.add(
                SurveyResponse(
                    tenant_id=tenant.id,
                    version_id=version.id,
                    period=period,
                    channel="link",
                    kpi_score=score,
                    answers={str(rating_id): score, str(text_id): '=HYPERLINK("http://x")'},
                )
            )
        db.session.commit()
    login(staff["auditor"])
    response = client.get("/t/first/surveys/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    results, answers = book.worksheets
    overall = list(results.iter_rows(values_only=True))[1]
    assert overall[1] == 60.0 and overall[3] == 5
    texts = [row[4] for row in list(answers.iter_rows(values_only=True))[1:]]
    assert len(texts) == 5 and all("HYPERLINK" not in t for t in texts)
    login(staff["executive_director"])
    book = load_workbook(io.BytesIO(client.get("/t/first/surveys/export.xlsx").data))
    texts = [row[4] for row in list(book.worksheets[1].iter_rows(values_only=True))[1:]]
    assert all("'=HYPERLINK" in t for t in texts)
    assert client.get("/t/first/surveys/export.xlsx?start=2025-13-01").status_code == 422


def test_the_builder_and_dashboard_read_a_fixed_number_of_queries(client, login, staff, tenant, max_queries):
    """Two surveys with three versions of four questions, six months of demo responses: the
    pages' query counts do not grow with the rows."""
    with tenant_context(tenant):
        load_demo_responses(tenant_today(), months=6, per_month=10)
        survey = db.session.scalars(db.select(Survey)).one()
        services.new_version(survey, staff["tenant_admin"])
        db.session.commit()
    login(staff["tenant_admin"])
    client.get(ADMIN)  # warm the per-process caches (permissions, plugins)
    with max_queries(8, label="survey builder"):
        assert client.get(ADMIN).status_code == 200
    login(staff["executive_director"])
    client.get("/t/first/surveys/")
    with max_queries(8, label="satisfaction dashboard"):
        assert client.get("/t/first/surveys/").status_code == 200


def test_the_request_page_shows_the_survey_state_and_the_paper_entry(
    new_request, advance, client, login, staff, tenant
):
    with tenant_context(tenant):
        request = advance(new_request(), "disbursed")
        db.session.commit()
        request_id, number = request.id, request.number
    login(staff["relations_officer"])
    html = client.get(f"/t/first/requests/{request_id}").get_data(as_text=True)
    assert 'id="satisfaction-survey"' in html and "لم تتم الإجابة بعد" in html
    assert f"/t/first/surveys/paper?request_number={number}" in html
    paper = client.get(f"/t/first/surveys/paper?request_number={number}").get_data(as_text=True)
    assert f'value="{number}"' in paper

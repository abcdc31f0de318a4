"""Pages and API: every staff role reads, only the admin and the director import and approve
(audited, with the board meeting), an approved plan is read-only and revised by a new version,
bad files answer 422 naming the lines, explain shows only records the viewer may read."""

from __future__ import annotations

import io

from core.audit.models import AuditEvent
from core.extensions import db
from core.planning import Plan
from core.tenancy import tenant_context
from tests.planning.helpers import GOOD
from tests.planning.test_import import BAD


def test_staff_read_the_plan_page_and_api_and_only_editors_approve(client, login, api, tenant, staff, plan):
    login(staff["researcher"])
    page = client.get(f"/t/first/planning/{plan.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="grid-1"' in body and 'id="chart-month"' in body and "مساندة الأسر" in body
    assert 'id="approve-form"' not in body
    assert client.get("/t/first/planning/").status_code == 200
    assert api(staff["researcher"]).post(f"/planning/plans/{plan.id}/approve",
                                         json={"board_meeting_number": "3", "board_meeting_date": "2025-01-05"}
                                         ).status_code == 403  # fmt: skip
    out = api(staff["finance_officer"]).get(f"/planning/plans/{plan.id}").get_json()
    assert [g["number"] for g in out["goals"]] == [1, 2]
    statuses = {a["name"]: a["status"]["code"] for g in out["goals"] for a in g["activities"]}
    assert statuses["التقرير السنوي"] == "not_measured"
    assert api(staff["applicant"]).get(f"/planning/plans/{plan.id}").status_code == 403


def test_approval_records_the_board_meeting_audited_then_the_plan_is_read_only_and_revised(
    api, tenant, staff, plan
):
    director = api(staff["executive_director"])
    refused = director.post(f"/planning/plans/{plan.id}/approve", json={"board_meeting_number": "3"})
    assert refused.status_code == 422 and "board_meeting_date" in refused.get_json()["errors"]
    done = director.post(f"/planning/plans/{plan.id}/approve",
                         json={"board_meeting_number": "٣", "board_meeting_date": "1446-07-05"})  # fmt: skip
    assert done.status_code == 200 and done.get_json()["status"] == "approved"
    with tenant_context(tenant):
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "plan.approve")).one()
        assert (
            event.details["board_meeting_number"] == "٣"
            and event.details["board_meeting_date"] == "2025-01-05"
        )
    again = director.post(f"/planning/plans/{plan.id}/approve",
                          json={"board_meeting_number": "4", "board_meeting_date": "2025-02-01"})  # fmt: skip
    assert again.status_code == 409
    reimport = director.post(f"/planning/plans/{plan.id}/import",
                             data={"file": (io.BytesIO(GOOD.encode()), "plan.csv")})  # fmt: skip
    assert reimport.status_code == 409
    new = director.post(f"/planning/plans/{plan.id}/revise")
    assert new.status_code == 201 and new.get_json()["version"] == 2 and new.get_json()["status"] == "draft"
    new_id = new.get_json()["id"]
    assert len(director.get(f"/planning/plans/{new_id}").get_json()["goals"]) == 2
    director.post(f"/planning/plans/{new_id}/approve",
                  json={"board_meeting_number": "5", "board_meeting_date": "2025-06-01"})  # fmt: skip
    with tenant_context(tenant):
        assert db.session.get(Plan, plan.id).status == "superseded"


def test_a_bad_file_answers_422_naming_every_line_and_nothing_is_written(
    client, login, api, tenant, staff, rent
):
    director = api(staff["executive_director"])
    answer = director.post("/planning/plans", data={"fiscal_year": "2025", "title": "خطة",
                                                    "file": (io.BytesIO(BAD.encode()), "bad.csv")})  # fmt: skip
    assert answer.status_code == 422
    messages = answer.get_json()["errors"]["file"]
    assert any(m.startswith("2:") for m in messages) and any(m.startswith("4:") for m in messages)
    login(staff["executive_director"])
    page = client.post("/t/first/planning/", data={"fiscal_year": "2025", "title": "خطة", "calendar": "gregorian",
                                                   "file": (io.BytesIO(BAD.encode()), "bad.csv")})  # fmt: skip
    assert page.status_code == 422 and 'id="file-errors"' in page.get_data(as_text=True)
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == 0
    ok = client.post("/t/first/planning/", data={"fiscal_year": "2025", "title": "خطة", "calendar": "gregorian",
                                                 "file": (io.BytesIO(GOOD.encode()), "plan.csv")})  # fmt: skip
    assert ok.status_code == 302


def test_explain_lists_the_records_the_viewer_may_read(api, tenant, staff, plan):
    with tenant_context(tenant):
        indicator_id = db.session.scalar(
            db.text("select id from planning_indicators where kpi_source is not null")
        )
    bind = api(staff["executive_director"]).post(f"/planning/plans/{plan.id}/indicators/{indicator_id}/measure",
                                                 json={"kpi_source": "registry.files.active"})  # fmt: skip
    assert bind.status_code == 204
    path = f"/planning/plans/{plan.id}/indicators/{indicator_id}/explain"
    assert api(staff["researcher"]).get(path).get_json()["hidden"] is False
    hidden = api(staff["auditor"]).get(path).get_json()  # the auditor reads the trail, not files
    assert hidden["hidden"] is True and hidden["records"] == []
    unknown = api(staff["executive_director"]).post(f"/planning/plans/{plan.id}/indicators/{indicator_id}/measure",
                                                    json={"kpi_source": "nope"})  # fmt: skip
    assert unknown.status_code == 422


def test_template_and_xlsx_export_download(client, login, staff, plan):
    login(staff["auditor"])
    template = client.get("/t/first/planning/template.csv")
    assert template.status_code == 200 and "رقم الهدف" in template.get_data(as_text=True)
    assert client.get("/t/first/planning/template.xlsx").status_code == 200
    export = client.get(f"/t/first/planning/{plan.id}/export.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert client.get(f"/t/first/planning/{plan.id}/print").status_code == 200

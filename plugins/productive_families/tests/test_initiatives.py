"""Initiatives: the tenant's quality criteria (weights summing to 100), the needs study document
(stored, downloaded, audited), the annual plan, the weighted quality score against the tenant's
target at its boundary, the KPI, the API and pages, the plugin disabled."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.testing import AuditEvent
from core.toolkit import Invalid, NotFound, db, kpi_sources

from ..models_meetings import Initiative, InitiativeCriterion
from ..services import initiatives as initiatives_service
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _initiative(**values) -> Initiative:
    return initiatives_service.create_initiative(
        {"kind": "economic", "title": "سوق الأسر الشهري", "year": 2026, **values}
    )


def _two_criteria(first: int = 50, second: int = 50) -> list[InitiativeCriterion]:
    return initiatives_service.set_criteria(
        {"criteria": [{"name": "الملاءمة", "weight": first}, {"name": "الاستدامة", "weight": second}]}
    )


def test_the_weights_must_add_up_to_100_else_a_field_error_and_nothing_changes(enabled, in_tenant):
    with in_tenant(enabled):
        defaults = initiatives_service.criteria()
        assert sum(c.weight for c in defaults) == 100
        db.session.commit()
        for bad in (
            {"criteria": [{"name": "الملاءمة", "weight": 60}, {"name": "الاستدامة", "weight": 30}]},
            {"criteria": [{"name": "الملاءمة", "weight": 50}, {"name": "الملاءمة", "weight": 50}]},
            {"criteria": [{"name": "الملاءمة", "weight": 0}, {"name": "الاستدامة", "weight": 100}]},
            {"criteria": []},
        ):
            with pytest.raises(Invalid) as refused:
                initiatives_service.set_criteria(bad)
            assert "criteria" in refused.value.messages
        db.session.rollback()
        assert [c.weight for c in initiatives_service.criteria()] == [c.weight for c in defaults]
        assert [c.weight for c in _two_criteria(70, 30)] == [70, 30]


def test_the_weighted_quality_meets_the_target_at_the_boundary(enabled, in_tenant):
    with in_tenant(enabled):
        low, high = _two_criteria(50, 50)
        initiative = _initiative()
        # 50×10 + 50×9 = 950 → 95.0 %: exactly the default target, so it counts.
        initiatives_service.score(
            initiative, {"scores": {str(low.id): 10, str(high.id): 9}}, today=date(2026, 4, 1)
        )
        assert initiatives_service.quality_percent(initiative) == 95.0
        assert initiatives_service.as_out(initiative)["meets_target"] is True
        other = _initiative(title="مبادرة أخرى")
        low2, high2 = _two_criteria(51, 49)  # 51×10 + 49×9 = 951; 49×10 + 51×9 = 949
        initiatives_service.score(
            other, {"scores": {str(low2.id): 9, str(high2.id): 10}}, today=date(2026, 4, 1)
        )
        assert other.quality_points == 949 and initiatives_service.as_out(other)["meets_target"] is False
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(enabled)}[f"{PID}.initiatives_meeting_target"]
        assert kpi.compute(enabled, *YEAR) == 1
        assert kpi.compute(enabled, date(2025, 1, 1), date(2025, 12, 31)) == 0


def test_the_target_is_the_tenants_setting(enabled, enable_plugin, in_tenant):
    with in_tenant(enabled):
        low, high = _two_criteria()
        initiative = _initiative()
        initiatives_service.score(
            initiative, {"scores": {str(low.id): 9, str(high.id): 9}}, today=date(2026, 4, 1)
        )
        db.session.commit()
        assert initiatives_service.as_out(initiative)["meets_target"] is False  # 90 % < 95 %
    enable_plugin(enabled, PID, {"initiative_quality_target": 90})
    with in_tenant(enabled):
        kpi = {s.key: s for s in kpi_sources(enabled)}[f"{PID}.initiatives_meeting_target"]
        assert kpi.compute(enabled, *YEAR) == 1


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6),
    scores=st.lists(st.integers(min_value=0, max_value=10), min_size=6, max_size=6),
    target=st.integers(min_value=1, max_value=100),
)
def test_meeting_the_target_is_exactly_the_weighted_percentage_compared_without_rounding(
    weights, scores, target
):
    pairs = list(zip(weights, scores, strict=False))
    percent = sum(w * s for w, s in pairs) / 10
    assert initiatives_service.meets(initiatives_service.points(pairs), target) is (percent >= target)


def test_every_criterion_is_scored_0_to_10(enabled, in_tenant):
    with in_tenant(enabled):
        low, high = _two_criteria()
        initiative = _initiative()
        for bad, in_message in (
            ({str(low.id): 11, str(high.id): 5}, "scores"),
            ({str(low.id): 5}, "scores"),
            ({str(low.id): 5, str(high.id): 5, "999": 5}, "scores"),
        ):
            with pytest.raises(Invalid) as refused:
                initiatives_service.score(initiative, {"scores": bad})
            assert in_message in refused.value.messages
        assert initiative.quality_points is None


def test_the_needs_study_file_is_stored_and_its_download_audited(
    client, manager, login, enabled, in_tenant, make_file
):
    pdf = make_file("pdf")
    login(manager)
    added = client.post(
        f"/t/first/{PID}/initiatives/",
        data={"action": "initiative_create", "kind": "community", "title": "ركن رعاية الأطفال", "year": "٢٠٢٦",
              "needs_study": "أسر لا تحضر التدريب", "needs_file": (io.BytesIO(pdf), "دراسة.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert added.status_code == 303, added.get_data(as_text=True)
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "ركن رعاية الأطفال" in page and "مجتمعية" in page
    with in_tenant(enabled):
        initiative = db.session.scalars(db.select(Initiative)).one()
    got = client.get(f"/t/first/{PID}/initiatives/{initiative.id}/needs-study")
    assert got.status_code == 200 and got.data == pdf
    with in_tenant(enabled):
        downloads = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == f"{PID}.initiative.file_downloaded")
        ).all()
        assert [d.user_id for d in downloads] == [manager.id]
        bare = _initiative(title="بلا مستند")
        db.session.commit()
        with pytest.raises(NotFound):
            initiatives_service.needs_file_of(bare)


def test_a_bad_upload_is_a_field_error(client, manager, login, enabled, in_tenant):
    login(manager)
    refused = client.post(
        f"/t/first/{PID}/initiatives/",
        data={"action": "initiative_create", "kind": "economic", "title": "مبادرة", "year": "2026",
              "needs_file": (io.BytesIO(b"MZ\x90\x00 not a document"), "x.exe")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert refused.status_code == 422 and 'id="needs_file-error"' in refused.get_data(as_text=True)
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 0


def test_the_api_builds_an_initiative_with_its_plan_and_score(client, manager, reader, token_for, enabled):
    headers = token_for(manager)
    bad = client.put(
        f"{API}/initiatives/criteria",
        json={"criteria": [{"name": "الملاءمة", "weight": 90}]},
        headers=headers,
    )
    assert bad.status_code == 422 and "criteria" in bad.json["errors"]
    criteria = client.put(
        f"{API}/initiatives/criteria",
        json={"criteria": [{"name": "الملاءمة", "weight": 60}, {"name": "الاستدامة", "weight": 40}]},
        headers=headers,
    ).json
    made = client.post(
        f"{API}/initiatives", json={"kind": "economic", "title": "سوق الأسر", "year": 2026}, headers=headers
    )
    assert made.status_code == 201 and made.json["quality_percent"] is None
    iid = made.json["id"]
    month = client.post(
        f"{API}/initiatives/{iid}/activities",
        json={"title": "السوق الأول", "month": 13, "owner": "إدارة البرامج"},
        headers=headers,
    )
    assert month.status_code == 422 and "month" in month.json["errors"]
    assert client.post(
        f"{API}/initiatives/{iid}/activities", json={"title": "السوق الأول", "month": 3, "owner": "إدارة البرامج"}, headers=headers
    ).status_code == 201  # fmt: skip
    scored = client.put(
        f"{API}/initiatives/{iid}/quality",
        json={"scores": {str(criteria[0]["id"]): 10, str(criteria[1]["id"]): 9}},
        headers=headers,
    )
    assert scored.status_code == 200
    assert (scored.json["quality_percent"], scored.json["meets_target"]) == (96.0, True)
    assert scored.json["activities"][0]["month"] == 3
    assert (
        client.patch(
            f"{API}/initiatives/{iid}", json={"status": "in_progress"}, headers=token_for(reader)
        ).status_code
        == 403
    )
    moved = client.patch(f"{API}/initiatives/{iid}", json={"status": "in_progress"}, headers=headers)
    assert moved.status_code == 200 and moved.json["status"] == "in_progress"
    assert client.get(f"{API}/initiatives/{iid}/needs-study", headers=headers).status_code == 404


def test_the_score_page_shows_the_percentage_and_a_field_error(client, manager, login, enabled, in_tenant):
    with in_tenant(enabled):
        low, high = _two_criteria()
        initiative = _initiative()
        db.session.commit()
    login(manager)
    url = f"/t/first/{PID}/initiatives/{initiative.id}"
    refused = client.post(
        url, data={"action": "initiative_score", f"score_{low.id}": "١١", f"score_{high.id}": "9"}
    )
    assert refused.status_code == 422 and 'id="scores-error"' in refused.get_data(as_text=True)
    done = client.post(
        url, data={"action": "initiative_score", f"score_{low.id}": "١٠", f"score_{high.id}": "9"}
    )
    assert done.status_code == 303
    text = client.get(url).get_data(as_text=True)
    assert "data-quality" in text and "تحقق المستهدف" in text


def test_disabling_the_plugin_takes_initiatives_down_and_keeps_them(
    client, manager, token_for, login, enabled, enable_plugin, in_tenant
):
    with in_tenant(enabled):
        _initiative()
        db.session.commit()
    enable_plugin(enabled, PID, enabled=False)
    assert client.get(f"{API}/initiatives", headers=token_for(manager)).status_code == 404
    login(manager)
    assert client.get(f"/t/first/{PID}/initiatives/").status_code == 404
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 1


def test_the_plan_shows_month_names_and_staff_mark_activities_done(
    client, manager, reader, login, enabled, in_tenant
):
    with in_tenant(enabled):
        initiative = _initiative()
        db.session.commit()
    login(manager)
    url = f"/t/first/{PID}/initiatives/{initiative.id}"
    added = client.post(
        url, data={"action": "initiative_activity", "title": "السوق الأول", "month": "3", "owner": "البرامج"}
    )
    assert added.status_code == 303
    with in_tenant(enabled):
        activity = initiatives_service.activities_of(initiative)[0]
    page = client.get(url).get_data(as_text=True)
    row = page[page.index(f'data-activity="{activity.id}"') :]
    assert "مارس" in row[: row.index("</tr>")]  # the month by name, not "3"
    done = client.post(
        url, data={"action": "initiative_activity_done", "activity_id": activity.id, "done": "true"}
    )
    assert done.status_code == 303
    with in_tenant(enabled):
        assert db.session.get(type(activity), activity.id).done is True
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.action.like(f"{PID}.initiative.activity_%"))
        ).all()
        assert sorted(actions) == [f"{PID}.initiative.activity_added", f"{PID}.initiative.activity_done"]
    missing = client.post(
        url, data={"action": "initiative_activity_done", "activity_id": "999", "done": "true"}
    )
    assert missing.status_code == 404
    bad = client.post(
        url, data={"action": "initiative_activity_done", "activity_id": activity.id, "done": "maybe"}
    )
    assert bad.status_code == 422
    login(reader)
    assert "تم" in client.get(url).get_data(as_text=True)
    refused = client.post(
        url, data={"action": "initiative_activity_done", "activity_id": activity.id, "done": "false"}
    )
    assert refused.status_code == 403


def test_the_api_marks_a_plan_activity_done_and_not_done_again(
    client, manager, token_for, enabled, in_tenant
):
    with in_tenant(enabled):
        initiative, other = _initiative(), _initiative(title="مبادرة أخرى")
        activity = initiatives_service.add_activity(
            initiative, {"title": "ورشة", "month": 5, "owner": "البرامج"}
        )
        db.session.commit()
        iid, other_id, aid = initiative.id, other.id, activity.id
    headers = token_for(manager)
    url = f"{API}/initiatives/{iid}/activities/{aid}"
    marked = client.patch(url, json={"done": True}, headers=headers)
    assert marked.status_code == 200 and marked.json["done"] is True
    assert client.patch(url, json={"done": "soon"}, headers=headers).status_code == 422
    elsewhere = client.patch(
        f"{API}/initiatives/{other_id}/activities/{aid}", json={"done": False}, headers=headers
    )
    assert elsewhere.status_code == 404  # the activity of another initiative
    assert client.patch(url, json={"done": False}, headers=headers).json["done"] is False

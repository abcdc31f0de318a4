"""The written pledge (إقرار خطي) of the ladder and stacked sanctions on one file."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import FileEvent
from core.toolkit import Conflict, Document, db, tenant_context
from core.toolkit import today as tenant_today
from core.toolkit import upload_document as upload
from plugins.makkah_aid import rules, services
from plugins.makkah_aid.models import Violation

from .helpers import API, PNG


def attach_pledge(tenant, file, on: date | None = None) -> int:
    with tenant_context(tenant):
        document = upload(PNG, "pledge.png", {"doc_type": "pledge", "household_id": file.household_id})
        if on is not None:
            document.uploaded_at = datetime(on.year, on.month, on.day, 12)
        db.session.commit()
        return document.id


def status_events(file) -> list[FileEvent]:
    return list(
        db.session.scalars(
            db.select(FileEvent)
            .where(FileEvent.file_id == file.id, FileEvent.kind == "status")
            .order_by(FileEvent.id)
        )
    )


# --------------------------------------------------------------------------- pure rules


def test_pledge_rules():
    timed = {"kind": "timed", "months": 2, "pledge": True}
    assert rules.pledge_required(timed) and not rules.pledge_required({"kind": "timed", "months": 2})
    assert not rules.pledge_required({"kind": "permanent", "pledge": True})
    assert rules.pledge_status(timed, False) == "missing"
    assert rules.pledge_status(timed, True) == "attached"
    assert rules.pledge_status({"kind": "permanent"}, False) == "not_required"
    day = date(2026, 3, 1)
    assert rules.awaiting_pledge(timed, day, day, False)
    assert not rules.timed_may_end(timed, day, day, False)
    assert rules.timed_may_end(timed, day, day, True)
    assert not rules.timed_may_end(timed, day, day - timedelta(days=1), True)


@given(
    violation_day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    delta=st.integers(-400, 400),
)
def test_pledge_counts_from_the_violation_date(violation_day, delta):
    uploaded = violation_day + timedelta(days=delta)
    assert rules.pledge_counts(uploaded, violation_day) is (delta >= 0)


sanction_st = st.builds(
    rules.InForce,
    id=st.integers(1, 10_000),
    kind=st.sampled_from(["timed", "condition", "permanent"]),
    ends_on=st.dates(date(2025, 1, 1), date(2030, 1, 1)),
    condition=st.just("شرط"),
    awaiting_pledge=st.booleans(),
)


@given(st.lists(sanction_st, max_size=6, unique_by=lambda s: s.id))
def test_effective_sanction_is_the_strongest(sanctions):
    effective = rules.effective_sanction(sanctions)
    if not sanctions:
        assert effective is None
        return
    kinds = {s.kind for s in sanctions}
    if "permanent" in kinds:
        assert effective.kind == "permanent"
        assert rules.file_suspension(effective) == {
            "suspended_until": None,
            "suspension_condition": "permanent",
        }
        return
    running = [s for s in sanctions if s.kind == "timed" and not s.awaiting_pledge]
    if running:
        assert effective.ends_on == max(s.ends_on for s in running)
        assert rules.file_suspension(effective)["suspended_until"] == effective.ends_on
    else:
        assert rules.file_suspension(effective)["suspended_until"] is None
        assert rules.file_suspension(effective)["suspension_condition"]


# --------------------------------------------------------------------------- condition + pledge (violation 7)


def test_condition_with_pledge_cannot_be_lifted_until_the_pledge(makkah, household, staff, client, token_for):  # noqa: F811
    file = household()
    violation = services.record_violation(file, {"code": "abusive_language"}, staff["researcher"])
    assert violation.sanction["pledge"] is True
    assert services.pledge_status(violation)["pledge_status"] == "missing"
    db.session.commit()
    headers = token_for(staff["researcher"])
    refused = client.post(f"{API}/violations/{violation.id}/lift", json={"note": "تحسن"}, headers=headers)
    assert refused.status_code == 409, refused.json
    assert "pledge" in refused.json["message"].lower() or "إقرار" in refused.json["message"]
    # A pledge dated before the violation does not count.
    attach_pledge(makkah, file, tenant_today() - timedelta(days=3))
    with tenant_context(makkah), pytest.raises(Conflict):
        services.lift(db.session.get(Violation, violation.id), staff["researcher"], "تحسن")
    db.session.rollback()
    attach_pledge(makkah, file)
    db.session.commit()
    listed = client.get(f"{API}/files/{file.id}/violations", headers=headers).json
    row = listed["violations"][0]
    assert (row["pledge_required"], row["pledge_status"]) == (True, "attached")
    lifted = client.post(f"{API}/violations/{violation.id}/lift", json={"note": "تحسن"}, headers=headers)
    assert lifted.status_code == 200, lifted.json
    assert lifted.json["in_force"] is False and lifted.json["pledge_document_id"]
    db.session.expire_all()
    with tenant_context(makkah):
        assert db.session.get(type(file), file.id).status == "active"


def test_condition_lift_refusal_is_translated(makkah, household, staff, client, token_for):  # noqa: F811
    file = household()
    violation = services.record_violation(file, {"code": "abusive_language"}, staff["researcher"])
    db.session.commit()
    headers = {**token_for(staff["researcher"]), "Accept-Language": "ar"}
    refused = client.post(f"{API}/violations/{violation.id}/lift", json={"note": "x"}, headers=headers)
    assert refused.status_code == 409
    assert "إقرار" in refused.json["message"]


# --------------------------------------------------------------------------- timed + pledge (violations 9, 10)


def test_timed_with_pledge_stays_suspended_until_the_pledge(makkah, household, staff, client, login, app):  # noqa: F811
    file = household()
    started = tenant_today() - timedelta(days=70)
    violation = services.record_violation(
        file, {"code": "hidden_marriage_or_death", "occurred_on": started}, staff["researcher"]
    )
    assert violation.ends_on < tenant_today()
    db.session.commit()
    # The period is over, the pledge is missing: neither the lazy check nor the tick ends it.
    assert services.lift_expired(file) == 0
    assert services.tick()["lifted"] == 0
    assert file.status == "suspended"
    assert (file.suspended_until, file.suspension_condition) == (None, rules.PLEDGE_CONDITION_AR)
    assert services.pledge_status(violation)["awaiting_pledge"] is True
    assert services.blocking_messages(file)
    db.session.commit()
    login(staff["researcher"])
    page = client.get(f"/t/first/makkah_aid/files/{file.id}/violations")
    assert page.status_code == 200
    assert b"awaiting-pledge" in page.data and b'data-pledge="missing"' in page.data
    assert b"pledge-form" in page.data
    # A bad upload is refused per field, nothing attached.
    bad = client.post(
        f"/t/first/makkah_aid/files/{file.id}/violations",
        data={"action": "pledge", "file": (io.BytesIO(b"not a pdf"), "x.txt")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and b"file-error" in bad.data
    # Uploading the pledge on the violations page ends it (its date is past).
    ok = client.post(
        f"/t/first/makkah_aid/files/{file.id}/violations",
        data={"action": "pledge", "file": (io.BytesIO(PNG), "pledge.png")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302, ok.data
    db.session.expire_all()
    with tenant_context(makkah):
        v = db.session.get(Violation, violation.id)
        assert v.lifted_at is not None and v.pledge_document_id is not None
        assert db.session.get(Document, v.pledge_document_id).doc_type == "pledge"
        assert db.session.get(type(file), file.id).status == "active"


def test_timed_with_pledge_attached_ends_at_its_date(makkah, household, staff):  # noqa: F811
    file = household()
    violation = services.record_violation(file, {"code": "hidden_marriage_or_death"}, staff["researcher"])
    attach_pledge(makkah, file)
    db.session.commit()
    assert services.pledge_status(violation)["pledge_status"] == "attached"
    # Before its date it is still in force.
    assert services.lift_expired(file, violation.ends_on - timedelta(days=1)) == 0
    assert file.status == "suspended" and file.suspended_until == violation.ends_on
    assert services.tick(violation.ends_on)["lifted"] == 1
    assert file.status == "active"


def test_record_violation_refuses_a_foreign_or_early_pledge(makkah, household, staff, client, token_for):  # noqa: F811
    file, other = household(), household(2)
    foreign = attach_pledge(makkah, other)
    early = attach_pledge(makkah, file, tenant_today() - timedelta(days=10))
    db.session.commit()
    headers = token_for(staff["researcher"])
    for doc_id in (foreign, early):
        bad = client.post(
            f"{API}/violations",
            json={"file_id": file.id, "code": "hidden_marriage_or_death", "pledge_document_id": doc_id},
            headers=headers,
        )
        assert bad.status_code == 422
        assert "pledge_document_id" in bad.json["errors"]


# --------------------------------------------------------------------------- stacked sanctions


def test_stacked_sanctions_keep_the_strongest(makkah, household, staff):  # noqa: F811
    file = household()
    researcher = staff["researcher"]
    condition = services.record_violation(file, {"code": "stalling_information"}, researcher)
    assert file.status == "suspended" and file.suspension_condition and file.suspended_until is None
    short = services.record_violation(file, {"code": "refused_visit"}, researcher)  # 2 months
    assert (file.suspended_until, file.suspension_condition) == (short.ends_on, None)
    long = services.record_violation(file, {"code": "false_information"}, researcher)  # 12 months
    assert file.suspended_until == long.ends_on
    shorter = services.record_violation(file, {"code": "provider_misconduct"}, researcher)  # 2 months
    assert file.suspended_until == long.ends_on and shorter.ends_on < long.ends_on
    events = status_events(file)
    # active→suspended (condition), →suspended (2 months), →suspended (12 months); the
    # weaker 4th sanction changes nothing.
    assert [(e.from_status, e.to_status) for e in events[-3:]] == [
        ("active", "suspended"),
        ("suspended", "suspended"),
        ("suspended", "suspended"),
    ]
    count = len(events)
    # The 2-month ones end: nothing changes (12 months still in force).
    services.lift_expired(file, short.ends_on)
    assert file.suspended_until == long.ends_on and len(status_events(file)) == count
    # The 12-month one ends: the file stays suspended under the condition.
    services.lift_expired(file, long.ends_on)
    assert file.status == "suspended"
    assert (file.suspended_until, file.suspension_condition) == (
        None,
        condition.sanction["condition_ar"][:255],
    )
    last = status_events(file)[-1]
    assert (last.from_status, last.to_status) == ("suspended", "suspended")
    # Lifting the condition: nothing left in force, the file is active again.
    services.lift(condition, researcher, "اكتملت المعلومات")
    assert file.status == "active"
    assert status_events(file)[-1].to_status == "active"


def test_permanent_wins_and_lifting_others_keeps_it(makkah, household, staff):  # noqa: F811
    file = household()
    researcher = staff["researcher"]
    condition = services.record_violation(file, {"code": "stalling_information"}, researcher)
    services.record_violation(file, {"code": "forged_documents"}, researcher)
    assert (file.suspended_until, file.suspension_condition) == (None, "permanent")
    services.record_violation(file, {"code": "false_information"}, researcher)
    assert file.suspension_condition == "permanent"
    services.lift(condition, researcher, "تم")
    assert file.status == "suspended" and file.suspension_condition == "permanent"


def test_timed_ends_under_a_pending_pledge(makkah, household, staff):  # noqa: F811
    """A timed suspension awaiting its pledge outlives a shorter plain one."""
    file = household()
    start = tenant_today() - timedelta(days=70)
    pledged = services.record_violation(
        file, {"code": "hidden_marriage_or_death", "occurred_on": start}, staff["researcher"]
    )
    plain = services.record_violation(file, {"code": "refused_visit"}, staff["researcher"])
    assert file.suspended_until == plain.ends_on
    services.lift_expired(file, plain.ends_on)
    assert file.status == "suspended" and file.suspension_condition == rules.PLEDGE_CONDITION_AR
    assert db.session.get(Violation, pledged.id).in_force

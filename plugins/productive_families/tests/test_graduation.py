"""Graduation: the baseline income taken from the registry at a producer's first anchor (licence
issued, financing granted, training completed), follow-ups due 3, 6 and 12 months after each
anchor, the staff queue, recording with field errors, and the KPI (the latest follow-up of the
period counts per producer; the share whose income rose and the median change)."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.toolkit import Invalid, db, kpi_sources

from ..models_graduation import IncomeBaseline, IncomeFollowUp
from ..services import graduation, producers
from .conftest import PID

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _issue(producer, issued_on: str, today: date):
    from .. import services  # lazy: the plugin's services, as the other tests take them

    services.change_licence(producer, {"status": "applied", "applied_on": "2025-09-01"}, today=today)
    services.change_licence(
        producer,
        {
            "status": "issued",
            "body": "منصة بلدي",
            "number": "L-1",
            "issued_on": issued_on,
            "expires_on": "2027-12-31",
        },
        today=today,
    )


def _grant(producer, decided_on: str):
    from .. import services  # lazy: as above

    body = (
        services.list_bodies()[0]
        if services.list_bodies()
        else services.add_body({"name": "بنك التنمية", "kind": "bank"})
    )
    request = services.refer(
        {"producer_id": producer.id, "body_id": body.id, "purpose": "فرن", "requested": "5000"}
    )
    services.decide(request, {"status": "approved", "approved": "5000", "decided_on": decided_on})


@pytest.fixture
def licensed(enabled, producer_factory, in_tenant):
    """A producer whose licence was issued on 2026-01-10 (baseline: the registry's 3,000 SAR)."""
    pid = producer_factory()
    with in_tenant(enabled):
        _issue(producers.get_producer(pid), "2026-01-10", date(2026, 1, 10))
        db.session.commit()
    return pid


def _record(pid, today: date, **values):
    data = {
        "anchor": "licence",
        "anchor_on": "2026-01-10",
        "months": 3,
        "followed_on": "2026-04-12",
        "income": "3500",
    }
    return graduation.record_followup(producers.get_producer(pid), {**data, **values}, today=today)


# ----------------------------------------------------------------------------- slots


@pytest.mark.parametrize(
    ("offset", "state"), [(-15, "upcoming"), (-14, "due"), (0, "due"), (14, "due"), (15, "overdue")]
)
def test_a_follow_up_is_due_from_the_window_before_its_date_to_the_window_after(offset, state):
    due = date(2026, 4, 10)
    assert graduation.slot_state(due, due + timedelta(days=offset), 14) == state


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offset=st.integers(-400, 400), window=st.integers(1, 90))
def test_slot_states_follow_the_stated_rule_at_any_distance(offset, window):
    due = date(2026, 6, 30)
    state = graduation.slot_state(due, due + timedelta(days=offset), window)
    expected = "upcoming" if offset < -window else "due" if offset <= window else "overdue"
    assert state == expected


def test_slots_fall_3_6_and_12_months_after_each_anchor_and_recorded_ones_close():
    dates = {7: {"licence": date(2026, 1, 31), "financing": date(2026, 3, 1)}}
    slots = graduation.slots_for(
        dates, [12, 3, 6], {(7, "licence", date(2026, 1, 31), 3)}, date(2026, 1, 1), 14
    )
    assert [(s.anchor_kind, s.months, s.due_on) for s in slots] == [
        ("financing", 3, date(2026, 6, 1)),
        ("licence", 6, date(2026, 7, 31)),
        ("financing", 6, date(2026, 9, 1)),
        ("licence", 12, date(2027, 1, 31)),
        ("financing", 12, date(2027, 3, 1)),
    ]


# ----------------------------------------------------------------------------- baselines


def test_the_baseline_is_the_registry_income_at_the_first_anchor_and_never_moves(
    licensed, enabled, in_tenant
):
    with in_tenant(enabled):
        producer = producers.get_producer(licensed)
        baseline = graduation.baseline_of(licensed)
        assert (baseline.income_halalas, baseline.anchor_kind, baseline.anchor_on, baseline.captured_on) == (
            300_000,
            "licence",
            date(2026, 1, 10),
            date(2026, 1, 10),
        )
        producer.household.head.monthly_income = 900_000  # the registry changes later
        _grant(producer, "2026-02-01")  # a second anchor
        db.session.commit()
        assert graduation.baseline_of(licensed).income_halalas == 300_000
        assert db.session.scalar(sa.select(sa.func.count(IncomeBaseline.id))) == 1


def test_financing_granted_is_an_anchor_and_takes_the_baseline(enabled, producer_factory, in_tenant):
    pid = producer_factory()
    with in_tenant(enabled):
        producer = producers.get_producer(pid)
        assert graduation.baseline_of(pid) is None
        _grant(producer, "2026-02-01")
        db.session.commit()
        assert graduation.baseline_of(pid).anchor_kind == "financing"
        slots = graduation.open_slots([pid], today=date(2026, 5, 1))
        assert [(s.anchor_kind, s.months, s.due_on, s.state) for s in slots] == [
            ("financing", 3, date(2026, 5, 1), "due")
        ]


@pytest.fixture
def training_anchor():
    """Training's anchor as the training part registers it; removed afterwards."""
    completions = {}
    graduation.register_anchor("training", "Training completed", lambda ids=None: dict(completions))
    yield completions
    graduation._ANCHORS.pop("training", None)


def test_an_anchor_registered_elsewhere_gets_its_baseline_from_the_daily_job(
    enabled, producer_factory, in_tenant, training_anchor
):
    pid = producer_factory()
    training_anchor[pid] = date(2026, 3, 5)
    with in_tenant(enabled):
        assert graduation.run_graduation_job(date(2026, 3, 6)) == {"captured": 1}
        assert graduation.run_graduation_job(date(2026, 3, 7)) == {"captured": 0}
        baseline = graduation.baseline_of(pid)
        assert (baseline.anchor_kind, baseline.anchor_on, baseline.captured_on) == (
            "training",
            date(2026, 3, 5),
            date(2026, 3, 6),
        )
        assert [
            s.months for s in graduation.open_slots([pid], date(2027, 3, 5), states=("due", "overdue"))
        ] == [
            3,
            6,
            12,
        ]


def test_the_tenant_chooses_the_months(enabled, enable_plugin, licensed, in_tenant):
    enable_plugin(enabled, PID, {"followup_months": [2, 24]})
    with in_tenant(enabled):
        slots = graduation.open_slots([licensed], date(2026, 1, 1), states=("upcoming", "due", "overdue"))
        assert [(s.months, s.due_on) for s in slots] == [(2, date(2026, 3, 10)), (24, date(2028, 1, 10))]


@pytest.mark.parametrize("months", [[], [3, 3], [0], ["x"]])
def test_bad_month_lists_are_refused_in_the_settings(months):
    from marshmallow import ValidationError

    from ..settings import SettingsSchema

    with pytest.raises(ValidationError) as refused:
        SettingsSchema().load({"followup_months": months})
    assert "followup_months" in refused.value.messages


# ----------------------------------------------------------------------------- recording


def test_a_follow_up_records_the_change_against_the_baseline_and_leaves_the_queue(
    licensed, enabled, in_tenant
):
    with in_tenant(enabled):
        assert [s.producer_id for s in graduation.open_slots(today=date(2026, 4, 12))] == [licensed]
        followup = _record(licensed, date(2026, 4, 12), income="3,750.50", note="زادت الطلبات")
        db.session.commit()
        assert (followup.income_halalas, followup.change_halalas) == (375_050, 75_050)
        assert graduation.open_slots(today=date(2026, 4, 12)) == []
        fell = _record(licensed, date(2026, 7, 10), months=6, followed_on="2026-07-10", income="2000")
        assert fell.change_halalas == -100_000


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"income": "abc"}, "income"),
        ({"income": "-5"}, "income"),
        ({"followed_on": "2026-13-40"}, "followed_on"),
        ({"followed_on": "2026-04-20"}, "followed_on"),  # after today
        ({"followed_on": "2026-01-01"}, "followed_on"),  # before the anchor
        ({"months": 6}, "months"),  # not due yet
        ({"months": 5}, "months"),  # not one of the tenant's months
        ({"anchor": "financing"}, "months"),  # no such anchor for this producer
        ({"anchor_on": "2026-01-11"}, "months"),
    ],
)
def test_bad_follow_ups_get_a_field_error_and_nothing_is_written(licensed, enabled, in_tenant, values, field):
    with in_tenant(enabled):
        with pytest.raises(Invalid) as refused:
            _record(licensed, date(2026, 4, 12), **values)
        assert field in refused.value.messages
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(IncomeFollowUp.id))) == 0


def test_a_follow_up_is_recorded_once(licensed, enabled, in_tenant):
    with in_tenant(enabled):
        _record(licensed, date(2026, 4, 12))
        db.session.commit()
        with pytest.raises(Invalid) as refused:
            _record(licensed, date(2026, 4, 12), income="9000")
        assert "months" in refused.value.messages


# ----------------------------------------------------------------------------- the KPI

rows = st.lists(
    st.tuples(
        st.integers(1, 6), st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(-500_000, 500_000)
    ),
    max_size=30,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_the_latest_follow_up_counts_and_the_share_and_median_follow(found):
    numbered = [(pid, day, index, change) for index, (pid, day, change) in enumerate(found, start=1)]
    counted = graduation.latest_per_producer(reversed(numbered))
    expected = {}
    for pid in {row[0] for row in numbered}:
        mine = [row for row in numbered if row[0] == pid]
        expected[pid] = max(mine, key=lambda row: (row[1], row[2]))[3]
    assert counted == expected
    changes = list(expected.values())
    if not changes:
        assert graduation.rose_share(changes) is None and graduation.median_change(changes) is None
        return
    rose = sum(1 for c in changes if c > 0)
    assert graduation.rose_share(changes) == round(100 * rose / len(changes), 1)
    ordered = sorted(changes)
    middle = len(ordered) // 2
    exact = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    assert graduation.median_change(changes) == round(exact)
    assert abs(graduation.median_change(changes) - statistics.median(changes)) <= 0.5


def test_the_kpi_counts_each_producer_once_by_the_latest_follow_up_of_the_period(
    enabled, producer_factory, in_tenant
):
    ids = [producer_factory(trade_name=f"أسرة {n}") for n in range(3)]
    with in_tenant(enabled):
        for pid in ids:
            _issue(producers.get_producer(pid), "2025-10-01", date(2025, 10, 1))
        common = {"anchor": "licence", "anchor_on": "2025-10-01"}
        # 1st: fell at 3 months (2026-01-02), rose at 6 months: the latest (rose) counts.
        graduation.record_followup(
            producers.get_producer(ids[0]),
            {**common, "months": 3, "followed_on": "2026-01-02", "income": "2500"},
            today=date(2026, 1, 2),
        )
        graduation.record_followup(
            producers.get_producer(ids[0]),
            {**common, "months": 6, "followed_on": "2026-04-01", "income": "4000"},
            today=date(2026, 4, 1),
        )
        # 2nd: fell, in the period.  3rd: rose, but in 2025 (outside the period).
        graduation.record_followup(
            producers.get_producer(ids[1]),
            {**common, "months": 3, "followed_on": "2026-01-05", "income": "2800"},
            today=date(2026, 1, 5),
        )
        graduation.record_followup(
            producers.get_producer(ids[2]),
            {**common, "months": 3, "followed_on": "2025-12-30", "income": "5000"},
            today=date(2025, 12, 30),
        )
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(enabled)}
        assert kpi[f"{PID}.producers_followed_up"].compute(enabled, *YEAR) == 2
        assert kpi[f"{PID}.income_rose_share"].compute(enabled, *YEAR) == 50.0
        # changes +1,000 and -200 SAR: the median is +400 SAR.
        assert kpi[f"{PID}.income_median_change"].compute(enabled, *YEAR) == 40_000
        # Only the first quarter: the first producer's 3-month follow-up (fell) is its latest.
        q1 = (date(2026, 1, 1), date(2026, 3, 31))
        assert kpi[f"{PID}.income_rose_share"].compute(enabled, *q1) == 0.0
        assert kpi[f"{PID}.income_median_change"].compute(enabled, *q1) == -35_000
        empty = (date(2024, 1, 1), date(2024, 12, 31))
        assert kpi[f"{PID}.income_rose_share"].compute(enabled, *empty) is None
        assert kpi[f"{PID}.income_median_change"].compute(enabled, *empty) is None
        # Behind the figures (planning's "explain"): the follow-up that counts per producer.
        source = kpi[f"{PID}.income_rose_share"]
        assert source.permission == f"{PID}.view"
        records = source.records(enabled, *YEAR)
        assert [(r["label"], r["date"], r["value"]) for r in records] == [
            ("أسرة 1", date(2026, 1, 5), "-200.00"),
            ("أسرة 0", date(2026, 4, 1), "+1,000.00"),
        ]
        assert records[1]["values"] == {"producer_id": ids[0]}
        assert kpi[f"{PID}.producers_followed_up"].records(enabled, *empty) == []

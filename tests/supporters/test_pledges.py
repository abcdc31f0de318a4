"""Pledges in instalments: they add up, a payment is credited, and an instalment is overdue from
the day after its due day while anything of it is unpaid."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from core.supporters import services

from .helpers import ON, gift, supporter


def pledge_of(actor, who, total=90_000, count=3, first=ON, every=1):
    return services.create_pledge(
        who,
        {"total_halalas": total, "pledged_on": min(first, ON) - timedelta(days=1),
         "instalments": services.split_instalments(total, count, first, every)},
        actor,
    )  # fmt: skip


@given(
    total=st.integers(1, 10**10),
    count=st.integers(1, 120),
    day=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
)
@settings(max_examples=60, deadline=None)
def test_instalments_add_up_to_the_pledge_and_differ_by_at_most_a_halala(total, count, day):
    if count > total:
        count = total
    parts = services.split_instalments(total, count, day)
    amounts = [p["amount_halalas"] for p in parts]
    assert sum(amounts) == total and max(amounts) - min(amounts) <= 1
    assert [p["due_on"] for p in parts] == sorted(p["due_on"] for p in parts)


def test_a_monthly_instalment_on_the_31st_falls_on_the_last_day_of_a_shorter_month():
    parts = services.split_instalments(300, 3, date(2026, 1, 31))
    assert [p["due_on"] for p in parts] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]


def test_instalments_that_do_not_add_up_are_refused(in_first, staff):
    admin = staff["tenant_admin"]
    who = supporter(admin)
    with pytest.raises(ValidationError) as refused:
        services.create_pledge(
            who,
            {"total_halalas": 100, "pledged_on": ON, "instalments": [{"due_on": ON, "amount_halalas": 99}]},
            admin,
        )
    assert "instalments" in refused.value.messages
    assert services.pledges_of(who) == []


def test_a_pledge_moves_a_contacted_supporter_to_pledged(in_first, staff):
    admin = staff["tenant_admin"]
    who = supporter(admin)
    services.move_stage(who, "contacted", admin)
    pledge_of(admin, who)
    assert who.stage == "pledged"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(-40, 40), paid=st.integers(0, 30_000))
def test_an_instalment_is_overdue_only_after_its_due_day_and_while_unpaid(in_first, staff, offset, paid):
    admin = staff["tenant_admin"]
    who = supporter(admin)
    pledge = pledge_of(admin, who, total=30_000, count=1, first=ON)
    instalment = pledge.instalments[0]
    instalment.paid_halalas = paid
    day = ON + timedelta(days=offset)
    assert instalment.overdue_on(day) == (offset >= 1 and paid < 30_000)


def test_the_overdue_boundary_and_a_payment_clear_the_flag(in_first, staff):
    admin = staff["tenant_admin"]
    who = supporter(admin)
    pledge = pledge_of(admin, who, total=90_000, count=3, first=ON - timedelta(days=31))
    first, second, third = pledge.instalments
    # On the due day it is not overdue; the day after it is.
    assert not second.overdue_on(second.due_on) and second.overdue_on(second.due_on + timedelta(days=1))
    status = services.pledge_status(pledge, ON)
    assert (status.overdue_count, status.overdue_halalas) == (1, 30_000)  # the first, due 31 days ago
    gift(admin, who, 30_000, instalment_id=first.id)
    assert first.paid_halalas == 30_000
    status = services.pledge_status(pledge, ON)
    assert not status.overdue and status.paid_halalas == 30_000 and status.remaining_halalas == 60_000
    assert [row[0].id for row in services.overdue_instalments(second.due_on + timedelta(days=1))] == [
        second.id
    ]


def test_paying_more_than_an_instalment_or_another_supporters_is_refused(in_first, staff):
    admin = staff["tenant_admin"]
    who, other = supporter(admin), supporter(admin, name="مؤسسة أخرى")
    first = pledge_of(admin, who).instalments[0]
    with pytest.raises(ValidationError) as refused:
        gift(admin, who, 30_001, instalment_id=first.id)
    assert "value_halalas" in refused.value.messages
    with pytest.raises(ValidationError) as refused:
        gift(admin, other, 100, instalment_id=first.id)
    assert "instalment_id" in refused.value.messages
    assert first.paid_halalas == 0

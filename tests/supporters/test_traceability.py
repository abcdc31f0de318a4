"""Traceability of restricted gifts: the allocation rule's arithmetic across two donations and
three disbursements, households counted (never named), and the report over a period."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.supporters import services
from core.supporters.services.traceability import Gift, Paid, allocate
from core.testing.factories import new_file

from .helpers import gift, paid, program, supporter

JAN = date(2025, 1, 1)


def test_two_gifts_cover_three_disbursements_in_order_of_receipt_and_date(in_first, staff):
    """Rule: gifts restricted to a program are consumed in the order they were received, against
    the program's disbursements in date order; a gift pays only for what is disbursed on or after
    the day it arrived; what no gift covers comes from general funds.

    D1 1,000 SAR (1 Jan), D2 1,500 SAR (10 Jan); A 600 (5 Jan, household H1), B 800 (12 Jan, H2),
    C 2,000 (20 Jan, H1 again). A ← D1 600; B ← D1 400 + D2 400; C ← D2 1,100 (900 uncovered).
    """
    admin = staff["tenant_admin"]
    item = program()
    first_giver, second_giver = supporter(admin), supporter(admin, name="مؤسسة البر")
    d1 = gift(admin, first_giver, 100_000, date(2025, 1, 1), catalog_item_id=item.id)
    d2 = gift(admin, second_giver, 150_000, date(2025, 1, 10), catalog_item_id=item.id)
    h1 = new_file()
    paid(item, 60_000, date(2025, 1, 5), h1)
    paid(item, 80_000, date(2025, 1, 12))
    paid(item, 200_000, date(2025, 1, 20), h1)

    january = services.supporter_report(first_giver, JAN, date(2025, 1, 31))
    (g1,) = january.gifts
    assert g1.donation.id == d1.id
    assert (g1.program_disbursed, g1.covered, g1.households, g1.unspent) == (340_000, 100_000, 2, 0)
    assert g1.share == 29.4  # 1,000 of 3,400 SAR
    assert (january.received, january.restricted, january.covered, january.households) == (
        100_000,
        100_000,
        100_000,
        2,
    )

    (g2,) = services.supporter_report(second_giver, JAN, date(2025, 1, 31)).gifts
    assert g2.donation.id == d2.id and (g2.covered, g2.households, g2.unspent) == (150_000, 2, 0)
    assert g2.share == 44.1  # 1,500 of 3,400 SAR

    # From the 15th: only C is in the period; D1 was spent before it, D2 covered 1,100 of C's 2,000.
    late = services.supporter_report(first_giver, date(2025, 1, 15), date(2025, 1, 31))
    assert late.gifts == [] and late.covered == 0 and late.received == 0
    (g2_late,) = services.supporter_report(second_giver, date(2025, 1, 15), date(2025, 1, 31)).gifts
    assert (g2_late.program_disbursed, g2_late.covered, g2_late.households) == (200_000, 110_000, 1)
    assert g2_late.share == 55.0
    # As of the 11th, D2 had paid for nothing yet: all of it unspent.
    (g2_early,) = services.supporter_report(second_giver, JAN, date(2025, 1, 11)).gifts
    assert (g2_early.covered, g2_early.unspent) == (0, 150_000)


def test_a_report_names_no_household_and_no_beneficiary(in_first, staff):
    admin = staff["tenant_admin"]
    item = program()
    giver = supporter(admin)
    gift(admin, giver, 100_000, date(2025, 1, 1), catalog_item_id=item.id)
    paid(item, 60_000, date(2025, 1, 5))
    view = services.report_view(services.supporter_report(giver, JAN, date(2025, 1, 31)))
    assert set(view["gifts"][0]) == {
        "donation_id", "receipt_number", "received_on", "amount", "catalog_item_id", "season",
        "program_disbursed", "covered", "share_percent", "households", "unspent",
    }  # fmt: skip
    assert view["households"] == 1


def test_a_campaign_gift_covers_what_the_programs_own_gifts_left():
    day = date(2025, 3, 1)
    gifts = [
        Gift(1, 500, day, (day, 1, 1), ("program", 7)),
        Gift(2, 1_000, day, (day, 1, 2), ("campaign", "ramadan_basket")),
    ]
    spent = [
        Paid(10, 800, day, 7, "ramadan_basket", ("household", 1)),
        Paid(11, 300, day, 8, None, ("household", 2)),
    ]
    covered = allocate(gifts, spent)
    assert [(p.id, v) for p, v in covered[1]] == [(10, 500)]
    assert [(p.id, v) for p, v in covered[2]] == [(10, 300)]  # program 8 has no season: not the campaign's


DAYS = st.integers(0, 60).map(lambda n: date(2025, 1, 1) + timedelta(days=n))


@given(
    gifts=st.lists(st.tuples(st.integers(1, 10_000), DAYS, st.sampled_from([("program", 1), ("campaign", "iftar")])),
                   max_size=6),
    spent=st.lists(st.tuples(st.integers(1, 10_000), DAYS, st.sampled_from([(1, "iftar"), (1, None), (2, "iftar")])),
                   max_size=6),
)  # fmt: skip
def test_the_allocation_never_spends_more_than_given_or_paid_nor_before_a_gift_arrived(gifts, spent):
    made = [Gift(i, v, d, (d, 1, i), pool) for i, (v, d, pool) in enumerate(gifts)]
    paid_out = [
        Paid(i, v, d, prog, season, ("household", i)) for i, (v, d, (prog, season)) in enumerate(spent)
    ]
    covered = allocate(made, paid_out)
    for gift_ in made:
        lines = covered.get(gift_.id, [])
        assert sum(v for _p, v in lines) <= gift_.value
        assert all(p.on >= gift_.received_on and v > 0 for p, v in lines)
        assert all(
            (p.program if gift_.pool[0] == "program" else p.season) == gift_.pool[1] for p, _v in lines
        )
    for p in paid_out:
        assert sum(v for lines in covered.values() for q, v in lines if q.id == p.id) <= p.value

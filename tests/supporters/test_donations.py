"""Donations and their receipts: the gap-free receipt number (also under concurrent recording,
on SQLite and PostgreSQL), the refusals at their boundaries, the thank-you only through a
consented channel, and the supporter becoming active."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from marshmallow import ValidationError

from core.auth.models import User
from core.extensions import db
from core.notifications.models import OutboxMessage
from core.supporters import Donation, Supporter
from core.tenancy import Tenant, tenant_context

from .helpers import ON, gift, program, supporter

WRITERS = 8
EACH = 5


def test_each_donation_gets_the_next_receipt_number_of_its_own_sequence(in_first, staff):
    admin = staff["tenant_admin"]
    giver = supporter(admin)
    first, second = gift(admin, giver, 10_000), gift(admin, giver, 25_050)
    assert (first.receipt_number, second.receipt_number) == ("R1447-000001", "R1447-000002")
    assert first.receipt_seq == 1 and second.receipt_seq == 2


def test_a_refused_or_rolled_back_donation_takes_no_number(in_first, staff):
    admin = staff["tenant_admin"]
    giver = supporter(admin)
    db.session.commit()
    with pytest.raises(ValidationError):
        gift(admin, giver, 0)
    gift(admin, giver, 10_000)
    db.session.rollback()
    assert gift(admin, giver, 10_000).receipt_number == "R1447-000001"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value_halalas": 0}, "value_halalas"),
        ({"value_halalas": -1}, "value_halalas"),
        ({"kind": "in_kind", "method": "in_kind"}, "description"),
        ({"kind": "in_kind", "method": "cash", "description": "سلال"}, "method"),
        ({"kind": "cash", "method": "in_kind"}, "method"),
        ({"received_on": ON + timedelta(days=1)}, "received_on"),
        ({"season": "spring"}, "season"),
        ({"catalog_item_id": 999_999}, "catalog_item_id"),
        ({"quantity": 0}, "quantity"),
    ],
)
def test_a_bad_donation_is_refused_field_by_field_and_nothing_is_written(in_first, staff, overrides, field):
    admin = staff["tenant_admin"]
    giver = supporter(admin)
    with pytest.raises(ValidationError) as refused:
        gift(admin, giver, 10_000, **overrides)
    assert field in refused.value.messages
    assert db.session.scalar(db.select(db.func.count()).select_from(Donation)) == 0


def test_a_donation_is_restricted_to_a_program_or_a_campaign_not_both(in_first, staff):
    admin = staff["tenant_admin"]
    giver = supporter(admin)
    item = program()
    with pytest.raises(ValidationError) as refused:
        gift(admin, giver, 10_000, catalog_item_id=item.id, season="ramadan_basket")
    assert "season" in refused.value.messages
    assert gift(admin, giver, 10_000, catalog_item_id=item.id).restricted
    assert gift(admin, giver, 10_000, season="ramadan_basket").restricted
    assert not gift(admin, giver, 10_000).restricted


def test_another_associations_program_cannot_be_named(app_ctx, tenant, other_tenant, staff):
    with tenant_context(other_tenant):
        theirs = program("theirs").id
        db.session.commit()
    with tenant_context(tenant):
        admin = staff["tenant_admin"]
        giver = supporter(admin)
        with pytest.raises(ValidationError) as refused:
            gift(admin, giver, 10_000, catalog_item_id=theirs)
        assert "catalog_item_id" in refused.value.messages


def test_the_thank_you_goes_only_through_channels_the_supporter_consented_to(in_first, staff):
    admin = staff["tenant_admin"]
    by_email = supporter(admin, consent_channels=["email"], preferred_channel="email", phone="+966501000009")
    nobody = supporter(admin, name="فاعل خير", kind="individual", consent_channels=[], preferred_channel=None)
    gift(admin, by_email, 10_000)
    gift(admin, nobody, 10_000)
    sent = db.session.scalars(db.select(OutboxMessage)).all()
    assert [(m.channel, m.recipient) for m in sent] == [("email", "giving@khair.example.com")]
    assert "R1447-000001" in sent[0].body


def test_a_gift_makes_the_supporter_active(in_first, staff):
    admin = staff["tenant_admin"]
    giver = supporter(admin)
    gift(admin, giver, 10_000)
    assert giver.stage == "active"


def test_receipt_numbers_stay_unique_and_gap_free_under_concurrent_recording(app, tenant, staff):
    admin_id = staff["tenant_admin"].id
    with tenant_context(tenant):
        supporter_id = supporter(staff["tenant_admin"], consent_channels=[], preferred_channel=None).id
        db.session.commit()
    tenant_id = tenant.id
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)

    def writer() -> None:
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(EACH):
                    with tenant_context(db.session.get(Tenant, tenant_id)):
                        admin = db.session.get(User, admin_id)
                        giver = db.session.get(Supporter, supporter_id)
                        gift(admin, giver, 10_000)
                        db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with tenant_context(tenant):
        seqs = sorted(db.session.scalars(db.select(Donation.receipt_seq)))
        numbers = set(db.session.scalars(db.select(Donation.receipt_number)))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    assert len(numbers) == WRITERS * EACH

"""Supporters: who may record them, the consent rule, the pipeline's transitions (audited)."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from core.audit.models import AuditEvent
from core.errors import Forbidden
from core.extensions import db
from core.supporters import ContactLog, Supporter, services

from .helpers import ON, supporter


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_the_association_admin_holds_fundraising_and_other_roles_do_not(in_first, staff):
    made = supporter(staff["tenant_admin"])
    assert made.stage == "prospect" and made.created_on == ON
    for role in ("relations_officer", "researcher", "applicant", "auditor"):
        with pytest.raises(Forbidden):
            supporter(staff[role])
    assert count(Supporter) == 1


def test_a_preferred_channel_needs_the_supporters_consent(in_first, staff):
    with pytest.raises(ValidationError) as refused:
        supporter(staff["tenant_admin"], consent_channels=["phone"], preferred_channel="email")
    assert "preferred_channel" in refused.value.messages
    with pytest.raises(ValidationError) as refused:
        supporter(staff["tenant_admin"], consent_channels=["email"], email=None, preferred_channel="email")
    assert "email" in refused.value.messages
    assert count(Supporter) == 0


def test_a_contact_through_a_channel_without_consent_is_refused_and_nothing_written(in_first, staff):
    admin = staff["tenant_admin"]
    made = supporter(admin, consent_channels=["email"], preferred_channel="email", phone=None)
    with pytest.raises(ValidationError) as refused:
        services.record_contact(made, {"channel": "phone", "contacted_on": ON}, admin)
    assert refused.value.messages["channel"] == [str(services.NO_CONSENT)]
    assert count(ContactLog) == 0 and made.stage == "prospect"
    services.record_contact(made, {"channel": "email", "contacted_on": ON}, admin)
    assert count(ContactLog) == 1 and made.stage == "contacted"


def test_withdrawn_consent_stops_contact_through_that_channel(in_first, staff):
    admin = staff["tenant_admin"]
    made = supporter(admin)
    services.update_supporter(
        made, {"consent_channels": ["phone"], "preferred_channel": "phone"}, admin, on=ON
    )
    with pytest.raises(ValidationError):
        services.record_contact(made, {"channel": "email", "contacted_on": ON}, admin)
    assert services.contact_targets(made) == {"email": None, "phone": None}  # phone calls only: no SMS


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["contacted", "pledged", "active", "lapsed", "contacted"], None),
        (["contacted", "active"], None),
        (["active"], "active"),
        (["contacted", "prospect"], "prospect"),
        (["pledged"], "pledged"),
        (["contacted", "lapsed", "active"], "active"),
    ],
)
def test_the_pipeline_allows_only_its_transitions_and_audits_each(in_first, staff, path, refused):
    admin = staff["tenant_admin"]
    made = supporter(admin)
    for stage in path:
        if stage == refused:
            before = made.stage
            with pytest.raises(ValidationError):
                services.move_stage(made, stage, admin)
            assert made.stage == before
            return
        services.move_stage(made, stage, admin)
        assert made.stage == stage
    audited = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "supporter.stage").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["from"], e.details["to"]) for e in audited] == list(
        zip(["prospect", *path[:-1]], path, strict=True)
    )


def test_the_relationship_owner_is_a_staff_member(in_first, staff):
    with pytest.raises(ValidationError) as refused:
        supporter(staff["tenant_admin"], owner_id=staff["applicant"].id)
    assert "owner_id" in refused.value.messages
    assert supporter(staff["tenant_admin"], owner_id=staff["executive_director"].id).owner_id

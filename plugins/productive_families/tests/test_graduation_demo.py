"""The demo data of graduation and the stored documents: follow-ups at 3 and 6 months for three
producers (the income rose for two, fell for one at 6 months), a 12-month follow-up left in the
queue, the food leaflet and the past exhibition's feasibility study; loading twice adds nothing."""

from __future__ import annotations

import sqlalchemy as sa

from core.toolkit import db
from core.toolkit import today as tenant_today

from .. import demo
from ..models_graduation import FeasibilityStudy, IncomeFollowUp, LicenceLeaflet
from ..services import graduation


def test_the_demo_follows_up_three_producers_and_keeps_the_documents(enabled, in_tenant):
    with in_tenant(enabled):
        demo.load(enabled)
        db.session.commit()
        demo.load(enabled)
        db.session.commit()
        followups = list(db.session.scalars(sa.select(IncomeFollowUp)).unique())
        assert sorted((f.producer.trade_name, f.months) for f in followups) == [
            ("بخور الأحساء", 3),
            ("بخور الأحساء", 6),
            ("خياطة زينب", 3),
            ("خياطة زينب", 6),
            ("سعفيات مريم", 3),
            ("سعفيات مريم", 6),
        ]
        fell = [f.producer.trade_name for f in followups if f.change_halalas < 0]
        assert fell == ["سعفيات مريم"]
        queue = graduation.open_slots(today=tenant_today())
        assert ("بخور الأحساء", 12) in [(s.trade_name, s.months) for s in queue]
        assert db.session.scalar(sa.select(sa.func.count(LicenceLeaflet.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(FeasibilityStudy.id))) == 1

"""The plugin's "today" is the association's date (``core.toolkit.today``): at 22:30 UTC on
1 March 2026 it is already 2 March in Riyadh. The clock is moved with ``set_clock``; nothing
here depends on the real time of day."""

from __future__ import annotations

from datetime import date, datetime

from core.toolkit import Household, db, tenant_context
from plugins.prisoner_families import services as pf
from plugins.prisoner_families.models import Prisoner

from .conftest import make_family

LATE_EVENING_UTC = datetime(2026, 3, 1, 22, 30)  # 01:30 on 2 March in Riyadh


def test_an_id_expiring_on_the_first_has_expired_after_midnight_in_riyadh(enabled, set_clock):
    household_id, _person_id = make_family(enabled, 1, id_expiry=date(2026, 3, 1))
    valid_id, _person_id = make_family(enabled, 2, id_expiry=date(2026, 3, 2))  # expires today: still valid
    set_clock(LATE_EVENING_UTC)
    with tenant_context(enabled):
        household, valid = db.session.get(Household, household_id), db.session.get(Household, valid_id)
        assert pf.eligibility_facts(household).id_expired is True
        assert pf.eligibility_facts(valid).id_expired is False
        facts = pf.eligibility_facts_of_households([household, valid])
        assert facts[household_id].id_expired is True and facts[valid_id].id_expired is False


def test_an_id_expiring_on_the_second_is_still_valid_on_the_first_in_riyadh(enabled, set_clock):
    household_id, _person_id = make_family(enabled, 1, id_expiry=date(2026, 3, 2))
    set_clock(datetime(2026, 3, 1, 20, 30))  # 23:30 on 1 March in Riyadh
    with tenant_context(enabled):
        assert pf.eligibility_facts(db.session.get(Household, household_id)).id_expired is False


def test_the_releases_command_counts_each_associations_day(runner, enabled, prisoner_factory, set_clock):
    prisoner_id = prisoner_factory()[0]
    with tenant_context(enabled):
        pf.update_prisoner(db.session.get(Prisoner, prisoner_id), {"expected_release_on": date(2026, 3, 1)})
        db.session.commit()
    set_clock(LATE_EVENING_UTC)
    result = runner.invoke(args=["prisoner_families", "releases", "--days", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "first: 1 release expected by 2026-03-02 (1 past their date with no release recorded)"
    assert lines[1].startswith("  2026-03-01  past due")

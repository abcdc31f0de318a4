"""``flask prisoner_families …``: follow-ups due and releases expected, per tenant that enabled
the plugin (Flask's CLI runner, the production app)."""

from __future__ import annotations

from datetime import date

import click
import pytest

from core.toolkit import db, tenant_context
from plugins.prisoner_families import services as pf
from plugins.prisoner_families.cli import prisoner_families_cli
from plugins.prisoner_families.models import FollowUp, Prisoner

from .conftest import PID, QURAYYAT, make_family

TODAY = "2025-12-20"


def run(runner, *args: str):
    return runner.invoke(args=["prisoner_families", *args])


@pytest.fixture
def participants(enabled, prisoner_factory):
    """Released participants of a program: one follow-up overdue (due 2025-12-01), one due in 12
    days (2026-01-01), one already recorded (2025-11-01); the names, in that order."""

    released = [date(2025, 6, 1), date(2025, 7, 1), date(2025, 5, 1)]
    ids = [prisoner_factory(status="released", released_on=on)[0] for on in released]
    with tenant_context(enabled):
        program = pf.create_program({"code": "new_life", "name_ar": "حياة جديدة", "name_en": "New Life"})
        for prisoner_id in ids:
            pf.enrol(program, {"prisoner_id": prisoner_id})
        done = db.session.scalars(
            db.select(FollowUp).where(FollowUp.prisoner_id == ids[2], FollowUp.months_after == 6)
        ).one()
        pf.record_follow_up(done, {"done_on": date(2025, 11, 3), "returned_to_crime": False})
        names = [db.session.get(Prisoner, i).person.full_name for i in ids]
        db.session.commit()
    return names


@pytest.fixture
def disabled_tenant(other_tenant, enable_plugin):
    """A tenant that used the plugin (a prisoner due for release, a follow-up overdue) and then
    disabled it."""
    enable_plugin(other_tenant, PID, {"service_area": [QURAYYAT]})
    _household_id, person_id = make_family(other_tenant, 1)
    with tenant_context(other_tenant):
        prisoner = pf.create_prisoner(
            {
                "person_id": person_id,
                "facility": "سجن طريف",
                "case_type": "public_right",
                "imprisoned_on": date(2024, 1, 10),
                "expected_release_on": date(2025, 12, 25),
            }
        )
        db.session.add(FollowUp(prisoner_id=prisoner.id, months_after=6, due_on=date(2025, 12, 1)))
        db.session.commit()
    enable_plugin(other_tenant, PID, {"service_area": [QURAYYAT]}, enabled=False)
    return other_tenant


def test_follow_ups_lists_the_overdue_and_those_due_soon_not_the_recorded(runner, participants):
    overdue, soon, recorded = participants
    result = run(runner, "follow-ups", "--today", TODAY, "--days", "30")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "first: 2 follow-ups due by 2026-01-19 (1 overdue)"
    assert lines[1].startswith("  2025-12-01  overdue") and overdue in lines[1] and "6 months" in lines[1]
    assert lines[2].startswith("  2026-01-01  in 12 days") and soon in lines[2]
    assert recorded not in result.output and len(lines) == 3


def test_follow_ups_window_of_zero_days_lists_only_the_overdue(runner, participants):
    result = run(runner, "follow-ups", "--today", TODAY, "--days", "0")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "first: 1 follow-up due by 2025-12-20 (1 overdue)"
    assert participants[1] not in result.output


def test_releases_lists_the_expected_and_the_past_due_soonest_first(runner, enabled, prisoner_factory):
    soon, later, past, released = (prisoner_factory()[0] for _ in range(4))
    with tenant_context(enabled):
        expected = {soon: date(2025, 12, 21), later: date(2026, 3, 1), past: date(2025, 11, 30)}
        for prisoner_id, on in expected.items():
            pf.update_prisoner(db.session.get(Prisoner, prisoner_id), {"expected_release_on": on})
        pf.record_release(db.session.get(Prisoner, released), date(2025, 12, 1))
        names = {i: db.session.get(Prisoner, i).person.full_name for i in (soon, later, past, released)}
        db.session.commit()
    result = run(runner, "releases", "--today", TODAY)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "first: 2 releases expected by 2026-01-19 (1 past their date with no release recorded)"
    assert lines[1].startswith("  2025-11-30  past due") and names[past] in lines[1]
    assert lines[2].startswith("  2025-12-21  in 1 day") and names[soon] in lines[2]
    assert f"(prisoner {soon})" in lines[2] and "سجن القريات العام" in lines[2]
    assert names[later] not in result.output and names[released] not in result.output


def test_a_tenant_without_the_plugin_is_skipped(runner, participants, disabled_tenant):
    for command in ("follow-ups", "releases"):
        result = run(runner, command, "--today", TODAY)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("first: ") and "second" not in result.output


def test_naming_a_tenant_without_the_plugin_or_unknown_is_refused(runner, enabled, disabled_tenant):
    result = run(runner, "follow-ups", "--tenant", "second")
    assert result.exit_code == 1 and "not enabled for 'second'" in result.output
    result = run(runner, "releases", "--tenant", "nowhere")
    assert result.exit_code == 1 and "No tenant with slug 'nowhere'" in result.output
    result = run(runner, "releases", "--tenant", "first", "--today", TODAY)
    assert result.exit_code == 0 and result.output.startswith("first: 0 releases expected")


@pytest.mark.parametrize(
    "args, message",
    [
        (["follow-ups", "--today", "20-12-2025"], "--today"),
        (["follow-ups", "--days", "-1"], "--days"),
        (["releases", "--days", "many"], "--days"),
    ],
)
def test_bad_options_are_refused_with_the_option_named(runner, enabled, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2 and message in result.output


def test_the_commands_live_under_the_plugin_id_with_help_for_each_option(runner):
    assert prisoner_families_cli.name == PID and prisoner_families_cli.help
    assert set(prisoner_families_cli.commands) == {"follow-ups", "releases"}
    for command in prisoner_families_cli.commands.values():
        assert command.help
        for param in command.params:
            assert isinstance(param, click.Option) and param.help, (command.name, param.name)
    assert "follow-ups" in run(runner, "--help").output


def test_the_listing_sends_as_many_queries_for_many_prisoners_as_for_one(
    runner, enabled, prisoner_factory, query_counter
):
    counts = []
    for _ in range(2):
        prisoner_factory()
        prisoner_factory()
        with query_counter() as queries:
            result = run(runner, "releases", "--today", "2026-01-01")
        assert result.exit_code == 0, result.output
        counts.append(queries.count)
    assert counts[0] == counts[1]

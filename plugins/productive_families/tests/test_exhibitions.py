"""Exhibitions: the call and its deadline, applications (portal and API), booths with the fair
rotation rule, sales per family and the totals and KPIs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.toolkit import Conflict, Invalid, db, kpi_sources
from core.toolkit import today as tenant_today

from .. import rules, services
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
TODAY = date(2026, 11, 30)


def exhibition(booths: int, starts_on: date, **extra):
    return services.create_exhibition(
        {"name": "معرض الأسر المنتجة", "place": "الأحساء — مركز التنمية", "starts_on": starts_on.isoformat(),
         "ends_on": (starts_on + timedelta(days=2)).isoformat(),
         "applications_close_on": (starts_on - timedelta(days=10)).isoformat(), "booths": booths, **extra}
    )  # fmt: skip


applicants = st.lists(st.tuples(st.integers(0, 100) | st.none(), st.booleans()), min_size=0, max_size=12)


@given(applicants, st.integers(min_value=0, max_value=12))
def test_when_places_are_short_families_that_had_a_booth_last_time_yield(rows, booths):
    people = [
        {
            "id": i + 1,
            "producer_id": 100 + i,
            "score": score,
            "applied_at": datetime(2026, 1, 1) + timedelta(hours=i),
        }
        for i, (score, _) in enumerate(rows)
    ]
    had = {100 + i for i, (_, had_one) in enumerate(rows) if had_one}
    result = rules.allocate_booths(people, booths, had)
    given_booths = [b for b in result.values() if b]
    assert sorted(given_booths) == list(range(1, min(booths, len(people)) + 1))
    newcomers_left_out = [p for p in people if p["producer_id"] not in had and result[p["id"]] is None]
    returning_in = [p for p in people if p["producer_id"] in had and result[p["id"]] is not None]
    assert not (newcomers_left_out and returning_in)  # the rotation rule
    # Within each group, a higher score never loses its place to a lower one.
    for group in (True, False):
        members = [p for p in people if (p["producer_id"] in had) == group]
        for a in members:
            for b in members:
                if (a["score"] or 0) > (b["score"] or 0) and result[b["id"]] is not None:
                    assert result[a["id"]] is not None and result[a["id"]] < result[b["id"]]


def test_ties_go_to_the_earlier_application():
    at = datetime(2026, 1, 1)
    people = [
        {"id": 2, "producer_id": 2, "score": 80, "applied_at": at + timedelta(minutes=5)},
        {"id": 1, "producer_id": 1, "score": 80, "applied_at": at},
    ]
    assert rules.allocate_booths(people, 1, set()) == {1: 1, 2: None}


def test_selection_rotates_booths_and_totals_the_sales(enabled, producer_factory, in_tenant):
    a, b, c = (producer_factory(trade_name=name) for name in ("مطبخ أمل", "حلويات بسمة", "خياطة جود"))
    with in_tenant(enabled):
        producers = {pid: services.get_producer(pid) for pid in (a, b, c)}
        first = exhibition(2, date(2026, 3, 1))
        for pid in (a, b, c):
            services.apply(first, producers[pid], today=date(2026, 2, 1))
        apps = {x.producer_id: x for x in services.applications_of(first)}
        services.score_application(apps[a], {"score": 90})
        services.score_application(apps[b], {"score": 70})
        services.score_application(apps[c], {"score": 50})
        with pytest.raises(Conflict):
            services.allocate(first, today=date(2026, 2, 19))  # the call is still open
        services.allocate(first, today=date(2026, 2, 20))
        assert {x.producer_id: x.booth for x in services.applications_of(first)} == {a: 1, b: 2, c: None}
        with pytest.raises(Conflict):
            services.record_sales(apps[c], {"sales": "10"}, today=date(2026, 3, 1))  # no booth
        with pytest.raises(Conflict):
            services.record_sales(apps[a], {"sales": "10"}, today=date(2026, 2, 28))  # not started
        services.record_sales(apps[a], {"sales": "1,250.50"}, today=date(2026, 3, 3))
        services.record_sales(apps[b], {"sales": "٧٥٠"}, today=date(2026, 3, 3))
        assert services.exhibition_totals(first) == {"applied": 3, "selected": 2, "sales_halalas": 200_050}

        second = exhibition(2, date(2026, 6, 1))
        for pid in (a, b, c):
            services.apply(second, producers[pid], today=date(2026, 5, 1))
        apps2 = {x.producer_id: x for x in services.applications_of(second)}
        services.score_application(apps2[a], {"score": 95})
        services.score_application(apps2[b], {"score": 90})
        services.score_application(apps2[c], {"score": 10})
        services.allocate(second, today=date(2026, 5, 25))
        # c had no booth last time: it comes first although its score is the lowest.
        assert {x.producer_id: x.booth for x in services.applications_of(second)} == {c: 1, a: 2, b: None}
        db.session.commit()

        held = {s.key: s for s in kpi_sources(enabled)}
        year = (date(2026, 1, 1), date(2026, 12, 31))
        assert held[f"{PID}.exhibitions_held"].compute(enabled, *year) == 2
        assert held[f"{PID}.exhibition_families"].compute(enabled, *year) == 3
        assert held[f"{PID}.exhibition_sales"].compute(enabled, *year) == 200_050
        assert held[f"{PID}.exhibitions_held"].compute(enabled, date(2026, 1, 1), date(2026, 3, 31)) == 1


def test_applications_close_at_the_deadline(enabled, producer_factory, in_tenant):
    pid = producer_factory()
    with in_tenant(enabled):
        show = exhibition(5, date(2026, 3, 1))
        with pytest.raises(Conflict):
            services.apply(show, services.get_producer(pid), today=date(2026, 2, 20))
        services.apply(show, services.get_producer(pid), today=date(2026, 2, 19))
        with pytest.raises(Invalid):
            services.apply(show, services.get_producer(pid), today=date(2026, 2, 19))


def test_bad_exhibition_input_is_refused_by_field(client, manager, token_for, enabled, in_tenant):
    response = client.post(
        f"{API}/exhibitions",
        json={"name": "معرض", "place": "الأحساء", "starts_on": "2026-03-05", "ends_on": "2026-03-01",
              "applications_close_on": "2026-03-10", "booths": 5},
        headers=token_for(manager),
    )  # fmt: skip
    assert response.status_code == 422
    assert {"ends_on", "applications_close_on"} <= set(response.json["errors"])
    response = client.post(
        f"{API}/exhibitions",
        json={"name": "معرض", "place": "الأحساء", "starts_on": "2026-03-05", "ends_on": "2026-03-06",
              "applications_close_on": "2026-03-01", "booths": 0},
        headers=token_for(manager),
    )  # fmt: skip
    assert response.status_code == 422 and set(response.json["errors"]) == {"booths"}
    with in_tenant(enabled):
        assert services.list_exhibitions() == []


def test_a_producer_applies_on_the_portal_and_sees_the_booth_on_the_showcase(
    client, producer_account, login, enabled, in_tenant
):
    user, producer_id = producer_account
    start = tenant_today() + timedelta(days=20)
    with in_tenant(enabled):
        show_id = exhibition(3, start).id
        db.session.commit()
    login(user)
    page = client.get(f"/t/first/{PID}/portal/exhibitions")
    assert page.status_code == 200 and "معرض الأسر المنتجة" in page.get_data(as_text=True)
    assert (
        client.post(
            f"/t/first/{PID}/portal/exhibitions", data={"action": "apply", "exhibition_id": show_id}
        ).status_code
        == 303
    )
    with in_tenant(enabled):
        show = services.get_exhibition(show_id)
        services.allocate(show, today=start - timedelta(days=5))
        services.set_showcase(
            services.get_producer(producer_id), {"showcase_consent": True, "showcase_whatsapp": "0551234567"}
        )
        db.session.commit()
    public = client.get(f"/t/first/{PID}/showcase/{producer_id}").get_data(as_text=True)
    assert 'id="exhibitions"' in public and "الأحساء — مركز التنمية" in public


def test_the_exhibition_page_allocates_and_records_sales(
    client, manager, login, enabled, producer_factory, in_tenant
):
    pid = producer_factory()
    with in_tenant(enabled):
        show = exhibition(1, date(2025, 3, 1))
        application = services.apply(show, services.get_producer(pid), today=date(2025, 2, 1))
        db.session.commit()
        url = f"/t/first/{PID}/exhibitions/{show.id}"
        application_id = application.id
    login(manager)
    assert client.post(url, data={"action": "allocate"}).status_code == 303
    assert (
        client.post(
            url, data={"action": "sales", "application_id": application_id, "sales": "abc"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            url, data={"action": "sales", "application_id": application_id, "sales": "300"}
        ).status_code
        == 303
    )
    page = client.get(url).get_data(as_text=True)
    assert "300.00" in page and 'id="total-sales"' in page

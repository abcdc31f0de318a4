"""The request queues are searchable and filterable — number in any digits and either order,
name words in any order, program, state, working days waiting, amount — with those columns,
sorted by days waiting, paginated, within a fixed query budget; a bad filter is a translated
error beside its box."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from core.requests.models import AidRequest, CatalogItem, RequestEvent
from core.tenancy import tenant_context


@pytest.fixture
def seeded(tenant):
    """Five requests of two programs, entered their state 1 to 40 days ago."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with tenant_context(tenant):
        rent = CatalogItem(code="rent", name_ar="دعم الإيجار", name_en="Rent support", kind="cash")
        food = CatalogItem(code="food", name_ar="سلة غذائية", name_en="Food basket", kind="in_kind")
        db.session.add_all([rent, food])
        db.session.flush()
        specs = [
            ("1448-000001", "أحمد محمد علي الزهراني", "in_committee", rent, 300000, 40),
            ("1448-000002", "سارة عبدالله الغامدي", "in_committee", food, 50000, 2),
            ("1448-000003", "خالد أحمد الزهراني", "submitted", rent, 150000, 10),
            ("1448-000012", "نورة سعد القحطاني", "approved", food, 90000, 1),
            ("1447-000099", "فهد ناصر الدوسري", "in_research", rent, None, 20),
        ]
        ids = {}
        for number, name, state, program, amount, days in specs:
            at = now - timedelta(days=days)
            item = AidRequest(
                number=number,
                applicant_name=name,
                state=state,
                channel="phone",
                catalog_item_id=program.id,
                requested_halalas=amount,
                submitted_at=at,
            )
            db.session.add(item)
            db.session.flush()
            db.session.add(RequestEvent(request_id=item.id, action="step", to_state=state, at=at))
            ids[number] = item.id
        db.session.commit()
        return {"ids": ids, "rent": rent.id, "food": food.id}


def _numbers(html: str) -> list[str]:
    return re.findall(r'<bdi dir="ltr" class="number text-nowrap">(\d{4}-\d{6})</bdi></a>', html)


def _get(client, **args):
    return client.get("/t/first/requests/", query_string=args)


def test_number_typed_in_arabic_indic_digits_or_reversed_finds_the_request(seeded, staff, login):
    client = login(staff["researcher"])
    assert _numbers(_get(client, number="١٤٤٨-٠٠٠٠٠٢").get_data(as_text=True)) == ["1448-000002"]
    assert _numbers(_get(client, number="000002-1448").get_data(as_text=True)) == ["1448-000002"]
    assert _numbers(_get(client, number="۱۲").get_data(as_text=True)) == ["1448-000012"]


def test_name_words_in_any_order_find_first_and_family_name(seeded, staff, login):
    client = login(staff["researcher"])
    found = _numbers(_get(client, name="الزهراني أحمد").get_data(as_text=True))
    assert sorted(found) == ["1448-000001", "1448-000003"]


def test_program_state_amount_and_days_waiting_filters(seeded, staff, login):
    client = login(staff["researcher"])
    assert sorted(_numbers(_get(client, program=seeded["food"]).get_data(as_text=True))) == [
        "1448-000002",
        "1448-000012",
    ]
    assert _numbers(_get(client, state="submitted").get_data(as_text=True)) == ["1448-000003"]
    assert sorted(_numbers(_get(client, state=["submitted", "approved"]).get_data(as_text=True))) == [
        "1448-000003",
        "1448-000012",
    ]
    assert _numbers(_get(client, min_amount="٢٠٠٠").get_data(as_text=True)) == ["1448-000001"]
    assert sorted(_numbers(_get(client, min_amount="500", max_amount="1500").get_data(as_text=True))) == [
        "1448-000002",
        "1448-000003",
        "1448-000012",
    ]
    # 10 working days ago or more: the 20- and 40-day-old ones (10 calendar days is < 10 working days)
    assert sorted(_numbers(_get(client, min_days="10").get_data(as_text=True))) == [
        "1447-000099",
        "1448-000001",
    ]


def test_queue_lists_program_amount_state_and_days_waiting_oldest_first(seeded, staff, login):
    html = _get(login(staff["researcher"])).get_data(as_text=True)
    assert _numbers(html) == ["1448-000001", "1447-000099", "1448-000003", "1448-000002", "1448-000012"]
    row = re.search(
        r"<tr[^>]*>\s*<td[^>]*><a[^>]*><bdi dir=\"ltr\" class=\"number text-nowrap\">1448-000001.*?</tr>",
        html,
        re.S,
    ).group(0)
    assert "دعم الإيجار" in row and "3,000.00" in row and "لدى اللجنة" in row
    days = int(re.search(r'data-days="(\d+)"', row).group(1))
    assert 26 <= days <= 30  # 40 calendar days in working days
    assert "table-warning" in row  # overdue: ten working days in committee
    recent = _numbers(_get(login(staff["researcher"]), sort="recent").get_data(as_text=True))
    assert recent[0] == "1448-000012"


def test_bad_filters_answer_400_with_translated_errors_beside_their_boxes(seeded, staff, login):
    response = _get(login(staff["researcher"]), min_days="كثير", min_amount="abc", max_amount="1")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="min_days-error"' in html and 'id="min_amount-error"' in html
    assert "أدخل عددًا صحيحًا." in html
    assert _numbers(html) == []


def test_lowest_amount_above_highest_is_refused(seeded, staff, login):
    response = _get(login(staff["researcher"]), min_amount="900", max_amount="100")
    assert response.status_code == 400
    assert "يجب ألا يقل المبلغ الأعلى عن الأدنى." in response.get_data(as_text=True)


def test_queue_is_paginated(seeded, staff, login, token_for, client):
    page_two = _get(login(staff["researcher"]), per_page="2", page="2").get_data(as_text=True)
    assert _numbers(page_two) == ["1448-000003", "1448-000002"]
    assert 'class="pagination' in page_two
    response = client.get(
        "/t/first/api/v1/requests/",
        query_string={"per_page": 2, "number": "١٤٤٨"},
        headers=token_for(staff["researcher"]),
    )
    assert response.headers["X-Total-Count"] == "4"
    body = response.get_json()
    assert [r["number"] for r in body] == ["1448-000001", "1448-000003"]
    assert body[0]["days_waiting"] >= 26 and body[0]["overdue"] is True and body[0]["program_name"]


def test_api_filter_errors_are_field_errors(seeded, staff, token_for, client):
    response = client.get(
        "/t/first/api/v1/requests/", query_string={"min_days": "x"}, headers=token_for(staff["researcher"])
    )
    assert response.status_code == 422
    assert "min_days" in response.get_json()["errors"]


@pytest.mark.parametrize("rows", [1, 30])
def test_filtered_queue_keeps_its_query_budget(rows, tenant, staff, login, max_queries):
    with tenant_context(tenant):
        program = CatalogItem(code="rent", name_ar="دعم الإيجار", name_en="Rent support", kind="cash")
        db.session.add(program)
        db.session.flush()
        for i in range(rows):
            db.session.add(
                AidRequest(
                    number=f"1448-{i + 1:06d}",
                    applicant_name=f"أحمد الزهراني {i}",
                    state="in_committee",
                    channel="phone",
                    catalog_item_id=program.id,
                    requested_halalas=100000,
                    submitted_at=datetime(2025, 1, 1),
                )
            )
        db.session.commit()
        program_id = program.id
    client = login(staff["committee_member"])
    with max_queries(12):
        response = _get(client, name="الزهراني", program=program_id, min_days="3", queue="overdue")
    assert response.status_code == 200
    assert len(_numbers(response.get_data(as_text=True))) == rows


def test_counts_and_pages_hold_only_this_associations_requests(seeded, staff, login, other_tenant):
    with tenant_context(other_tenant):
        for i in range(6):
            db.session.add(
                AidRequest(
                    number=f"1448-{i + 500:06d}",
                    applicant_name="غيرنا",
                    state="in_committee",
                    channel="phone",
                )
            )
        db.session.commit()
    html = _get(login(staff["researcher"])).get_data(as_text=True)
    assert re.search(r'id="queue-total">[^<]*5<', html)
    assert "غيرنا" not in html

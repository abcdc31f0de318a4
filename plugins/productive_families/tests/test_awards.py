"""The annual award: weights summing to 100, judges isolated from each other's scores until they
have submitted, weighted totals ranked with the stated tie-break, winners published."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.toolkit import Conflict, Forbidden, Invalid, db

from .. import rules, services
from ..schemas import AwardRoundSchema
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
CRITERIA = [
    {"name": "جودة المنتج", "weight": 50},
    {"name": "الترخيص والالتزام", "weight": 30},
    {"name": "التسويق", "weight": 20},
]


@given(st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8))
def test_weights_must_add_up_to_100(weights):
    criteria = [{"name": f"معيار {i}", "weight": w} for i, w in enumerate(weights)]
    data = {"year": 2026, "name": "جائزة الأسرة المنتجة المتميزة", "criteria": criteria}
    if sum(weights) == 100:
        assert AwardRoundSchema().load(data)["criteria"]
    else:
        with pytest.raises(Invalid) as refused:
            AwardRoundSchema().load(data)
        assert set(refused.value.messages) == {"criteria"}


def test_the_api_refuses_weights_not_adding_up_to_100_in_arabic(
    client, manager, token_for, enabled, in_tenant
):
    response = client.post(
        f"{API}/awards",
        json={
            "year": 2026,
            "name": "الجائزة",
            "criteria": [{"name": "الجودة", "weight": 60}, {"name": "التسويق", "weight": 30}],
        },
        headers={**token_for(manager), "Accept-Language": "ar"},
    )
    assert response.status_code == 422
    assert "١٠٠" in str(response.json["errors"]["criteria"]) or "100" in str(
        response.json["errors"]["criteria"]
    )
    assert "90" in str(response.json["errors"]["criteria"]) or "٩٠" in str(
        response.json["errors"]["criteria"]
    )
    with in_tenant(enabled):
        assert services.list_rounds() == []


def test_ties_go_to_the_heaviest_criterion_then_the_earlier_nomination():
    criteria = [{"code": "c1", "weight": 60}, {"code": "c2", "weight": 40}]
    entries = [
        {"id": 1, "scores": [{"c1": 6, "c2": 9}]},  # 36 + 36 = 72
        {"id": 2, "scores": [{"c1": 8, "c2": 6}]},  # 48 + 24 = 72, better on c1
        {"id": 3, "scores": [{"c1": 6, "c2": 9}]},  # as 1, nominated later
        {"id": 4, "scores": [{"c1": 10, "c2": 10}]},
    ]
    for entry in entries:
        entry["total"] = rules.weighted_total(entry["scores"], criteria)
    assert [e["id"] for e in rules.rank(entries, criteria)] == [4, 2, 1, 3]
    assert [e["rank"] for e in entries if e["id"] == 4] == [1]


def test_judges_score_in_isolation_and_the_ranking_is_weighted(
    client, enabled, make_member, token_for, producer_factory, in_tenant
):
    admin = make_member("admin@first.example.org", enabled, ["tenant_admin"])
    judge_a = make_member("judge-a@first.example.org", enabled, ["committee_member"])
    judge_b = make_member("judge-b@first.example.org", enabled, ["committee_member"])
    outsider = make_member("other@first.example.org", enabled, ["committee_member"])
    first, second = producer_factory(trade_name="مطبخ أمل"), producer_factory(trade_name="حلويات بسمة")
    with in_tenant(enabled):
        award = services.create_round(
            {"year": 2026, "name": "جائزة ٢٠٢٦", "criteria": CRITERIA, "winners": 1}
        )
        n1 = services.nominate(award, {"producer_id": first}).id
        n2 = services.nominate(award, {"producer_id": second}).id
        for judge in (judge_a, judge_b):
            services.add_judge(award, {"email": judge.email})
        with pytest.raises(Invalid):
            services.add_judge(award, {"email": "nobody@example.org"})
        db.session.commit()
        round_id = award.id
    url = f"{API}/awards/{round_id}"
    a, b = token_for(judge_a), token_for(judge_b)
    scores = {"c1": 9, "c2": 8, "c3": 7}
    assert (
        client.post(f"{url}/nominations/{n1}/scores", json={"scores": scores}, headers=a).status_code == 201
    )
    # Judge B sees none of A's scores, nor the results, before submitting all of theirs.
    mine = client.get(f"{url}/my-scores", headers=b).json
    assert [t["scores"] for t in mine] == [None, None]
    assert client.get(f"{url}/results", headers=b).status_code == 403
    assert client.get(f"{url}/results", headers=a).status_code == 403  # A has one nomination left
    assert client.get(f"{url}/my-scores", headers=token_for(outsider)).status_code == 403
    assert (
        client.post(
            f"{url}/nominations/{n1}/scores", json={"scores": scores}, headers=token_for(outsider)
        ).status_code
        == 403
    )
    bad = client.post(f"{url}/nominations/{n1}/scores", json={"scores": {"c1": 11, "c2": 5}}, headers=b)
    assert bad.status_code == 422 and "scores" in bad.json["errors"]
    assert [t["scores"] for t in client.get(f"{url}/my-scores", headers=b).json] == [None, None]
    assert (
        client.post(
            f"{url}/nominations/{n1}/scores", json={"scores": {"c1": 7, "c2": 6, "c3": 5}}, headers=b
        ).status_code
        == 201
    )
    assert (
        client.post(f"{url}/nominations/{n1}/scores", json={"scores": scores}, headers=b).status_code == 409
    )  # final
    assert (
        client.post(
            f"{url}/nominations/{n2}/scores", json={"scores": {"c1": 10, "c2": 10, "c3": 10}}, headers=a
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"{url}/nominations/{n2}/scores", json={"scores": {"c1": 6, "c2": 6, "c3": 6}}, headers=b
        ).status_code
        == 201
    )
    results = client.get(f"{url}/results", headers=b).json
    # n1: A 45+24+14=83, B 35+18+10=63 → 73; n2: A 100, B 60 → 80.
    assert [(r["nomination_id"], r["total"], r["rank"]) for r in results] == [(n2, 80.0, 1), (n1, 73.0, 2)]
    assert client.post(f"{url}/publication", headers=token_for(admin)).status_code == 200
    public = client.get(f"/t/first/{PID}/showcase/").get_data(as_text=True)
    assert 'id="award-winners"' in public and "حلويات بسمة" in public and "مطبخ أمل" not in public
    with in_tenant(enabled), pytest.raises(Conflict):
        services.nominate(services.get_round(round_id), {"producer_id": first})


def test_a_judge_uses_the_own_scoring_page(client, enabled, make_member, login, producer_factory, in_tenant):
    judge = make_member("judge@first.example.org", enabled, ["committee_member"])
    producer = producer_factory()
    with in_tenant(enabled):
        award = services.create_round({"year": 2027, "name": "جائزة ٢٠٢٧", "criteria": CRITERIA})
        nomination = services.nominate(award, {"producer_id": producer})
        services.add_judge(award, {"email": judge.email})
        db.session.commit()
        page, nomination_id = f"/t/first/{PID}/awards/{award.id}", nomination.id
    login(judge)
    assert 'id="results-hidden"' in client.get(page).get_data(as_text=True)
    refused = client.post(
        f"{page}/judge",
        data={"action": "scores", "nomination_id": nomination_id, "c1": "12", "c2": "5", "c3": "5"},
    )
    assert refused.status_code == 422
    done = client.post(
        f"{page}/judge",
        data={"action": "scores", "nomination_id": nomination_id, "c1": "8", "c2": "5", "c3": "٥"},
    )
    assert done.status_code == 303
    assert 'id="results"' in client.get(page).get_data(as_text=True)
    with in_tenant(enabled), pytest.raises(Forbidden):
        services.judge_tasks(
            services.get_round(award.id), make_member("x@first.example.org", enabled, ["researcher"])
        )

"""The request hooks reach an enabled plugin (the dummy) and only then; committee members present."""

from __future__ import annotations

from datetime import date

import pytest
from marshmallow import ValidationError

from core.aid.services import disbursed_total, disbursements_of, record_disbursement
from core.audit.models import AuditEvent
from core.errors import Conflict
from core.extensions import db
from core.requests import services
from core.requests.models import AidRequest, Decision, RequestEvent
from core.requests.workflow import refusals
from core.tenancy import tenant_context
from tests.fixtures import PASSWORD
from tests.plugins import dummy

API = "/t/first/api/v1/requests"
HOOKS = {
    "register_request_fields",
    "assess_eligibility",
    "propose_aid_ceiling",
    "validate_request_transition",
    "request_transitioned",
    "disbursement_recorded",
}


def _client_for(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _pay(request, staff, value=5000):
    return record_disbursement(
        request,
        staff["finance_officer"],
        {
            "kind": "cash",
            "value_halalas": value,
            "acknowledged_by": "نورة",
            "disbursed_on": date(2025, 11, 20),
        },
    )


def test_disabled_plugin_is_never_called(new_request, advance, staff, tenant):
    dummy.calls.clear()
    request = advance(new_request(linked=True), "in_committee")
    assert services.ceiling_for(request) is None
    assert "dummy_check" not in {c["code"] for c in services.assess(request)}
    services.approve(
        request,
        staff["committee_member"],
        amount_halalas=500000,
        members_present=[staff["committee_member"].id],
    )
    _pay(request, staff)
    assert not {name for name, _ in dummy.calls} & HOOKS
    with pytest.raises(ValidationError) as info:
        new_request(extra={"dummy": {"reference": "x1"}})
    assert "extra.dummy" in info.value.messages


def test_enabled_plugin_ceiling_check_and_events(new_request, advance, staff, tenant, enable_plugin):
    enable_plugin(tenant, settings={"ceiling": 300})
    dummy.calls.clear()
    request = advance(new_request(linked=True, requested_amount=None), "in_committee")
    tenant.settings = {**(tenant.settings or {}), "aid": {"default_ceiling_halalas": 1000000}}
    db.session.flush()
    ceiling = services.ceiling_for(request)
    assert (
        ceiling.amount_halalas == 30000 and str(ceiling.reason) == "Dummy ceiling"
    )  # the plugin wins over core's default
    checks = {c["code"]: c for c in services.assess(request)}
    assert checks["dummy_check"]["outcome"] == "needs_review"
    with pytest.raises(ValidationError) as info:
        services.approve(
            request,
            staff["committee_member"],
            amount_halalas=30001,
            members_present=[staff["committee_member"].id],
        )
    assert "override_reason" in info.value.messages
    decision = services.approve(
        request,
        staff["committee_member"],
        amount_halalas=30000,
        members_present=[staff["committee_member"].id],
    )
    assert "dummy_check" in {c["code"] for c in decision.assessment}
    _pay(request, staff)
    names = [name for name, _ in dummy.calls]
    assert set(names) >= HOOKS
    assert ("request_transitioned", "approve:in_committee->approved") in dummy.calls
    assert ("disbursement_recorded", "5000") in dummy.calls


def test_lowest_plugin_ceiling_wins(new_request, advance, tenant, enable_plugin, monkeypatch):
    from core.plugins import tenant_hooks
    from core.requests.services import Ceiling

    enable_plugin(tenant, settings={"ceiling": 300})
    request = advance(new_request(linked=True), "in_committee")
    proposals = list(tenant_hooks().propose_aid_ceiling(request=request, file=None, catalog_item=None))
    assert [p.amount_halalas for p in proposals if p is not None] == [30000]
    # a second plugin proposing less wins; core's default only applies when no plugin proposes
    extra = [*proposals, Ceiling(20000, "other plugin"), Ceiling(100, "core default", default=True)]
    # the tenant's relay (built once per enabled-set) keeps its callers as attributes
    monkeypatch.setattr(tenant_hooks(), "propose_aid_ceiling", lambda **kw: extra)
    assert services.ceiling_for(request).amount_halalas == 20000


@pytest.mark.parametrize(
    ("dummy", "status", "said"),
    [
        # the request's state: the step cannot be taken now (409, the message)
        ({"refuse_approval": True}, 409, {"_schema": ["The dummy plugin refuses this approval."]}),
        # the step's input: 422 on the field the plugin names
        ({"reference": "amount"}, 422, {"amount": ["The dummy plugin refuses this amount."]}),
    ],
)
def test_a_plugins_refusal_answers_by_its_kind_and_nothing_changes(
    dummy, status, said, app, new_request, advance, staff, tenant, enable_plugin, token_for, client
):
    enable_plugin(tenant)
    request = advance(new_request(linked=True, extra={"dummy": dummy}), "in_committee")
    db.session.commit()
    rid = request.id
    refused = client.post(
        f"{API}/{rid}/approve",
        json={"amount": "50", "members_present": [staff["committee_member"].id]},
        headers=token_for(staff["committee_member"]),
    )
    assert refused.status_code == status
    assert refused.json["errors"] == said
    with tenant_context(tenant):
        assert db.session.get(AidRequest, rid).state == "in_committee"
        assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0


@pytest.mark.parametrize(
    ("answers", "messages", "fields"),
    [
        ([[], None], [], {}),
        ([["not now"]], ["not now"], {}),
        ([{"amount": ["too much"]}], [], {"amount": ["too much"]}),
        (
            [["not now", {"amount": "too much"}], [{"amount": ["odd"], "note": ["empty"]}]],
            ["not now"],
            {"amount": ["too much", "odd"], "note": ["empty"]},
        ),
    ],
)
def test_the_plugins_refusals_sort_into_messages_and_field_errors(answers, messages, fields):
    assert refusals(answers) == (messages, fields)


def test_enabled_plugin_fields_are_validated_and_shown_on_the_forms(
    app, client, staff, tenant, enable_plugin, token_for, make_member
):
    enable_plugin(tenant)
    officer = token_for(staff["relations_officer"])
    base = {"channel": "phone", "applicant_name": "نورة محمد عبدالله السبيعي"}
    bad = client.post(f"{API}/", json={**base, "extra": {"dummy": {"household_size": 99}}}, headers=officer)
    assert bad.status_code == 422 and "extra.dummy" in bad.json["errors"]
    unknown = client.post(f"{API}/", json={**base, "extra": {"nobody": {}}}, headers=officer)
    assert unknown.status_code == 422
    good = client.post(
        f"{API}/",
        json={**base, "extra": {"dummy": {"reference": "R-1", "household_size": 4}}},
        headers=officer,
    )
    assert good.status_code == 201 and good.json["extra"]["dummy"]["household_size"] == 4

    # staff form: the plugin's inputs are rendered, validated (422) and kept on the request
    page = _client_for(app, staff["relations_officer"])
    form = page.get("/t/first/requests/new").get_data(as_text=True)
    assert 'name="extra.dummy.reference"' in form and 'name="extra.dummy.refuse_approval"' in form
    wrong = page.post("/t/first/requests/new", data={**base, "extra.dummy.household_size": "٩٩"})
    assert wrong.status_code == 422 and 'id="extra-dummy-household_size-error"' in wrong.get_data(
        as_text=True
    )
    made = page.post(
        "/t/first/requests/new",
        data={**base, "extra.dummy.household_size": "٥", "extra.dummy.reference": "AB"},
    )
    assert made.status_code == 302
    view = page.get(made.headers["Location"]).get_data(as_text=True)
    assert "Dummy household size" in view

    # portal form: same inputs for the applicant
    applicant = make_member("fahad@example.org", tenant, ["applicant"])
    portal = _client_for(app, applicant)
    assert 'name="extra.dummy.household_size"' in portal.get("/t/first/portal/apply").get_data(as_text=True)
    apply = {"applicant_name": "فهد سالم علي القحطاني", "summary": "إيجار", "declaration": "on"}
    assert (
        portal.post("/t/first/portal/apply", data={**apply, "extra.dummy.household_size": "0"}).status_code
        == 422
    )
    assert (
        portal.post("/t/first/portal/apply", data={**apply, "extra.dummy.household_size": "3"}).status_code
        == 302
    )
    with tenant_context(tenant):
        mine = db.session.scalars(
            db.select(AidRequest).where(AidRequest.applicant_user_id == applicant.id)
        ).one()
        assert mine.extra == {"dummy": {"household_size": 3, "reference": None, "refuse_approval": False}}


def test_members_present_are_the_tenants_committee_members(
    app, new_request, advance, staff, tenant, other_tenant, make_member
):
    second = make_member("member2@first.example.org", tenant, ["committee_member", "researcher"])
    outsider = make_member("member@second.example.org", other_tenant, ["committee_member"])
    request = advance(new_request(linked=True), "in_committee")
    assert [u.id for u in services.committee_members()] == sorted(
        [staff["committee_member"].id, second.id],
        key=lambda i: {staff["committee_member"].id: "committee_member", second.id: "member2"}[i],
    )
    for ids in ([], [staff["researcher"].id], [outsider.id], [second.id, 999999]):
        with pytest.raises(ValidationError) as info:
            services.approve(request, staff["committee_member"], amount_halalas=100, members_present=ids)
        assert "members_present" in info.value.messages
    assert request.state == "in_committee"
    db.session.commit()
    rid = request.id

    page = _client_for(app, staff["committee_member"])
    view = page.get(f"/t/first/requests/{rid}").get_data(as_text=True)
    assert 'name="members_present" multiple' in view and f'value="{second.id}"' in view
    assert f'value="{outsider.id}"' not in view
    page.post(
        f"/t/first/requests/{rid}/step/approve",
        data={"amount": "100", "members_present": [str(staff["committee_member"].id), str(second.id)]},
    )
    with tenant_context(tenant):
        decision = db.session.scalars(db.select(Decision)).one()
        assert decision.members_present == [
            {"id": staff["committee_member"].id, "name": "committee_member"},
            {"id": second.id, "name": "member2"},
        ]


def test_every_disbursement_is_a_step_the_plugins_see(new_request, advance, staff, tenant, enable_plugin):
    request = advance(new_request(linked=True), "approved")
    enable_plugin(tenant)
    dummy.calls.clear()
    _pay(request, staff, 5000)
    _pay(request, staff, 7000)
    assert request.state == "disbursed"
    assert [c for c in dummy.calls if c[0] in ("request_transitioned", "disbursement_recorded")] == [
        ("request_transitioned", "disburse:approved->disbursed"),
        ("disbursement_recorded", "5000"),
        ("request_transitioned", "disburse:disbursed->disbursed"),
        ("disbursement_recorded", "7000"),
    ]
    assert [c for c in dummy.calls if c[0] == "validate_request_transition"] == [
        ("validate_request_transition", "disburse")
    ] * 2
    steps = db.session.scalars(
        db.select(RequestEvent).where(
            RequestEvent.request_id == request.id, RequestEvent.action == "disburse"
        )
    ).all()
    assert [(e.from_state, e.to_state, e.data["value_halalas"]) for e in steps] == [
        ("approved", "disbursed", 5000),
        ("disbursed", "disbursed", 7000),
    ]
    audited = db.session.scalars(
        db.select(AuditEvent.action).where(
            AuditEvent.tenant_id == tenant.id, AuditEvent.action.in_(("request.disburse", "aid.disbursement"))
        )
    ).all()
    assert sorted(audited) == ["aid.disbursement"] * 2 + ["request.disburse"] * 2


def test_a_plugin_can_refuse_a_second_disbursement(
    new_request, advance, staff, tenant, enable_plugin, monkeypatch
):
    request = advance(new_request(linked=True), "approved")
    enable_plugin(tenant)
    monkeypatch.setattr(dummy, "one_disbursement_only", True)
    _pay(request, staff, 5000)
    dummy.calls.clear()
    with pytest.raises(Conflict) as info:
        _pay(request, staff, 7000)
    assert str(info.value.message) == "The dummy plugin allows one disbursement per request."
    assert disbursed_total(request) == 5000
    assert [d.value_halalas for d in disbursements_of(request)] == [5000]
    assert not {name for name, _ in dummy.calls} & {"request_transitioned", "disbursement_recorded"}
    assert request.state == "disbursed"

"""Policy links on staff pages (issue 15: "staff pages link them where they apply"): each page
area names the policy kinds that apply there (``register_policy_areas``), and the page links the
versions in force today — nothing when none is, an expired version never."""

from __future__ import annotations

import html
import re
from datetime import date

from core.extensions import db
from core.policies import areas, services
from core.testing import PDF
from core.toolkit import policies_for_area


def _add(staff, title: str, kind: str, until: date | None = None):
    return services.add_policy(
        {
            "title": title,
            "kind": kind,
            "version": "1",
            "in_force_from": date(2020, 9, 29),
            "in_force_until": until,
        },
        staff["tenant_admin"],
        PDF,
        "p.pdf",
    )


def _links(page: str, area: str) -> list[str]:
    """The titles the page links in the policy box of ``area``."""
    box = re.search(rf'<aside[^>]*data-area="{re.escape(area)}".*?</aside>', page, re.S)
    return (
        re.findall(r'<a href="[^"]*/portal/policies/\d+/file"[^>]*>([^<]+)</a>', box.group(0)) if box else []
    )


def test_an_area_links_only_the_kinds_that_apply_there_in_force_today(in_first, staff, app):
    _add(staff, "دليل خدمات البحث الاجتماعي", "research_services_guide")
    _add(staff, "دليل سياسة الدعم للمستفيدين", "support_policy_guide")
    _add(staff, "نموذج طلب دعم قديم", "support_request_form", until=date(2021, 1, 1))
    with app.test_request_context("/t/first/"):
        research = policies_for_area("requests.research")
        decision = policies_for_area("requests.decision")
        unknown = policies_for_area("no.such.area")
        kinds = areas.area_kinds()
    assert [link.title for link in research] == ["دليل خدمات البحث الاجتماعي"]
    assert [link.title for link in decision] == ["دليل سياسة الدعم للمستفيدين"]
    assert unknown == []
    assert kinds["requests.intake"] == ("support_policy_guide", "support_request_form")


def test_the_new_request_page_links_the_support_policy_and_form_in_force(in_first, staff, client, login):
    policy = _add(staff, "دليل سياسة الدعم للمستفيدين", "support_policy_guide")
    _add(staff, "نموذج طلب دعم منتهٍ", "support_request_form", until=date(2021, 1, 1))
    _add(staff, "دليل خدمات البحث الاجتماعي", "research_services_guide")
    db.session.commit()
    login(staff["relations_officer"])
    page = html.unescape(client.get("/t/first/requests/new").get_data(as_text=True))
    assert _links(page, "requests.intake") == ["دليل سياسة الدعم للمستفيدين"]
    assert f"/portal/policies/{policy.id}/file" in page
    assert client.get(f"/t/first/portal/policies/{policy.id}/file").status_code == 200


def test_no_policy_box_when_none_is_in_force(in_first, staff, client, login):
    _add(staff, "دليل سياسة الدعم (منتهٍ)", "support_policy_guide", until=date(2021, 1, 1))
    db.session.commit()
    login(staff["relations_officer"])
    page = client.get("/t/first/requests/new").get_data(as_text=True)
    assert "policy-links" not in page


def test_the_research_and_the_decision_link_their_guides(
    in_first, staff, new_request, advance, client, login
):
    _add(staff, "دليل خدمات البحث الاجتماعي", "research_services_guide")
    _add(staff, "دليل سياسة الدعم للمستفيدين", "support_policy_guide")
    in_research = advance(new_request(), "in_research")
    in_committee = advance(new_request(linked=True), "in_committee")
    db.session.commit()
    login(staff["researcher"])
    page = html.unescape(client.get(f"/t/first/requests/{in_research.id}").get_data(as_text=True))
    assert _links(page, "requests.research") == ["دليل خدمات البحث الاجتماعي"]
    assert _links(page, "requests.decision") == []
    login(staff["committee_member"])
    page = html.unescape(client.get(f"/t/first/requests/{in_committee.id}?lang=en").get_data(as_text=True))
    assert _links(page, "requests.decision") == ["دليل سياسة الدعم للمستفيدين"]
    assert "Policies that apply here:" in page and "Support policy guide for beneficiaries" in page

"""The officer's tools of section 5 of seed 003 (basic regulation, research guide, support policy
guide, support request form) linked on the case page and the intake page when in force
(core.policies' ``register_policy_areas``); an expired one never; nothing when none is."""

from __future__ import annotations

import html
import io
import re

from core.testing import PDF
from core.toolkit import policies_for_area

from .conftest import PAGE


def _box(page: str) -> str:
    """The page's box of the policies that apply (empty when there is none)."""
    found = re.search(r'<aside[^>]*class="[^"]*policy-links.*?</aside>', html.unescape(page), re.S)
    return found.group(0) if found else ""


def _add(client, login, staff, title: str, kind: str, until: str = "") -> None:
    """Added by the tenant admin on core's policy page."""
    login(staff["tenant_admin"])
    data = {
        "title": title,
        "kind": kind,
        "version": "2",
        "in_force_from": "2020-09-29",
        "in_force_until": until,
    }
    done = client.post(
        "/t/first/policies/",
        data={**data, "file": (io.BytesIO(PDF), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302


def test_the_case_page_links_the_officers_tools_in_force(enabled, staff, open_case, client, login):
    _add(client, login, staff, "دليل خدمات البحث الاجتماعي", "research_services_guide")
    _add(client, login, staff, "اللائحة الأساسية القديمة", "basic_regulation", until="2021-01-01")
    case_id = open_case()
    login(staff["relations_officer"])
    page = _box(client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True))
    assert 'data-area="crime_victims.case"' in page and 'data-kind="research_services_guide"' in page
    assert "دليل خدمات البحث الاجتماعي" in page and "اللائحة الأساسية القديمة" not in page
    intake = client.get(f"{PAGE}/new").get_data(as_text=True)
    assert 'data-area="crime_victims.intake"' not in intake  # the research guide is not an intake tool


def test_the_intake_page_links_the_support_request_form(enabled, staff, client, login):
    _add(client, login, staff, "نموذج طلب دعم مستفيد", "support_request_form")
    login(staff["relations_officer"])
    page = _box(client.get(f"{PAGE}/new").get_data(as_text=True))
    assert 'data-area="crime_victims.intake"' in page and 'data-kind="support_request_form"' in page
    assert "نموذج طلب دعم مستفيد" in page and "/portal/policies/" in page


def test_no_policy_box_on_the_case_page_when_none_is_in_force(enabled, staff, open_case, client, login):
    case_id = open_case()
    login(staff["relations_officer"])
    assert "policy-links" not in client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)


def test_disabling_the_plugin_removes_its_policy_areas(
    enabled, staff, client, login, in_tenant, app, enable_plugin
):
    _add(client, login, staff, "اللائحة الأساسية للجمعية", "basic_regulation")
    with in_tenant(enabled), app.test_request_context("/t/first/"):
        assert [link.kind for link in policies_for_area("crime_victims.case")] == ["basic_regulation"]
    enable_plugin(enabled, "crime_victims", enabled=False)
    with in_tenant(enabled), app.test_request_context("/t/first/"):
        assert policies_for_area("crime_victims.case") == []

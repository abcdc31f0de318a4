"""A victim of crime, from a portal application on a phone to a completed referral and a closed
case (issue 15), every role in its own browser session at 375 px, in Arabic.

The applicant registers and applies for the victims' service with the crime's category and date
and sees when the research committee is expected to answer; the relations officer registers the
person from the applicant's data and records the intake steps (the expected answer date on the
case); the researcher assesses a psychological need, refers it to a partner and takes the request
through the research to the committee, which approves it; the researcher follows the referral
accepted → in service → completed and records registration and the service delivered; finance
pays the in-house part and the officer closes the case, every need resolved. Screenshots at each
key point go to test-artifacts/ (375 px, and the case page at 1366 px in Arabic and English).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.calendar import local_time
from core.calendar import today as tenant_today
from core.extensions import db
from core.policies import services as policies
from core.tenancy import tenant_context, utcnow
from core.testing import PDF
from plugins.crime_victims.services import care
from tests.e2e.browser import screenshot
from tests.registry.factories import valid_id

pytestmark = pytest.mark.browser

X = "#extra-crime_victims-"
ROLES = ("relations_officer", "researcher", "committee_member", "finance_officer", "tenant_admin")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _submit(page, form: str) -> None:
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state()


def test_a_victim_applies_on_a_phone_and_the_case_ends_with_a_completed_referral(
    phone_page, signed_in, create_tenant, create_user_, enable_plugin
):
    tenant = create_tenant("first", name_ar="جمعية عون لرعاية ضحايا الجريمة", name_en="Aoun Association")
    enable_plugin(tenant, "crime_victims")
    staff = {
        role: create_user_(email=f"{role}@example.org", roles={tenant: [role]}, name=role) for role in ROLES
    }
    with tenant_context(tenant):  # the association's partner for psychological support
        partner = care.add_partner(
            {"name": "مركز الإرشاد النفسي", "services": ["psychological"], "contact_name": "د. سلمى"},
            staff["relations_officer"],
        )
        for title, kind in (
            ("دليل خدمات البحث الاجتماعي", "research_services_guide"),
            ("نموذج طلب دعم مستفيد", "support_request_form"),
        ):
            policies.add_policy(
                {"title": title, "kind": kind, "version": "1", "in_force_from": date(2020, 9, 29)},
                staff["tenant_admin"],
                PDF,
                "policy.pdf",
            )
        db.session.commit()
        partner_id = partner.id

    # --- the applicant registers and applies for the victims' service (phone, Arabic)
    portal = phone_page
    portal.goto("/t/first/portal/register")
    portal.fill("#name", "منيرة سعد العتيبي")
    portal.fill("#email", "munira@example.org")
    portal.fill("#password", "long-enough-pass-1")
    portal.fill("#password2", "long-enough-pass-1")
    _submit(portal, "#register-form")
    portal.fill("#password", "long-enough-pass-1")
    _submit(portal, "main form")
    portal.goto("/t/first/portal/apply")
    assert portal.locator("html").get_attribute("dir") == "rtl"
    portal.fill("#applicant_name", "منيرة سعد محمد العتيبي")
    portal.fill("#applicant_phone", "٠٥٥٧٧٧٨٨٩٩")
    portal.select_option(X + "category_code", "domestic_violence")
    portal.fill(X + "incident_date", (tenant_today() - timedelta(days=12)).isoformat())
    portal.fill(X + "city", "الرياض")
    portal.fill(X + "no_report_reason", "تخشى الإبلاغ الآن")
    portal.check("#declaration")
    _fits_the_phone(portal)
    screenshot(portal, "victims-01-apply-ar-375")
    portal.click("#submit-request")
    portal.wait_for_load_state()
    number = portal.locator("#request-number").inner_text().strip()
    assert number
    with tenant_context(tenant):  # submitted today, as the association counts days (Riyadh)
        expected = (local_time(utcnow()).date() + timedelta(days=14)).isoformat()
    assert portal.locator("#expected-answer").get_attribute("data-date") == expected
    detail_url = portal.url
    _fits_the_phone(portal)
    screenshot(portal, "victims-02-submitted-ar-375")

    def session(role: str, width: int = 375, lang: str = "ar"):
        page = signed_in(staff[role].email, width=width, lang=lang)
        return page.context, page

    def request_state(page) -> str:
        return page.locator("#request-state").get_attribute("data-state")

    # --- relations officer: the case on the queue; the person registered from the applicant's
    # data; intake steps 2 to 5, each in the timeline
    context, page = session("relations_officer")
    page.goto("/t/first/crime_victims/")
    page.click(f"text={number}")
    page.wait_for_load_state()
    case_url = page.url
    assert page.locator("#timeline [data-step='1']").get_attribute("data-done") == "yes"
    # the officer's tools in force, linked where they apply
    tools = page.locator(".policy-links[data-area='crime_victims.case'] [data-kind]")
    assert sorted(tools.evaluate_all("items => items.map(i => i.dataset.kind)")) == [
        "research_services_guide",
        "support_request_form",
    ]
    page.click("#case-facts a[href*='/requests/']")
    page.wait_for_load_state()
    request_url = page.url
    page.click("#register-household")
    page.wait_for_load_state()
    national_id = valid_id("1")
    page.fill("#national_id", national_id.translate(ARABIC_DIGITS))
    page.fill("#id_expiry", "1452-01-01")
    page.fill("#nationality", "SA")
    page.fill("#job", "لا تعمل")
    page.fill("#monthly_income", "0")
    page.fill("#annual_rent", "18000")
    page.click("main form button.btn-success[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#linked-file").count() == 1
    page.goto(case_url)
    page.fill("#national_id", national_id)
    _submit(page, "#step-check")
    _submit(page, "#step-clarify")  # the procedure is clear to the applicant
    _submit(page, "#step-declare")  # signed on the portal
    _fits_the_phone(page)
    screenshot(page, "victims-03-officer-steps-ar-375")
    _submit(page, "#step-notice")
    for step in range(1, 6):
        assert page.locator(f"#timeline [data-step='{step}']").get_attribute("data-done") == "yes"
    assert page.locator("#timeline [data-step='6']").get_attribute("data-done") == "no"
    assert page.locator("#expected-answer").inner_text().strip()
    _fits_the_phone(page)
    screenshot(page, "victims-04-committee-notice-ar-375")
    context.close()

    # --- researcher: a psychological need, referred to the partner; the research on core's page
    context, page = session("researcher")
    page.goto(case_url)
    page.select_option("#need-form #area", "psychological")
    page.select_option("#need-form #severity", "high")
    page.fill("#need-form #note", "قلق واضطراب في النوم بعد الحادثة")
    _submit(page, "#need-form")
    need = page.locator("#needs [data-need]").first
    need_id = need.get_attribute("data-need")
    refer = page.locator(f"form[data-refer='{need_id}']")
    refer.locator("select[name=partner_id]").select_option(str(partner_id))
    refer.locator("input[name=follow_up_on]").fill((tenant_today() + timedelta(days=7)).isoformat())
    refer.locator("button[type=submit]").click()
    page.wait_for_load_state()
    referral = page.locator("#referrals [data-referral]").first
    assert referral.get_attribute("data-status") == "sent"
    _fits_the_phone(page)
    screenshot(page, "victims-05-referred-ar-375")
    page.goto(request_url)
    page.click("[data-action=start_research]")
    page.wait_for_load_state()
    assert request_state(page) == "in_research"
    page.fill("#scheduled_for", tenant_today().isoformat())
    _submit(page, "form[action$='/step/schedule_visit']")
    page.fill("#visited_on", tenant_today().isoformat())
    page.fill("#findings", "زيارة منزلية: البيانات مطابقة")
    page.locator("#record-visit input[name=field]").first.fill("السكن")
    page.locator("#record-visit input[name=entered]").first.fill("مستأجر")
    _submit(page, "#record-visit")
    page.click("[data-action=verify]")
    page.wait_for_load_state()
    page.click("[data-action=send_to_committee]")
    page.wait_for_load_state()
    assert request_state(page) == "in_committee"
    context.close()

    # --- committee member: approves
    context, page = session("committee_member")
    page.goto(request_url)
    page.fill("#amount", "١٬٠٠٠")
    page.select_option("#members_present", [str(staff["committee_member"].id)])
    _fits_the_phone(page)
    screenshot(page, "victims-06-committee-ar-375")
    page.click("#committee form[action$='/step/approve'] button[type=submit]")
    page.wait_for_load_state()
    assert request_state(page) == "approved"
    context.close()

    # --- researcher: the referral accepted → in service → completed; steps 6 and 7
    context, page = session("researcher")
    page.goto(case_url)
    for status in ("accepted", "in_service", "completed"):
        form = page.locator("#referrals [data-referral] form").first
        form.locator("select[name=status]").select_option(status)
        if status == "completed":
            form.locator("input[name=outcome]").fill("أنهت ست جلسات دعم نفسي")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#referrals [data-referral]").first.get_attribute("data-status") == status
    assert page.locator(f"#needs [data-need='{need_id}']").get_attribute("data-status") == "met"
    page.fill("#step-register #note", "اكتملت متطلبات التسجيل")
    _submit(page, "#step-register")
    page.fill("#step-serve #note", "جلسات الدعم النفسي لدى الشريك")
    _submit(page, "#step-serve")
    assert page.locator("#timeline [data-step='7']").get_attribute("data-done") == "yes"
    _fits_the_phone(page)
    screenshot(page, "victims-07-completed-referral-ar-375")
    context.close()

    # --- finance: the in-house part (an emergency allowance); the officer closes the case
    context, page = session("finance_officer")
    page.goto(request_url)
    page.fill("#value", "١٬٠٠٠")
    page.fill("#acknowledged_by", "منيرة سعد محمد العتيبي")
    page.fill("#disbursed_on", tenant_today().isoformat())
    _submit(page, "#disburse")
    assert request_state(page) == "disbursed"
    context.close()
    context, page = session("relations_officer")
    page.goto(request_url)
    page.click("[data-action=close]")
    page.wait_for_load_state()
    _fits_the_phone(page)
    screenshot(page, "victims-08-confirm-close-ar-375")
    page.click("#confirm-button")  # closing is asked once more
    page.wait_for_load_state()
    assert request_state(page) == "closed"
    page.goto(case_url)
    completed = page.locator("#referrals [data-referral]").first
    assert completed.get_attribute("data-status") == "completed"
    assert "أنهت ست جلسات دعم نفسي" in completed.inner_text()
    _fits_the_phone(page)
    screenshot(page, "victims-09-closed-ar-375")
    context.close()

    # --- the same case page at desktop width, Arabic and English (for reading)
    for lang in ("ar", "en"):
        context, page = session("researcher", width=1366, lang=lang)
        page.goto(f"{case_url}?lang={lang}")
        assert page.locator("#referrals [data-referral]").first.get_attribute("data-status") == "completed"
        screenshot(page, f"victims-10-case-{lang}-1366")
        context.close()

    # --- the applicant's page: the expected answer date and the decision
    portal.goto(detail_url)
    assert portal.locator("#request-state").get_attribute("data-state") == "closed"
    assert portal.locator("#committee-answered").count() == 1  # no longer "expect the answer by"
    _fits_the_phone(portal)
    screenshot(portal, "victims-11-applicant-ar-375")
    portal.goto(f"{detail_url}?lang=en")
    screenshot(portal, "victims-12-applicant-en-375")


def test_a_case_whose_needs_a_partner_met_closes_without_a_disbursement(
    signed_in, tenant, staff, advance, create_person, enable_plugin
):
    """The committee accepted the case, the partner completed the referral of its only need and
    the service is recorded: no disbursement is due, and the officer closes the case from the
    request page with the plugin's step "needs met" and its outcome note (asked once more)."""
    from plugins.crime_victims import services  # lazy: the plugin's services, once the app is up

    enable_plugin(tenant, "crime_victims")
    number = valid_id()
    create_person(tenant, national_id=number, id_expiry=(tenant_today() + timedelta(days=900)).isoformat())
    officer, researcher = staff["relations_officer"], staff["researcher"]
    with tenant_context(tenant):
        partner = care.add_partner({"name": "مركز الإرشاد النفسي", "services": ["psychological"]}, officer)
        case = services.open_case(
            {
                "applicant_name": "منيرة سعد العتيبي",
                "applicant_phone": "0551112233",
                "channel": "phone",
                "category_code": "domestic_violence",
                "incident_date": (tenant_today() - timedelta(days=30)).isoformat(),
                "city": "الرياض",
                "no_report_reason": "تخشى الإبلاغ",
            },
            officer,
        )
        for action, data in (
            ("check", {"national_id": number}),
            ("clarify", {"outcome": "clear"}),
            ("declare", {"signed_by": "منيرة سعد العتيبي"}),
            ("notice", {}),
        ):
            services.take(case, action, data, officer)
        need = care.add_need(case, {"area": "psychological", "severity": "high"}, researcher)
        request = services.request_of(case)
        advance(request, "approved")
        services.take(case, "register", {}, officer)
        services.take(case, "serve", {"note": "جلسات الدعم النفسي لدى الشريك"}, officer)
        referral = care.refer(need, {"partner_id": partner.id}, researcher)
        for status in ("accepted", "in_service"):
            care.move(referral, {"status": status}, researcher)
        care.move(referral, {"status": "completed", "outcome": "أنهت ست جلسات دعم نفسي"}, researcher)
        db.session.commit()
        request_url = f"/t/first/requests/{request.id}"
        case_url = f"/t/first/crime_victims/cases/{case.id}"

    def session(width: int, lang: str):
        page = signed_in(officer.email, width=width, lang=lang)
        return page.context, page

    # The step on the request page, at both widths, in both languages (for reading).
    for width, lang in ((1366, "ar"), (1366, "en"), (375, "en")):
        context, page = session(width, lang)
        page.goto(f"{request_url}?lang={lang}")
        step = page.locator("#step-close_needs_met")
        assert step.count() == 1 and step.locator("textarea[name=note]").is_visible()
        step.scroll_into_view_if_needed()
        if width == 375:
            _fits_the_phone(page)
        screenshot(page, f"victims-13-step-needs-met-{lang}-{width}")
        context.close()

    context, page = session(375, "ar")
    page.goto(case_url)  # the case page says the case may close, and leads to the step
    page.locator("#needs-met").scroll_into_view_if_needed()
    _fits_the_phone(page)
    screenshot(page, "victims-13-case-needs-met-ar-375")
    page.click("#needs-met a")
    page.wait_for_load_state()
    assert page.url.endswith(f"{request_url}#step-close_needs_met")
    step = page.locator("#step-close_needs_met")
    assert "إغلاق الحالة: استُوفيت الاحتياجات" in step.inner_text()
    _submit(page, "#step-close_needs_met")  # no outcome yet: refused by field, nothing closed
    page.wait_for_load_state()
    assert page.locator("#step-error").get_attribute("data-action") == "close_needs_met"
    assert page.locator("#request-state").get_attribute("data-state") == "approved"
    page.fill("#note-close_needs_met", "استوفى مركز الإرشاد النفسي احتياج الحالة: ست جلسات دعم")
    page.locator("#step-close_needs_met").scroll_into_view_if_needed()
    _fits_the_phone(page)
    screenshot(page, "victims-14-step-needs-met-ar-375")
    _submit(page, "#step-close_needs_met")
    _fits_the_phone(page)
    screenshot(page, "victims-15-confirm-needs-met-ar-375")
    page.click("#confirm-button")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "closed"
    assert "استوفى مركز الإرشاد النفسي" in page.locator("#timeline").inner_text()
    assert page.locator("#step-close_needs_met").count() == 0
    _fits_the_phone(page)
    screenshot(page, "victims-16-closed-needs-met-ar-375")
    context.close()

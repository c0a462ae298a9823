"""A phone supporter on the Kang Hen campaign as loaded: the Governor through his web contact
form (message ready to copy, the form in a new tab, then "I sent it"), the DA by printed letter.
Real Chromium; the office's form is a stand-in page served by the browser's router, so the test
never reaches the real site."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from actions.models import OutboundMessage
from cms.models import CampaignPage
from tests.browser.axe import assert_no_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PETITION = (
    "Stop the Deportation of Kang Hen - Father\n\n0 have signed. Let's get to 2,500!\n\n"
    "Tell the DA and the Governor to act.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
)
OFFICE_FORM = "<!doctype html><title>Contact the Governor</title><h1>Contact the Governor</h1><textarea></textarea>"


@pytest.fixture
def kang_hen(tmp_path):
    (tmp_path / "kang-hen-petition.txt").write_text(PETITION)
    call_command("load_campaign", source=str(tmp_path))
    return CampaignPage.campaigns().get(slug="stop-the-deportation-of-kang-hen")


def email_step_send(page, base_url, campaign, screenshots=None):
    page.goto(base_url + campaign.url + "email/")
    page.get_by_label("First name").fill("Sokha")
    page.get_by_label("Last name").fill("Chan")
    page.get_by_role("textbox", name="Email", exact=True).fill("sokha.chan@example.org")
    page.get_by_label("City").fill("San Jose")
    page.get_by_label("ZIP code").fill("95112")
    expect(page.locator('[data-channel="form"]')).to_contain_text("web contact form")
    expect(page.locator('[data-channel="letter"]')).to_contain_text("Add my letter to the delivery")
    if screenshots is not None:  # the phone with JavaScript on (axe runs as page script)
        assert_no_serious_violations(page, label="email step, contact form and letter")
        page.locator('[data-channel="form"]').scroll_into_view_if_needed()
        screenshots.take(page, "email-step-contact-form", full_page=False)
    page.get_by_role("button", name="Send my emails").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you, Sokha")


def test_the_governor_by_contact_form_and_the_da_by_letter_on_a_phone(live_server, browser, kang_hen, screenshots):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    opened = []
    context.route(
        "https://www.gov.ca.gov/**",
        lambda route: (opened.append(route.request.url), route.fulfill(content_type="text/html", body=OFFICE_FORM)),
    )
    page = context.new_page()
    email_step_send(page, live_server.url, kang_hen, screenshots)
    assert "mailto:" not in page.content()
    assert_no_serious_violations(page, label="email sent, contact form")

    governor = page.locator('li[data-channel="form"]')
    governor.get_by_role("heading").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.querySelector('li[data-channel=form] h2').getBoundingClientRect().top)")
    screenshots.take(page, "email-sent-contact-form", full_page=False)
    message = governor.get_by_label("Your message, ready to copy")
    expect(message).to_have_value(re.compile(r"^Dear Governor Newsom,"))
    expect(governor.get_by_label("Subject")).not_to_have_value("")
    governor.get_by_role("button", name="Copy the message").click()
    expect(governor.get_by_role("status")).to_have_text("Message copied.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("Dear Governor Newsom,")
    expect(page.locator('li[data-channel="letter"]')).to_contain_text("Added to the printed letters")

    with context.expect_page() as new_tab:
        governor.get_by_role("link", name="Open Gavin Newsom's contact form").click()
    office = new_tab.value
    expect(office.get_by_role("heading", name="Contact the Governor")).to_be_visible()
    assert opened == ["https://www.gov.ca.gov/contact/"]
    office.close()

    governor.get_by_role("button", name="I sent it").click()
    expect(page.locator('li[data-channel="form"] .outcome')).to_have_text("Sent by you through the office's form")
    statuses = dict(OutboundMessage.objects.filter(kind="target").values_list("target__name", "status"))
    assert statuses == {"Gavin Newsom": "self_sent", "Jeff Rosen": "letter"}
    context.close()


def test_without_javascript_the_message_is_a_selectable_field(live_server, browser, kang_hen):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    email_step_send(page, live_server.url, kang_hen)
    governor = page.locator('li[data-channel="form"]')
    message = governor.get_by_label("Your message, ready to copy")
    expect(message).to_be_visible()
    expect(governor.get_by_role("button", name="Copy the message")).to_be_hidden()  # needs JavaScript
    message.select_text()  # readonly, not disabled: a person can select it and copy by hand
    selected = message.evaluate("el => el.value.substring(el.selectionStart, el.selectionEnd)")
    assert selected.startswith("Dear Governor Newsom,")
    governor.get_by_role("button", name="I couldn't").click()
    expect(page.locator('li[data-channel="form"] .outcome')).to_have_text("Not sent")
    context.close()

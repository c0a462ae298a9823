"""A supporter signs in real Chromium and sees the counter rise, with and without a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TargetFactory, campaign_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supporter_signs_and_sees_count_rise(live_server, browser, phone_page):
    campaign = campaign_page(targets=[TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")])
    url = live_server.url + campaign.url

    # A second supporter has the page open; their counter must rise without a reload.
    watcher_context = browser.new_context()
    watcher = watcher_context.new_page()
    watcher.goto(url)
    expect(watcher.locator("[data-counter-count]")).to_have_text("0")

    page = phone_page
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stop the Deportation")
    expect(page.locator("[data-counter-count]")).to_have_text("0")

    # A mistake first: the error shows by the field and the typed input stays.
    page.get_by_label("First name").fill("កាង")
    page.get_by_label("Last name").fill("Hen")
    page.get_by_role("textbox", name="Email", exact=True).fill("not-an-email")
    page.get_by_label("City").fill("San Jose")
    page.get_by_label("ZIP code").fill("95110")
    page.get_by_role("button", name="Sign now").click()
    expect(page.locator("#id_email_error")).to_contain_text("valid email")
    expect(page.get_by_label("First name")).to_have_value("កាង")
    expect(page.locator("#error-summary")).to_be_focused()

    page.get_by_role("textbox", name="Email", exact=True).fill("kang.supporter@example.org")
    page.get_by_role("button", name="Sign now").click()
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, កាង!")
    expect(page.locator("[data-counter-count]")).to_have_text("1")
    expect(page.get_by_text("Next: Email the decision makers")).to_be_visible()
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_accessible_name("Signatures towards the goal")

    expect(watcher.locator("[data-counter-count]")).to_have_text("1", timeout=15_000)
    watcher_context.close()


def test_page_works_without_javascript(live_server, browser):
    campaign = campaign_page()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + campaign.url)
    page.get_by_label("First name").fill("Ruth")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_role("textbox", name="Email", exact=True).fill("ruth@example.org")
    page.get_by_label("ZIP code").fill("94110")
    page.get_by_role("button", name="Sign now").click()
    expect(page.locator("[data-counter-count]")).to_have_text("1")
    context.close()

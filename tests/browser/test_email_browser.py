"""A supporter signs, then emails both targets in one click in real Chromium with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import OutboundMessage
from tests.factories import campaign_page, email_target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_then_email_both_targets_without_javascript(live_server, browser):
    campaign = campaign_page(
        targets=[
            email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen"),
            email_target(name="Gavin Newsom", title="Governor", salutation="Dear Governor Newsom"),
        ],
    )
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + campaign.url)
    page.get_by_label("First name").fill("Sok")
    page.get_by_label("Last name").fill("Chea")
    page.get_by_role("textbox", name="Email", exact=True).fill("sok.chea@example.org")
    page.get_by_label("City").fill("San Jose")
    page.get_by_label("ZIP code").fill("95110")
    page.get_by_role("button", name="Sign now").click()

    page.locator(".next-step").get_by_role("link", name="Email the decision makers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email the decision makers")
    expect(page.get_by_label("Message to Jeff Rosen")).to_have_value(
        re.compile(r"^Dear District Attorney Rosen,[\s\S]*Sok Chea")
    )
    expect(page.get_by_label("First name")).to_have_count(0)  # recognised: not asked again
    page.get_by_label("Message to Gavin Newsom").fill(
        "Dear Governor Newsom,\n\nPlease pardon Kang Hen. He has rebuilt his life here.\n\nSok"
    )
    page.get_by_role("button", name="Send my emails").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you, Sok")
    expect(page.get_by_role("heading", name="To Jeff Rosen, District Attorney")).to_be_visible()
    expect(page.get_by_role("heading", name="To Gavin Newsom, Governor")).to_be_visible()
    bodies = dict(OutboundMessage.objects.filter(kind="target").values_list("target__name", "body"))
    assert (
        bodies["Gavin Newsom"]
        == "Dear Governor Newsom,\n\nPlease pardon Kang Hen. He has rebuilt his life here.\n\nSok"
    )
    assert bodies["Jeff Rosen"].startswith("Dear District Attorney Rosen,")
    context.close()

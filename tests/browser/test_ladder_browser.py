"""On a phone: sign, log a call, share, without retyping anything; each counter rises."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action, Supporter
from actions.totals import totals_fold
from tests.factories import TargetFactory, campaign_page
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_call_share_on_a_phone(live_server, phone_page):
    target = TargetFactory(name="Jeff Rosen", phone="(408) 299-7400", office_hours="Mon-Sun 00:00-24:00")
    campaign = campaign_page(
        targets=[target],
        action_steps=[("sign", {}), ("call", {"heading": "Call their offices"}), ("share", {})],
        share_text="Help keep Kang Hen home",
    )
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + campaign.url)

    # Sign.
    page.get_by_label("First name").fill("Sok")
    page.get_by_label("Last name").fill("Chea")
    page.get_by_role("textbox", name="Email", exact=True).fill("sok.browser@example.org")
    page.get_by_label("City").fill("San Jose")
    page.get_by_label("ZIP code").fill("95110")
    page.get_by_role("button", name="Sign now").click()
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.locator("[data-counter-count]")).to_have_text("1")

    # Call: the script already knows who is calling; one tap logs the outcome.
    page.get_by_role("link", name="Call their offices").first.click()
    expect(page).to_have_url(re.compile(r"/call/$"))
    expect(page.locator(".call-script")).to_contain_text(
        "my name is Sok and I live in San Jose. I'm calling with a request for Jeff Rosen: Act now, Jeff Rosen"
    )
    expect(page.locator("[data-office-state]")).to_have_text("Open now until midnight PT")
    expect(page.get_by_role("link", name="Call (408) 299-7400")).to_have_attribute("href", "tel:+14082997400")
    page.get_by_role("button", name="Talked to staff").click()
    expect(page.locator(".call-logged")).to_have_text("✓ Logged: Talked to staff")
    totals_fold()  # what the worker does after the call commits (it may be debounced in a test)
    page.reload()
    expect(page.locator("[data-call-total]")).to_contain_text("1 call logged to this office")

    # Share: the link carries the supporter's referral code; copying it logs a share.
    page.get_by_role("link", name="Share with friends").first.click()
    expect(page).to_have_url(re.compile(r"/share/$"))
    code = Supporter.objects.get().referral_code
    expect(page.locator("[data-share-url]")).to_have_value(re.compile(rf"\?ref={code}$"))
    expect(page.locator("[data-share-count]")).to_have_text("0 shares so far.")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied.")
    assert wait_for(lambda: Action.objects.filter(kind="share", outcome="copy").exists())
    totals_fold()
    page.reload()
    expect(page.locator("[data-share-count]")).to_have_text("1 share so far.")
    expect(page.get_by_text("You have done everything this campaign asks.")).to_be_visible()
    assert sorted(Action.objects.values_list("kind", flat=True)) == ["call", "share", "sign"]

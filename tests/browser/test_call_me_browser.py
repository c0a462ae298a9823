"""On a laptop: "Call me" rings the supporter and the page follows the call live, as Twilio
(the stand-in, then its signed webhooks over real HTTP) walks the session through the offices."""

import re

import pytest
from playwright.sync_api import expect

from actions.calls.models import CallSession
from tests.browser.journeys import sign
from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import TwilioDriver, calls_switch, redirect_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALWAYS_OPEN = "Mon-Sun 00:00-24:00"


def test_call_me_on_a_desktop_shows_the_call_live(live_server, desktop_page, twilio_standin, screenshots):
    rosen = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours=ALWAYS_OPEN)
    newsom = TargetFactory(name="Gavin Newsom", phone="+19164452841", office_hours=ALWAYS_OPEN)
    campaign = campaign_page(targets=[rosen, newsom], action_steps=[("sign", {}), ("call", {})])
    calls_switch(campaign)
    page = desktop_page
    page.goto(live_server.url + campaign.url)
    sign(page, SupporterFactory.build(first_name="Sok", last_name="Chea", email="sok.call@example.org"))
    page.goto(live_server.url + campaign.url + "call/")

    # A wrong number is answered next to the field, with nothing rung.
    page.get_by_label("Your phone number").fill("12345")
    page.get_by_role("button", name="Call me").click()
    expect(page.locator("#call-me-phone_error")).to_contain_text("not a valid phone number")
    assert twilio_standin.calls == []

    page.get_by_label("Your phone number").fill("(650) 253-0000")
    screenshots.take(page, "call-me-form")
    page.get_by_role("button", name="Call me").click()
    expect(page).to_have_url(re.compile(r"/call/me/[0-9a-f-]+/$"))
    expect(page.get_by_role("status")).to_have_text("Ringing your phone…")
    expect(page.locator("[data-call-me-next]")).to_have_text("Next: Jeff Rosen")

    # Twilio's side, over real HTTP: the supporter answers and is connected to the first office.
    placed = twilio_standin.calls[0]
    assert placed["Url"].startswith(live_server.url)
    twilio = TwilioDriver()
    leg0 = twilio.twiml(redirect_of(twilio.twiml(placed["Url"])))
    twilio.twiml(redirect_of(leg0))  # the dial
    expect(page.get_by_role("status")).to_have_text("Connected to Jeff Rosen's office")
    expect(page.locator("[data-call-me-next]")).to_have_text("Next: Gavin Newsom")
    screenshots.take(page, "call-me-connected")

    session = CallSession.objects.get()
    twilio.post(placed["Url"].replace("/answer/", "/leg/0/done/"), DialCallStatus="completed", DialCallDuration=80)
    twilio.post(placed["Url"].replace("/answer/", "/leg/1/dial/"))
    twilio.post(placed["Url"].replace("/answer/", "/leg/1/done/"), DialCallStatus="no-answer", DialCallDuration=0)
    twilio.post(placed["Url"].replace("/answer/", "/leg/2/"))
    twilio.post(placed["StatusCallback"], CallStatus="completed", CallDuration=200)
    expect(page.get_by_role("status")).to_have_text("All done. Thank you for calling!")
    session.refresh_from_db()
    assert session.state == "completed"

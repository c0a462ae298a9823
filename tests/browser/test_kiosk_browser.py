"""Kiosk mode in real Chromium: a tablet at a stall where five people sign one after another."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from events.kiosk import kiosk_url
from events.models import Event
from tests.browser.axe import assert_no_serious_violations
from tests.browser.journeys import admin_login
from tests.factories import campaign_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [("Sophea", "Keo"), ("Maria", "Hernandez"), ("Dara", "Nguyen"), ("Grace", "Okafor"), ("Luis", "Sok")]


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def event(live_server, settings):
    settings.KIOSK_THANKS_SECONDS = 1
    settings.SIGN_MIN_SECONDS = 0
    now = timezone.now()
    return Event.objects.create(
        campaign=campaign_page(),
        name="Stall at the temple fair",
        place="Wat Khmer, San Jose",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
    )


def test_five_people_sign_on_one_tablet_and_none_is_recognised_by_the_next(live_server, tablet, event, screenshots):
    page = tablet.new_page()
    page.goto(live_server.url + kiosk_url(event))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stop the Deportation")
    screenshots.take(page, "kiosk-form")
    font_size = page.get_by_label("First name").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font_size >= 24, "large type, readable at arm's length"
    assert_no_serious_violations(page, label="kiosk form")
    for first, last in PEOPLE:
        for label in ("First name", "Last name", "City", "ZIP code"):
            expect(page.get_by_label(label)).to_have_value("")  # nothing of the previous person
        expect(page.get_by_role("textbox", name="Email", exact=True)).to_have_value("")
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill(last)
        page.get_by_role("textbox", name="Email", exact=True).fill(f"{first}.{last}@example.org".lower())
        page.get_by_label("City").fill("San Jose")
        page.get_by_label("ZIP code").fill("95112")
        page.get_by_role("button", name="Sign").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your signature is counted.")
        expect(page.locator("body")).not_to_contain_text(first)
        if first == PEOPLE[0][0]:
            screenshots.take(page, "kiosk-thanks")
        # The thank-you clears by itself and the empty form is back for the next person.
        expect(page.get_by_label("First name")).to_be_visible(timeout=5000)
    assert [c["name"] for c in tablet.cookies() if c["name"] == "supporter"] == []
    signed = Action.objects.filter(campaign_id=event.campaign_id, kind="sign", source=event.source, flagged=False)
    assert signed.count() == 5


def test_a_kiosk_link_after_the_event_shows_a_friendly_page(live_server, tablet, event):
    url = live_server.url + kiosk_url(event)
    Event.objects.filter(pk=event.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    page = tablet.new_page()
    response = page.goto(url)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This event is over")
    assert_no_serious_violations(page, label="kiosk ended")


def test_an_organiser_prints_the_events_sign_with_its_qr_code(live_server, browser, event, screenshots):
    User.objects.create_user(username="olivia", password="a-long-test-password", is_superuser=True)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    admin_login(page, live_server.url, username="olivia", password="a-long-test-password")
    page.goto(f"{live_server.url}/admin/snippets/events/event/")
    page.get_by_role("link", name="Print sign").click()
    expect(page.locator(".event-print-url")).to_have_text(re.compile(f"/e/{event.code}/$"))
    box = page.locator(".event-print-qr svg").bounding_box()
    assert box["width"] >= 300, "a QR code large enough to scan from a few steps away"
    screenshots.take(page, "event-sign")
    context.close()

""" "Call me when they open": offered when every office is closed, stored and cancellable, and
placed by the beat at the first opening (actions/calls/callbacks.py)."""

import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from actions.calls.callbacks import callbacks_fire
from actions.calls.models import CallbackRequest, CallbackStatus, CallSession
from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import calls_switch

pytestmark = pytest.mark.django_db

PHONE = "(650) 253-0000"


def closed_today_hours(zone="America/Los_Angeles") -> str:
    day = (timezone.now().astimezone(zoneinfo.ZoneInfo(zone)) + timedelta(days=2)).strftime("%a")
    return f"{day} 09:00-17:00"


@pytest.fixture
def closed_campaign():
    rosen = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours=closed_today_hours())
    newsom = TargetFactory(name="Gavin Newsom", phone="+19164452841", office_hours=closed_today_hours())
    return campaign_page(targets=[rosen, newsom], action_steps=[("sign", {}), ("call", {})])


@pytest.fixture
def recognised(client, recognise):
    return recognise(client, SupporterFactory(first_name="Sok"))


def test_every_office_closed_offers_a_callback_stored_until_it_is_due(
    recognised, closed_campaign, twilio_standin, settings
):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://act.example.org"
    calls_switch(closed_campaign)
    html = recognised.get(closed_campaign.url + "call/").content.decode()
    assert "Every office is closed right now" in html and "Call me when they open" in html
    response = recognised.post(closed_campaign.url + "call/me/", {"phone": PHONE, "later": "1"})
    assert response.status_code == 303 and twilio_standin.calls == []
    callback = CallbackRequest.objects.get()
    opens = closed_campaign.call_targets()[0][0].office_state().opens_at
    assert callback.status == CallbackStatus.WAITING and callback.due_at == opens
    assert (
        "We will call you when the first office opens" in recognised.get(closed_campaign.url + "call/").content.decode()
    )

    assert callbacks_fire() == 0  # not yet due
    # The first office opens: the beat places the call, once.
    assert callbacks_fire(now=opens + timedelta(minutes=1)) == 1
    assert callbacks_fire(now=opens + timedelta(minutes=2)) == 0
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.PLACED and callback.phone == "" and callback.session is not None
    placed = twilio_standin.calls[0]
    assert placed["To"] == "+16502530000"
    assert placed["Url"] == f"https://act.example.org/calls/twilio/{callback.session_id}/answer/"
    assert CallSession.objects.get().legs.count() == 2


def test_a_cancelled_callback_is_never_placed(recognised, recognise, closed_campaign, twilio_standin):
    calls_switch(closed_campaign)
    recognised.post(closed_campaign.url + "call/me/", {"phone": PHONE, "later": "1"})
    callback = CallbackRequest.objects.get()
    from django.test import Client

    # A stranger, and another supporter, cannot cancel it.
    assert Client().post(f"{closed_campaign.url}call/me/callback/{callback.pk}/cancel/").status_code == 404
    other = recognise(Client(), SupporterFactory())
    assert other.post(f"{closed_campaign.url}call/me/callback/{callback.pk}/cancel/").status_code == 303
    assert CallbackRequest.objects.get().status == CallbackStatus.WAITING
    response = recognised.post(f"{closed_campaign.url}call/me/callback/{callback.pk}/cancel/")
    assert response.status_code == 303
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.CANCELLED and callback.phone == ""
    assert callbacks_fire(now=callback.due_at + timedelta(hours=1)) == 0 and twilio_standin.calls == []


def test_a_callback_that_cannot_be_placed_fails_cleanly(recognised, closed_campaign, twilio_standin, settings):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://act.example.org"
    calls_switch(closed_campaign)
    recognised.post(closed_campaign.url + "call/me/", {"phone": PHONE, "later": "1"})
    twilio_standin.fail_with = 503
    callback = CallbackRequest.objects.get()
    assert callbacks_fire(now=callback.due_at) == 0
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.FAILED and callback.phone == ""
    assert not CallSession.objects.exists()


def test_no_callback_while_an_office_is_open(recognised, twilio_standin):
    open_target = TargetFactory(name="Open Office", office_hours="Mon-Sun 00:00-24:00")
    campaign = campaign_page(targets=[open_target], action_steps=[("sign", {}), ("call", {})])
    calls_switch(campaign)
    assert "Call me when they open" not in recognised.get(campaign.url + "call/").content.decode()
    response = recognised.post(campaign.url + "call/me/", {"phone": PHONE, "later": "1"})
    assert response.status_code == 400 and "we can call you straight away" in response.content.decode()

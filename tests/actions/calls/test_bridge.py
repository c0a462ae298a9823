"""A whole bridged call, driven the way Twilio drives it: the engine asks the stand-in to ring the
supporter, then Twilio's signed webhooks walk the session through both offices."""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from actions.calls.models import CallEvent, CallLeg, CallSession, CallState, LegStatus
from actions.models import Action
from actions.selectors import campaign_totals_by_target
from actions.totals import totals_fold
from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import CALLER_ID, calls_switch, redirect_of

pytestmark = pytest.mark.django_db

ALWAYS_OPEN = "Mon-Sun 00:00-24:00"
SUPPORTER_PHONE = "(650) 253-0000"


@pytest.fixture
def rosen():
    return TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours=ALWAYS_OPEN)


@pytest.fixture
def newsom():
    return TargetFactory(name="Gavin Newsom", phone="+19164452841", phone_extension="12", office_hours=ALWAYS_OPEN)


@pytest.fixture
def campaign(rosen, newsom):
    step = {"heading": "Call", "script": "Hi, I'm {first_name}. Please {ask}."}
    return campaign_page(targets=[rosen, newsom], action_steps=[("sign", {}), ("call", step)])


@pytest.fixture
def supporter():
    return SupporterFactory(first_name="Sok", last_name="Chea")


def closed_today_hours(zone="America/Los_Angeles") -> str:
    """Hours only on the day after tomorrow: closed now, whatever the time."""
    day = (timezone.now().astimezone(zoneinfo.ZoneInfo(zone)) + timedelta(days=2)).strftime("%a")
    return f"{day} 09:00-17:00"


def call_me(client, campaign, phone=SUPPORTER_PHONE):
    return client.post(campaign.url + "call/me/", {"phone": phone})


def start(client, campaign, standin):
    response = call_me(client, campaign)
    assert response.status_code == 303, response.content.decode()[:3000]
    session = CallSession.objects.get()
    assert response["Location"] == f"{campaign.url}call/me/{session.pk}/"
    return session, standin.calls[-1]


def test_two_offices_bridged_with_verified_outcomes_in_the_totals(
    client, campaign, supporter, recognise, twilio_standin, twilio, rosen, newsom
):
    calls_switch(campaign)
    session, placed = start(recognise(client, supporter), campaign, twilio_standin)
    assert placed["To"] == "+16502530000" and placed["From"] == CALLER_ID
    assert placed["Url"].endswith(f"/calls/twilio/{session.pk}/answer/")
    assert placed["StatusCallback"].endswith(f"/calls/twilio/{session.pk}/status/")
    assert set(placed["StatusCallbackEvent"]) == {"initiated", "ringing", "answered", "completed"}
    assert placed["auth"].startswith("Basic ")
    session.refresh_from_db()
    assert session.state == CallState.RINGING and session.call_sid.startswith("CA")

    twilio.post(placed["StatusCallback"], CallSid=session.call_sid, CallStatus="ringing")
    answer = twilio.twiml(placed["Url"], CallSid=session.call_sid, CallStatus="in-progress")
    assert "Thank you for calling" in answer.find("Say").text
    leg0 = twilio.twiml(redirect_of(answer))
    says = [say.text for say in leg0.iter("Say")]
    assert "Next: Jeff Rosen. Here is what to say." in says
    assert "Hi, I'm Sok. Please Act now, Jeff Rosen." in says
    # Press 1: the script again.
    repeat = twilio.twiml(leg0.find("Gather").get("action"), Digits="1")
    assert redirect_of(repeat) == redirect_of(answer)
    onward = twilio.twiml(leg0.find("Gather").get("action"), Digits="")
    dial0 = twilio.twiml(redirect_of(onward))
    dial = dial0.find("Dial")
    assert dial.get("callerId") == CALLER_ID and dial.get("hangupOnStar") == "true"
    assert dial.find("Number").text == "+14082997400"
    assert CallSession.objects.get().state == CallState.CONNECTED
    leg1 = twilio.twiml(redirect_of(twilio.twiml(dial.get("action"), DialCallStatus="completed", DialCallDuration=95)))
    dial1 = twilio.twiml(leg1.find("Redirect").text).find("Dial")
    number = dial1.find("Number")
    assert (number.text, number.get("sendDigits")) == ("+19164452841", "wwww12")
    end = twilio.twiml(redirect_of(twilio.twiml(dial1.get("action"), DialCallStatus="busy", DialCallDuration=0)))
    assert "Thank you for calling" in end.find("Say").text and end.find("Hangup") is not None
    twilio.post(placed["StatusCallback"], CallStatus="completed", CallDuration=240)

    session.refresh_from_db()
    assert session.state == CallState.COMPLETED and session.phone == "" and session.phone_hash
    legs = list(CallLeg.objects.values_list("status", "duration"))
    assert legs == [(LegStatus.COMPLETED, 95), (LegStatus.BUSY, 0)]
    outcomes = sorted(Action.objects.filter(kind="call").values_list("target__name", "outcome", "flagged"))
    assert outcomes == [("Gavin Newsom", "verified_busy", False), ("Jeff Rosen", "verified_connected", False)]
    totals_fold()
    totals = campaign_totals_by_target(campaign_id=campaign.pk, kind="call")
    assert totals == {(rosen.pk, "verified_connected"): 1, (newsom.pk, "verified_busy"): 1}
    states = list(CallEvent.objects.values_list("state", flat=True))
    assert states[:3] == ["requested", "ringing", "ringing"] and states[-1] == "completed"


def test_replayed_and_late_callbacks_are_stored_once_and_never_go_backwards(
    client, campaign, supporter, recognise, twilio_standin, twilio
):
    calls_switch(campaign)
    session, placed = start(recognise(client, supporter), campaign, twilio_standin)
    twilio.twiml(placed["Url"])
    done = placed["Url"].replace("/answer/", "/leg/0/done/")
    for _ in range(3):  # Twilio retries the Dial action
        twilio.twiml(done, DialCallStatus="completed", DialCallDuration=30)
    twilio.post(placed["StatusCallback"], CallStatus="completed", CallDuration=60)
    events = CallEvent.objects.count()
    for status in ("completed", "ringing", "in-progress", "completed"):  # late and repeated
        assert twilio.post(placed["StatusCallback"], CallStatus=status).status_code == 204
    session.refresh_from_db()
    assert session.state == CallState.COMPLETED
    assert Action.objects.filter(kind="call").count() == 1
    # Only "ringing" is new (stored, not applied); "in-progress" came with the answer, "completed" before.
    assert CallEvent.objects.count() == events + 1
    assert CallLeg.objects.get(position=1).status == LegStatus.NOT_REACHED


def test_supporter_who_does_not_answer(client, campaign, supporter, recognise, twilio_standin, twilio):
    calls_switch(campaign)
    session, placed = start(recognise(client, supporter), campaign, twilio_standin)
    twilio.post(placed["StatusCallback"], CallStatus="ringing")
    twilio.post(placed["StatusCallback"], CallStatus="no-answer")
    session.refresh_from_db()
    assert session.state == CallState.NO_ANSWER and session.phone == ""
    assert not Action.objects.exists()
    state = client.get(f"{campaign.url}call/me/{session.pk}/?format=json").json()
    assert state["over"] and "did not answer" in state["label"]


@pytest.mark.parametrize("signature", [None, "d3Jvbmc="])
def test_unsigned_or_wrongly_signed_webhooks_get_403_and_store_nothing(
    client, campaign, supporter, recognise, twilio_standin, twilio, signature
):
    calls_switch(campaign)
    session, placed = start(recognise(client, supporter), campaign, twilio_standin)
    events = CallEvent.objects.count()
    path = re.sub(r"^https?://[^/]+", "", placed["StatusCallback"])
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    for url in (path, path.replace("/status/", "/leg/0/done/"), path.replace("/status/", "/answer/")):
        response = twilio.client.post(url, {"CallStatus": "completed", "DialCallStatus": "completed"}, **headers)
        assert response.status_code == 403
    # Signed for other fields than those sent: refused too.
    signed = twilio.validator.compute_signature(placed["StatusCallback"], {"CallStatus": "ringing"})
    response = twilio.client.post(path, {"CallStatus": "completed"}, HTTP_X_TWILIO_SIGNATURE=signed)
    assert response.status_code == 403
    assert twilio.client.get(path).status_code == 405
    assert CallEvent.objects.count() == events and not Action.objects.exists()
    assert CallSession.objects.get().state == CallState.RINGING


def test_a_closed_office_is_skipped_and_star_moves_on(client, supporter, recognise, twilio_standin, twilio, rosen):
    closed = TargetFactory(name="Closed Office", phone="+19164452841", office_hours=closed_today_hours())
    campaign = campaign_page(targets=[closed, rosen], action_steps=[("sign", {}), ("call", {})])
    calls_switch(campaign)
    session, placed = start(recognise(client, supporter), campaign, twilio_standin)
    leg0 = twilio.twiml(redirect_of(twilio.twiml(placed["Url"])))
    assert "Closed Office's office is closed right now" in leg0.find("Say").text and leg0.find("Gather") is None
    assert CallLeg.objects.get(position=0).status == LegStatus.CLOSED
    leg1 = twilio.twiml(redirect_of(leg0))
    dial = twilio.twiml(redirect_of(leg1)).find("Dial")
    assert dial.find("Number").text == "+14082997400"
    # The supporter pressed star: Twilio ends the office's leg and reports it completed; on to the end.
    after = twilio.twiml(dial.get("action"), DialCallStatus="completed", DialCallDuration=4)
    assert redirect_of(after).endswith(f"/calls/twilio/{session.pk}/leg/2/")
    assert list(Action.objects.values_list("target__name", "outcome")) == [("Jeff Rosen", "verified_connected")]


def test_review_mode_dials_the_review_number(client, campaign, supporter, recognise, twilio_standin, twilio):
    calls_switch(campaign, mode="review", review_number="+14085550199", caller_id="+14085550111")
    session, placed = start(recognise(client, supporter), campaign, twilio_standin)
    assert placed["From"] == "+14085550111"
    answer = twilio.twiml(placed["Url"])
    assert any("test call" in say.text for say in answer.iter("Say"))
    dial = twilio.twiml(placed["Url"].replace("/answer/", "/leg/0/dial/")).find("Dial")
    assert dial.find("Number").text == "+14085550199" and dial.get("callerId") == "+14085550111"
    twilio.twiml(dial.get("action"), DialCallStatus="completed", DialCallDuration=30)
    # A test call reached the review number, not the office: stored, flagged, never counted.
    assert list(Action.objects.values_list("outcome", "flagged", "flag_reason")) == [
        ("verified_connected", True, "review-mode")
    ]

""" "Call me" on the call step (cms/steps/call_me.py): offered only when Twilio is configured and
the campaign's calls are on; every refusal answered next to the field, nothing half-created."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.calls.models import BlockedNumber, CallMode, CallSession, CallState
from actions.calls.services import sessions_close_stale
from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import calls_switch

pytestmark = pytest.mark.django_db

PHONE = "(650) 253-0000"


@pytest.fixture
def campaign():
    rosen = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours="Mon-Sun 00:00-24:00")
    return campaign_page(targets=[rosen], action_steps=[("sign", {}), ("call", {})])


@pytest.fixture
def supporter():
    return SupporterFactory(first_name="Sok")


@pytest.fixture
def recognised(client, supporter, recognise):
    return recognise(client, supporter)


def test_without_twilio_the_call_step_keeps_its_tel_links_and_no_call_me(recognised, campaign, settings):
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    calls_switch(campaign)
    html = recognised.get(campaign.url + "call/").content.decode()
    assert 'href="tel:+14082997400"' in html and "call-me-form" not in html
    assert recognised.post(campaign.url + "call/me/", {"phone": PHONE}).status_code == 404


def test_call_me_is_off_until_an_organiser_switches_it_on(recognised, campaign, twilio_standin):
    assert "call-me-form" not in recognised.get(campaign.url + "call/").content.decode()
    calls_switch(campaign, mode=CallMode.OFF)
    assert recognised.post(campaign.url + "call/me/", {"phone": PHONE}).status_code == 404
    assert twilio_standin.calls == []


def test_call_me_form_is_shown_to_a_recognised_supporter(client, recognised, campaign, twilio_standin):
    calls_switch(campaign)
    html = recognised.get(campaign.url + "call/").content.decode()
    assert 'class="call-me-form"' in html and f'action="{campaign.url}call/me/"' in html
    assert 'type="tel" name="phone"' in html
    assert 'name="first_name"' not in html  # recognised: no need to say who they are


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "Enter a phone number."),
        ("12345", "This is not a valid phone number"),
        ("+1 900 555 0100", "We cannot call this number"),
    ],
)
def test_a_bad_number_is_answered_next_to_the_field(recognised, campaign, twilio_standin, phone, message):
    calls_switch(campaign)
    response = recognised.post(campaign.url + "call/me/", {"phone": phone})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="call-me-phone_error"' in html and message in html
    assert not CallSession.objects.exists() and twilio_standin.calls == []


def test_a_blocked_number_is_never_rung(recognised, campaign, twilio_standin):
    calls_switch(campaign)
    BlockedNumber.objects.create(number="+16502530000", reason="asked not to be called")
    response = recognised.post(campaign.url + "call/me/", {"phone": PHONE})
    assert response.status_code == 400 and "We cannot call this number" in response.content.decode()
    assert twilio_standin.calls == []


def test_no_number_is_rung_more_than_n_times_a_day(client, recognise, campaign, twilio_standin, settings):
    settings.CALLS_PER_NUMBER_PER_DAY = 2
    calls_switch(campaign)
    # Different supporters, one victim's number: the limit is on the number.
    for _ in range(2):
        response = recognise(client, SupporterFactory()).post(campaign.url + "call/me/", {"phone": PHONE})
        assert response.status_code == 303
    response = recognise(client, SupporterFactory()).post(campaign.url + "call/me/", {"phone": "650 253 0000"})
    assert response.status_code == 400 and "called too often today" in response.content.decode()
    assert len(twilio_standin.calls) == 2


def test_twilio_unreachable_says_so_and_leaves_nothing_behind(recognised, campaign, twilio_standin, settings):
    calls_switch(campaign)
    twilio_standin.fail_with = 503
    response = recognised.post(campaign.url + "call/me/", {"phone": PHONE})
    assert response.status_code == 503
    assert "could not reach our phone service" in response.content.decode()
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    assert recognised.post(campaign.url + "call/me/", {"phone": PHONE}).status_code == 503
    assert not CallSession.objects.exists()


def test_the_session_state_is_shown_only_to_its_supporter(client, recognise, recognised, campaign, twilio_standin):
    calls_switch(campaign)
    location = recognised.post(campaign.url + "call/me/", {"phone": PHONE})["Location"]
    page = recognised.get(location).content.decode()
    assert "Ringing your phone…" in page and "Next: Jeff Rosen" in page and "js/call_me.js" in page
    assert recognised.get(location + "?format=json").json() == {
        "state": "ringing",
        "label": "Ringing your phone…",
        "next": "Next: Jeff Rosen",
        "over": False,
    }
    other = recognise(client.__class__(), SupporterFactory())
    assert other.get(location).status_code == 404
    assert client.__class__().get(location + "?format=json").status_code == 404


def test_sessions_that_never_report_back_are_closed(recognised, campaign, twilio_standin, settings):
    calls_switch(campaign)
    recognised.post(campaign.url + "call/me/", {"phone": PHONE})
    assert sessions_close_stale() == 0
    CallSession.objects.update(created_at=timezone.now() - timedelta(seconds=settings.CALL_SESSION_MAX_SECONDS + 1))
    assert sessions_close_stale() == 1
    session = CallSession.objects.get()
    assert session.state == CallState.FAILED and session.phone == ""
    assert sessions_close_stale() == 0


def test_organisers_switch_calls_and_block_numbers_in_the_admin(admin_client, campaign):
    from django.urls import reverse

    from actions.calls.models import CallSwitch

    add = reverse("wagtailsnippets_actions_callswitch:add")
    assert "Review</strong> connects every leg" in admin_client.get(add).content.decode()
    form = {"campaign": campaign.pk, "mode": "review", "caller_id": "408 555 0111", "review_number": "", "intro": ""}
    response = admin_client.post(add, form)
    assert response.status_code == 200 and "enter one" in response.content.decode()
    response = admin_client.post(add, {**form, "review_number": "+1 (408) 555-0199"})
    assert response.status_code == 302
    assert CallSwitch.objects.values_list("caller_id", "review_number").get() == ("+14085550111", "+14085550199")
    blocked = reverse("wagtailsnippets_actions_blockednumber:add")
    assert admin_client.post(blocked, {"number": "hello", "reason": ""}).status_code == 200
    assert admin_client.post(blocked, {"number": "650-253-0000", "reason": "harassment"}).status_code == 302
    assert BlockedNumber.objects.get().number == "+16502530000"


def test_anonymising_a_supporter_wipes_their_call_sessions(recognised, supporter, campaign, twilio_standin):
    from actions.calls.models import CallLeg
    from actions.privacy_services import client_addresses_purge, supporter_anonymise

    calls_switch(campaign)
    recognised.post(campaign.url + "call/me/", {"phone": PHONE})
    assert CallSession.objects.get().phone == "+16502530000"
    assert "Sok" in CallLeg.objects.get().script
    supporter_anonymise(supporter_id=supporter.pk)
    assert CallSession.objects.get().phone == "" and "Sok" not in CallLeg.objects.get().script
    CallSession.objects.update(created_at=timezone.now() - timedelta(days=400), ip_hash="x")
    client_addresses_purge(older_than_days=30)
    assert CallSession.objects.values_list("ip_hash", "phone_hash").get() == ("", "")

""" "Call me" for someone the site does not recognise: name, email and ZIP on the same form, as the
email step asks, each error by its field, nothing stored or rung until all of it is right."""

import pytest
from django.test import Client

from actions.calls.models import BlockedNumber, CallSession
from actions.models import Supporter
from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import calls_switch

pytestmark = pytest.mark.django_db

STRANGER = {
    "first_name": "Sok",
    "last_name": "Chea",
    "email": "sok.chea@example.org",
    "postal_code": "95110",
    "phone": "(650) 253-0000",
}


@pytest.fixture
def campaign(twilio_standin):
    rosen = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours="Mon-Sun 00:00-24:00")
    page = campaign_page(targets=[rosen], action_steps=[("sign", {}), ("call", {})])
    calls_switch(page)
    return page


def test_a_stranger_is_asked_who_they_are_on_the_call_me_form(client, campaign):
    html = client.get(campaign.url + "call/").content.decode()
    form = html[html.index('class="call-me-form"') :]
    for name in ("first_name", "last_name", "email", "postal_code", "phone"):
        assert f'name="{name}"' in form
    assert 'id="call-me-first_name"' in form and 'autocomplete="email"' in form


def test_each_error_is_shown_by_its_field_and_nothing_is_stored_or_rung(client, campaign, twilio_standin):
    response = client.post(
        campaign.url + "call/me/", {"first_name": "  ", "email": "not-an-email", "postal_code": "9511", "phone": "123"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("first_name", "last_name", "email", "postal_code", "phone"):
        assert f'id="call-me-{field}_error"' in html, field
    assert "Please enter a 5-digit ZIP code, like 95110." in html
    assert "This is not a valid phone number" in html
    assert 'value="not-an-email"' in html  # what they typed is kept
    assert not Supporter.objects.exists() and not CallSession.objects.exists()
    assert twilio_standin.calls == []


def test_a_good_number_with_bad_details_rings_no_one(client, campaign, twilio_standin):
    response = client.post(campaign.url + "call/me/", {**STRANGER, "postal_code": "Sunnyvale"})
    assert response.status_code == 400 and 'id="call-me-postal_code_error"' in response.content.decode()
    assert 'id="call-me-phone_error"' not in response.content.decode()
    assert twilio_standin.calls == [] and not Supporter.objects.exists()


def test_a_stranger_with_their_details_is_rung_and_then_recognised(client, campaign, twilio_standin):
    response = client.post(campaign.url + "call/me/", STRANGER)
    assert response.status_code == 303
    supporter = Supporter.objects.get()
    assert (supporter.first_name, supporter.last_name, supporter.postal_code) == ("Sok", "Chea", "95110")
    session = CallSession.objects.get()
    assert session.supporter == supporter and response["Location"].endswith(f"call/me/{session.pk}/")
    assert [call["To"] for call in twilio_standin.calls] == ["+16502530000"]
    # The browser is now recognised: the session's state is theirs to see, the form asks only the number.
    assert client.get(response["Location"]).status_code == 200
    html = client.get(campaign.url + "call/").content.decode()
    assert 'name="phone"' in html and 'name="first_name"' not in html


def test_a_known_email_is_not_renamed_by_a_stranger(client, campaign, twilio_standin):
    known = SupporterFactory(first_name="Dara", last_name="Keo", email="sok.chea@example.org")
    assert client.post(campaign.url + "call/me/", STRANGER).status_code == 303
    known.refresh_from_db()
    assert (known.first_name, known.last_name) == ("Dara", "Keo")
    assert CallSession.objects.get().supporter == known


def test_a_refused_number_keeps_the_strangers_details_on_the_form(client, campaign, twilio_standin):
    BlockedNumber.objects.create(number="+16502530000", reason="asked not to be called")
    response = client.post(campaign.url + "call/me/", STRANGER)
    assert response.status_code == 400
    html = response.content.decode()
    assert "We cannot call this number" in html and 'id="call-me-phone_error"' in html
    assert 'value="Sok"' in html and 'value="sok.chea@example.org"' in html
    assert twilio_standin.calls == [] and not CallSession.objects.exists()
    assert not Supporter.objects.exists()  # refused before anything about them was stored
    # Not remembered: the next visit still asks who they are.
    assert 'name="first_name"' in client.get(campaign.url + "call/").content.decode()


def test_a_stranger_may_ask_to_be_called_when_the_offices_open(client, twilio_standin):
    from actions.calls.models import CallbackRequest, CallbackStatus
    from tests.actions.calls.test_callbacks import closed_today_hours

    rosen = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours=closed_today_hours())
    closed = campaign_page(targets=[rosen], action_steps=[("sign", {}), ("call", {})])
    calls_switch(closed)
    html = client.get(closed.url + "call/").content.decode()
    assert "Call me when they open" in html and 'name="first_name"' in html
    response = client.post(closed.url + "call/me/", {**STRANGER, "later": "1"})
    assert response.status_code == 303 and twilio_standin.calls == []
    callback = CallbackRequest.objects.get()
    assert (
        callback.status == CallbackStatus.WAITING
        and callback.supporter == Supporter.objects.by_email(STRANGER["email"]).get()
    )
    assert "We will call you when the first office opens" in client.get(closed.url + "call/").content.decode()


def test_a_stranger_over_the_rate_limit_is_refused_and_not_stored(client, campaign, twilio_standin, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "call_me_address": (1, 60, 100, 3600)}
    first = client.post(campaign.url + "call/me/", STRANGER)
    assert first.status_code == 303
    other = {**STRANGER, "email": "someone.else@example.org", "phone": "(650) 253-0001"}
    second = Client().post(campaign.url + "call/me/", other)
    assert second.status_code == 400
    assert "called too often today" in second.content.decode()
    assert list(Supporter.objects.values_list("first_name", flat=True)) == ["Sok"]
    assert not Supporter.objects.by_email("someone.else@example.org").exists()
    assert len(twilio_standin.calls) == 1


def test_a_stranger_asking_for_a_later_call_while_an_office_is_open_is_not_stored(client, campaign, twilio_standin):
    response = client.post(campaign.url + "call/me/", {**STRANGER, "later": "1"})
    assert response.status_code == 400
    assert "An office is open now" in response.content.decode()
    assert not Supporter.objects.exists() and twilio_standin.calls == []

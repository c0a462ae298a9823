"""Kiosk mode: one device, one person after another, nobody recognised or remembered."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from actions.models import Action, Supporter
from actions.pii import email_index
from actions.recognition import remember_supporter
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from events.kiosk import kiosk_url
from events.models import Event

pytestmark = pytest.mark.django_db

PEOPLE = [("Sophea", "Keo"), ("Maria", "Hernandez"), ("Dara", "Nguyen"), ("Grace", "Okafor"), ("Luis", "Sok")]


def person(first, last):
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{first}.{last}@example.org".lower(),
        "city": "San Jose",
        "postal_code": "95112",
        "country": "US",
        "started": signing.dumps(int(time.time()) - 40, salt="actions.forms.started"),
    }


def test_five_people_on_one_device_each_count_and_none_is_recognised(settings, event, campaign):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (2, 60, 200, 3600)}
    device = Client(REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT="Mozilla/5.0 (iPad) HeadlessChrome/131.0")
    url = kiosk_url(event)
    for first, last in PEOPLE:
        form = device.get(url)
        html = form.content.decode()
        assert form.status_code == 200 and form["Cache-Control"] == "no-store"
        assert 'autocomplete="off"' in html and "@example.org" not in html and "Keo" not in html
        signed = device.post(url, person(first, last))
        assert signed.status_code == 302 and signed["Cache-Control"] == "no-store"
        assert settings.SUPPORTER_COOKIE_NAME not in signed.cookies
        thanks = device.get(signed["Location"])
        assert thanks.status_code == 200 and first not in thanks.content.decode()
        assert f'content="{settings.KIOSK_THANKS_SECONDS};url={url}"' in thanks.content.decode()
    assert settings.SUPPORTER_COOKIE_NAME not in device.cookies
    totals_fold()
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 5
    assert set(Action.objects.values_list("source", "flagged")) == {(event.source, False)}


def test_a_supporter_cookie_left_on_the_device_is_ignored_and_deleted(event, rf, settings):
    supporter = Supporter.objects.create(
        email="sophea@example.org", email_index=email_index("sophea@example.org"), first_name="Sophea"
    )
    left_behind = HttpResponse()
    remember_supporter(rf.get("/"), left_behind, supporter)
    device = Client()
    device.cookies[settings.SUPPORTER_COOKIE_NAME] = left_behind.cookies[settings.SUPPORTER_COOKIE_NAME].value
    page = device.get(kiosk_url(event))
    assert page.status_code == 200 and "Sophea" not in page.content.decode()
    assert page.cookies[settings.SUPPORTER_COOKIE_NAME].value == ""  # deleted


def test_a_kiosk_link_after_its_event_is_refused_with_a_friendly_page(event):
    url = kiosk_url(event)
    Event.objects.filter(pk=event.pk).update(ends_at=timezone.now() - timedelta(minutes=5))
    response = Client().get(url)
    assert response.status_code == 410
    assert "This event is over" in response.content.decode()
    assert Client().post(url, person("Late", "Comer")).status_code == 410
    assert not Action.objects.exists()


@pytest.mark.parametrize("broken", ["forged", "other-event", "too-old"])
def test_a_forged_or_old_kiosk_link_is_refused(event, campaign, settings, broken):
    url = kiosk_url(event)
    if broken == "forged":
        url = url.replace("/kiosk/", "/kiosk/x")
    elif broken == "other-event":
        other = Event.objects.create(
            campaign=campaign, name="Other", place="Here", starts_at=event.starts_at, ends_at=event.ends_at
        )
        url = url.replace(f"/e/{event.code}/", f"/e/{other.code}/")
    else:
        settings.KIOSK_LINK_MAX_AGE = -1
    response = Client().get(url)
    assert response.status_code == 404
    assert "This kiosk link does not work" in response.content.decode()

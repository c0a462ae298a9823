"""Event links: a short link and QR code per event; signatures through it count per event and,
during the event, are not held to the per-address limit."""

import time
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from actions.models import Action
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from events.models import Event
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db
ONE_ADDRESS = "198.51.100.20"


def signature(n, source):
    return {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": f"person{n}@example.org",
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "source": source,
        "started": signing.dumps(int(time.time()) - 30, salt="actions.forms.started"),
    }


@pytest.fixture
def tight_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (10, 60, 200, 3600)}


def test_the_short_link_opens_the_campaign_carrying_the_event(client, event, campaign):
    response = client.get(f"/e/{event.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"{campaign.url}?source=event-{event.code}"
    page = client.get(response["Location"])
    assert f'value="event-{event.code}"' in page.content.decode()


def test_an_unknown_link_gets_a_friendly_page(client, event):
    response = client.get("/e/nosuchone/")
    assert response.status_code == 404
    assert "This event link is not known" in response.content.decode()


def test_thirty_through_the_link_during_the_event_from_one_address_all_count(client, tight_limit, event, campaign):
    for n in range(30):
        assert Client(REMOTE_ADDR=ONE_ADDRESS).post(campaign.url, signature(n, event.source)).status_code == 302
    totals_fold()
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 30
    assert set(Action.objects.values_list("source", "flagged")) == {(event.source, False)}


def test_the_per_address_limit_is_back_once_the_event_is_over(tight_limit, event, campaign):
    Event.objects.filter(pk=event.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    for n in range(12):
        Client(REMOTE_ADDR=ONE_ADDRESS).post(campaign.url, signature(n, event.source))
    assert Action.objects.filter(flagged=True).count() == 2


def test_another_campaigns_event_gives_no_exemption(tight_limit, event):
    other = campaign_page()
    for n in range(12):
        Client(REMOTE_ADDR=ONE_ADDRESS).post(other.url, signature(n, event.source))
    assert Action.objects.filter(flagged=True).count() == 2


def test_the_overview_shows_counts_per_event(organiser_client, event, campaign):
    for n in range(3):
        Client(REMOTE_ADDR=ONE_ADDRESS).post(campaign.url, signature(n, event.source))
    Client(REMOTE_ADDR=ONE_ADDRESS).post(campaign.url, signature(9, "newsletter"))
    totals_fold()
    html = organiser_client.get(f"/admin/organiser-reports/overview/{campaign.pk}/").content.decode()
    row = html[html.index("Rally at the DA") :].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[2:6]] == ["3", "0", "0", "0"]


def test_the_organiser_gets_a_qr_code_and_a_printable_sign(organiser_client, event):
    svg = organiser_client.get(f"/admin/events/{event.pk}/qr.svg?download=1")
    assert svg["Content-Type"] == "image/svg+xml"
    assert "attachment" in svg["Content-Disposition"]
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}title").text.endswith(
        f"/e/{event.code}/"
    )
    png = organiser_client.get(f"/admin/events/{event.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    sign = organiser_client.get(f"/admin/events/{event.pk}/print/").content.decode()
    assert "<svg" in sign and f"/e/{event.code}/" in sign and event.place in sign
    listing = organiser_client.get("/admin/snippets/events/event/").content.decode()
    assert f"/admin/events/{event.pk}/print/" in listing


def test_the_qr_code_is_for_organisers_only(client, event):
    assert client.get(f"/admin/events/{event.pk}/qr.svg").status_code in (302, 403)


def test_an_organiser_creates_an_event_in_the_admin(organiser_client, campaign):
    form = {"campaign": campaign.pk, "name": "Stall at the temple fair", "place": "Wat Khmer, San Jose"}
    refused = organiser_client.post(
        "/admin/snippets/events/event/add/", {**form, "starts_at": "2026-12-05 10:00", "ends_at": "2026-12-05 09:00"}
    )
    assert refused.status_code == 200 and "The event must end after it starts." in refused.content.decode()
    response = organiser_client.post(
        "/admin/snippets/events/event/add/", {**form, "starts_at": "2026-12-05 10:00", "ends_at": "2026-12-05 16:00"}
    )
    assert response.status_code == 302
    event = Event.objects.get(name="Stall at the temple fair")
    assert event.campaign_id == campaign.pk and len(event.code) == 8

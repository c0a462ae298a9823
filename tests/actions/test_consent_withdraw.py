"""A supporter who wants no more updates says so on their data page, and it sticks."""

import pytest

from actions.models import Action, OutboundMessage, Supporter
from actions.privacy import supporter_data_path
from actions.privacy_services import supporter_consent_withdraw
from tests.factories import campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db


def sign(client, campaign, *, consent: bool):
    data = {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": "sok@example.org",
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "website": "",
    }
    if consent:
        data["consent"] = "on"
    return client.post(campaign.url, data)


def test_stop_updates_from_the_data_page(client):
    campaign = campaign_page()
    assert sign(client, campaign, consent=True).status_code == 302
    supporter = Supporter.objects.get()
    assert Action.objects.get().consent
    path = supporter_data_path(supporter)
    page = client.get(path).content.decode()
    assert "Stop sending me updates" in page
    response = client.post(path, {"do": "stop-updates"})
    assert response.status_code == 200
    assert "You asked for no more updates" in response.content.decode()
    action = Action.objects.get()
    # No longer consent; what they once agreed to stays on record.
    assert not action.consent and action.consent_text and action.consent_at is not None
    supporter.refresh_from_db()
    assert supporter.consent_withdrawn_at is not None
    assert client.get(path + "download.json").json()["supporter"]["updates_stopped_at"]
    # Still counted as a signature, and the page no longer offers the button.
    assert "Stop sending me updates" not in client.get(path).content.decode()


def test_withdrawing_is_idempotent_and_a_new_consent_counts_again(client):
    campaign, other = campaign_page(), campaign_page()
    sign(client, campaign, consent=True)
    supporter = Supporter.objects.get()
    assert supporter_consent_withdraw(supporter_id=supporter.pk) is True
    assert supporter_consent_withdraw(supporter_id=supporter.pk) is False
    sign(client, other, consent=True)
    supporter.refresh_from_db()
    assert supporter.consent_withdrawn_at is None
    assert list(Action.objects.order_by("id").values_list("consent", flat=True)) == [False, True]


def test_thank_you_email_says_how_to_stop_updates():
    page = campaign_page(targets=[email_target(name="Jeff Rosen")])
    email_action(page)
    thank_you = OutboundMessage.objects.get(kind=OutboundMessage.Kind.THANK_YOU)
    assert "To stop updates" in thank_you.body and "/your-data/" in thank_you.body

"""A supporter's own data page and download list the partners they opted in to, and say truly
what stopping updates and deleting do to those opt-ins."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from actions import privacy_services
from actions.privacy import supporter_data_path, supporter_data_section_register
from actions.selectors import supporter_data_export
from partners.models import PartnerConsent
from partners.selectors import partner_supporters
from partners.services import partner_consent_record
from tests.factories import ActionFactory, SupporterFactory, campaign_page

from .conftest import partner_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def supporter(campaign):
    supporter = SupporterFactory(email="mai.private@example.org")
    ActionFactory(supporter=supporter, campaign=campaign)
    return supporter


def test_the_page_and_the_download_list_every_partner_opt_in(client, campaign, partner, supporter):
    other_campaign = campaign_page(title="Bring Tuan home")
    other = partner_for(other_campaign, name="Southeast Asia Resource Action Center", code="searac")
    other.opt_in_text = "Share my details with {partner}"
    other.save()
    partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    partner_consent_record(partner=other, supporter=supporter, campaign_id=other_campaign.pk)
    path = supporter_data_path(supporter)
    html = client.get(path).content.decode()
    assert "Partners you agreed to share your details with" in html
    assert "Asian Law Caucus" in html and campaign.title in html
    assert "Share my details with Southeast Asia Resource Action Center" in html and "Bring Tuan home" in html
    assert "You agreed on" in html and "You took this back" not in html
    rows = client.get(path + "download.json").json()["partner_consents"]
    assert [(row["partner"], row["campaign"], row["text"]) for row in rows] == [
        ("Asian Law Caucus", campaign.title, "Keep me updated by Asian Law Caucus"),
        ("Southeast Asia Resource Action Center", "Bring Tuan home", other.opt_in_label),
    ]
    given = PartnerConsent.objects.get(partner=partner).given_at
    assert rows[0]["given_at"] == given.isoformat() and rows[0]["withdrawn_at"] is None
    assert f"You agreed on {date_format(timezone.localtime(given), 'DATE_FORMAT')}." in html


def test_without_partner_opt_ins_the_page_has_no_partner_section(client, partner, supporter):
    path = supporter_data_path(supporter)
    assert "Partners you agreed" not in client.get(path).content.decode()
    assert client.get(path + "download.json").json()["partner_consents"] == []


def test_stop_updates_on_the_page_withdraws_them_and_the_page_says_so(client, campaign, partner, supporter):
    partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    path = supporter_data_path(supporter)
    assert "takes you off every partner" in client.get(path).content.decode()
    html = client.post(path, {"do": "stop-updates"}).content.decode()
    assert "You asked for no more updates" in html and "You took this back on" in html
    assert "Stop sending me updates" not in html
    assert not partner_supporters(partner=partner).exists()
    row = client.get(path + "download.json").json()["partner_consents"][0]
    assert row["withdrawn_at"] and row["text"] == partner.opt_in_label  # the record stays


def test_a_partner_opt_in_after_stopping_updates_can_be_stopped_too(client, campaign, partner, supporter):
    partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    privacy_services.supporter_consent_withdraw(supporter_id=supporter.pk)
    first = PartnerConsent.objects.get()
    # Later they tick the partner's box again (and not the campaign's own).
    again = partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    assert again.pk == first.pk and again.withdrawn_at is None and again.given_at > first.given_at
    path = supporter_data_path(supporter)
    html = client.get(path).content.decode()
    assert "You asked for no more updates" in html and "Since then you agreed to hear from a partner" in html
    assert "Stop sending me updates" in html
    client.post(path, {"do": "stop-updates"})
    assert PartnerConsent.objects.get().withdrawn_at is not None
    assert "Stop sending me updates" not in client.get(path).content.decode()


def test_deleting_keeps_the_partner_record_on_the_anonymised_supporter_only(client, campaign, partner, supporter):
    partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    path = supporter_data_path(supporter)
    assert client.post(path, {"confirm": "yes"}).status_code == 200
    consent = PartnerConsent.objects.select_related("supporter").get()
    # Like an action: the row stays (what was agreed, when, and that it was taken back), on a
    # supporter row that no longer names anyone; the partner's list no longer shows it.
    assert consent.withdrawn_at is not None and consent.text == partner.opt_in_label
    gone = consent.supporter
    assert gone.anonymised_at is not None and "mai.private" not in gone.email
    assert (gone.last_name, gone.city, gone.postal_code) == ("", "", "")
    assert not partner_supporters(partner=partner).exists()
    held = json.dumps(supporter_data_export(supporter=gone))
    assert "mai.private" not in held and "Asian Law Caucus" in held
    assert client.get(path).status_code == 404  # the link dies with the data


def test_the_organisers_export_command_includes_partner_opt_ins(campaign, partner, supporter):
    partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    out = StringIO()
    call_command("supporter_export", "mai.private@example.org", stdout=out)
    rows = json.loads(out.getvalue())["partner_consents"]
    assert [row["partner"] for row in rows] == ["Asian Law Caucus"]


def test_an_app_cannot_register_over_the_supporters_own_data(db):
    with pytest.raises(ValueError):
        supporter_data_section_register("actions", lambda supporter: [])

"""Privacy: consent kept word for word, minimal public lists, hashes purged, data on request."""

import json
import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import privacy_services
from actions.models import Action, DailyTotal, Supporter
from actions.privacy import supporter_data_path
from actions.tasks import client_addresses_purge
from actions.totals import totals_fold
from cms.tasks import expired_campaign_ids, personal_data_retention
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": "sok.private@example.org",
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "started": signing.dumps(int(time.time()) - 60, salt="actions.forms.started"),
    }
    data.update(overrides)
    return data


def test_consent_wording_and_time_are_stored(client):
    campaign = campaign_page(consent_text="Yes, email me about Kang (v2 wording).")
    before = timezone.now()
    client.post(campaign.url, form_data(consent="on"))
    client.post(campaign.url, form_data(email="other@example.org"))
    consented, declined = Action.objects.get(consent=True), Action.objects.get(consent=False)
    assert consented.consent_text == "Yes, email me about Kang (v2 wording)."
    assert before <= consented.consent_at <= timezone.now()
    assert (declined.consent_text, declined.consent_at) == ("", None)


def test_public_signer_list_shows_first_name_last_initial_and_city_only(client):
    campaign = campaign_page(show_signer_list=True)
    client.post(campaign.url, form_data(comment="My private note"))
    Client().post(campaign.url, form_data(first_name="Bot", email="bot@example.org", website="spam"))
    html = client.get(campaign.url).content.decode()
    section = html[html.index('id="signers-heading"') :]
    assert "Sok C., San Jose" in section
    assert "Chea" not in section and "sok.private" not in html and "95110" not in section
    assert "My private note" not in html
    assert "Bot" not in section  # flagged signatures are never listed


def test_signer_list_is_off_by_default(client):
    campaign = campaign_page()
    client.post(campaign.url, form_data())
    assert 'id="signers-heading"' not in client.get(campaign.url).content.decode()


def test_client_address_is_stored_only_as_a_keyed_hash_and_purged(client, settings):
    campaign = campaign_page()
    client.post(campaign.url, form_data(), REMOTE_ADDR="203.0.113.77")
    action = Action.objects.get()
    assert action.ip_hash and "203.0.113.77" not in action.ip_hash and len(action.ip_hash) == 64
    settings.CLIENT_ADDRESS_RETENTION_DAYS = 30
    recent = ActionFactory(campaign=campaign, ip_hash="b" * 64)
    Action.objects.filter(pk=action.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert client_addresses_purge() == 1
    assert Action.objects.get(pk=action.pk).ip_hash == ""
    assert Action.objects.get(pk=recent.pk).ip_hash == "b" * 64
    assert client_addresses_purge() == 0


@pytest.fixture
def signed_up():
    campaign = campaign_page()
    Client().post(campaign.url, form_data(comment="Free him"))
    totals_fold()
    return campaign, Supporter.objects.get()


def _totals(campaign):
    return list(DailyTotal.objects.filter(campaign_id=campaign.pk).values_list("kind", "count"))


def test_data_page_link_is_signed_downloads_json_and_deletes(client, signed_up):
    campaign, supporter = signed_up
    path = supporter_data_path(supporter)
    assert "sok" not in path.lower() and "example" not in path
    page = client.get(path)
    assert page.status_code == 200 and "Download my data" in page.content.decode()
    download = client.get(path + "download.json")
    data = json.loads(download.content)
    assert data["supporter"]["email"] == "sok.private@example.org"
    assert data["actions"][0]["comment"] == "Free him"
    assert "attachment" in download["Content-Disposition"]
    assert client.post(path, {}).status_code == 400  # no confirmation: nothing deleted
    assert Supporter.objects.get().anonymised_at is None
    totals_before = _totals(campaign)
    deleted = client.post(path, {"confirm": "yes"})
    assert deleted.status_code == 200 and "deleted" in deleted.content.decode()
    supporter.refresh_from_db()
    assert (
        supporter.anonymised_at and "sok" not in (supporter.email + supporter.first_name + supporter.last_name).lower()
    )
    assert (supporter.city, supporter.postal_code) == ("", "")
    action = Action.objects.get()
    assert (action.comment, action.ip_hash) == ("", "")
    from actions.totals import totals_reconcile

    assert totals_reconcile(campaign_id=campaign.pk) == []
    assert _totals(campaign) == totals_before == [("sign", 1)]
    assert client.get(path).status_code == 404  # the link dies with the data
    # The same person may sign again later, as someone new.
    assert Client().post(campaign.url, form_data()).status_code == 302
    assert Supporter.objects.count() == 2


def test_tampered_expired_or_cookie_tokens_are_refused(client, signed_up, settings):
    _, supporter = signed_up
    path = supporter_data_path(supporter)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert client.get(path.replace(token, token[:-2] + "xx")).status_code == 404
    cookie_value = Client().post(signed_up[0].url, form_data()).cookies["supporter"].value
    assert client.get(reverse("supporter_data", args=[cookie_value])).status_code == 404
    settings.SUPPORTER_DATA_LINK_MAX_AGE = -1
    assert client.get(path).status_code == 404
    assert client.get(path + "download.json").status_code == 404


def test_management_commands_export_and_anonymise(signed_up):
    campaign, supporter = signed_up
    out = StringIO()
    call_command("supporter_export", "SOK.PRIVATE@example.org", stdout=out)
    assert json.loads(out.getvalue())["supporter"]["first_name"] == "Sok"
    call_command("supporter_anonymise", "sok.private@example.org", "--yes", stdout=StringIO())
    supporter.refresh_from_db()
    assert supporter.anonymised_at is not None and Action.objects.count() == 1


def test_admin_can_download_and_anonymise_for_a_supporter(admin_client, signed_up):
    _, supporter = signed_up
    url = reverse("actions_supporter_data")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"email": "sok.private@example.org", "do": "download"})
    assert json.loads(response.content)["supporter"]["last_name"] == "Chea"
    admin_client.post(url, {"email": "sok.private@example.org", "do": "anonymise"})
    supporter.refresh_from_db()
    assert supporter.anonymised_at is not None
    missing = admin_client.post(url, {"email": "nobody@example.org", "do": "download"})
    assert missing.status_code == 200 and "No supporter" in missing.content.decode()


def test_retention_anonymises_after_campaign_closes_and_totals_remain(settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 6
    old = campaign_page(closes_at=timezone.now() - timedelta(days=200))
    recent = campaign_page(closes_at=timezone.now() - timedelta(days=20))
    live = campaign_page()
    only_old = SupporterFactory(first_name="Gone")
    both = SupporterFactory(first_name="Stays")
    ActionFactory(campaign=old, supporter=only_old, comment="old comment", ip_hash="a" * 64)
    ActionFactory(campaign=old, supporter=both, comment="old too")
    ActionFactory(campaign=live, supporter=both)
    kept = ActionFactory(campaign=recent, comment="recent comment")
    totals_fold()
    before = _totals(old)
    assert expired_campaign_ids() == [old.pk]
    assert personal_data_retention() == 1
    only_old.refresh_from_db()
    both.refresh_from_db()
    assert only_old.anonymised_at and only_old.first_name == "Anonymised"
    assert both.anonymised_at is None and both.first_name == "Stays"
    assert set(Action.objects.filter(campaign_id=old.pk).values_list("comment", "ip_hash")) == {("", "")}
    assert Action.objects.get(pk=kept.pk).comment == "recent comment"
    assert _totals(old) == before == [("sign", 2)]
    assert personal_data_retention() == 0  # idempotent


def test_supporter_anonymise_is_idempotent(signed_up):
    _, supporter = signed_up
    assert privacy_services.supporter_anonymise(supporter_id=supporter.pk) is True
    assert privacy_services.supporter_anonymise(supporter_id=supporter.pk) is False


URL_ATTRIBUTE = re.compile(r'(?:src|href|action|srcset|poster|data)\s*=\s*["\']([^"\']*)["\']', re.I)


def test_public_pages_reference_only_same_origin_urls(client, signed_up):
    campaign, supporter = signed_up
    pages = [campaign.url, campaign.url + "thanks/", "/", supporter_data_path(supporter)]
    for path in pages:
        response = client.get(path)
        html = response.content.decode()
        urls = URL_ATTRIBUTE.findall(html) + re.findall(r"url\(([^)]*)\)", html)
        assert urls, path
        for url in urls:
            assert url.startswith(("/", "#", "?")) and not url.startswith("//"), (path, url)
        assert "googleapis" not in html and "gstatic" not in html and "cdn" not in html.lower()
    css = client.get("/static/css/site.css")
    css_text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert "@import" not in css_text and "http" not in css_text

import time

import pytest
from django.core import signing
from django.test import Client, RequestFactory

from actions.forms import started_token
from actions.models import Action, Supporter
from actions.recognition import supporter_from_request
from actions.totals import totals_fold
from tests.factories import TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return campaign_page(targets=[TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")])


def form_data(**overrides):
    data = {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": "sok@example.org",
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "comment": "",
        "website": "",
        "started": started_token(),
    }
    data.update(overrides)
    return data


def test_page_renders_story_counter_and_form(client, campaign):
    response = client.get(campaign.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The story of a father facing deportation." in html
    assert "have signed. Let’s get to <span data-counter-goal>2,500</span>!" in html
    assert 'name="first_name"' in html and 'name="website"' in html
    assert "Jeff Rosen" in html and "Gavin Newsom" in html
    assert 'role="progressbar"' in html or "<progress" in html


def test_signing_redirects_to_thanks_and_counts(client, campaign):
    response = client.post(campaign.url, form_data())
    assert response.status_code == 302
    assert response["Location"].endswith(campaign.url + "thanks/")
    totals_fold()  # what the worker does after the signature commits
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert "Thank you, Sok!" in html
    assert "<strong data-counter-count>1</strong> have signed" in html
    assert "Next: Email the decision makers" in html


def test_thanks_page_without_cookie_is_generic(client, campaign):
    html = Client().get(campaign.url + "thanks/").content.decode()
    assert "Thank you!" in html


def test_recognition_cookie_is_opaque_signed_httponly(client, campaign):
    response = client.post(campaign.url, form_data(email="private@example.org"))
    cookie = response.cookies["supporter"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "private" not in cookie.value and "Sok" not in cookie.value
    request = RequestFactory().get("/")
    request.COOKIES["supporter"] = cookie.value
    assert supporter_from_request(request) == Supporter.objects.get()
    request.COOKIES["supporter"] = cookie.value.replace(cookie.value[-3:], "abc")
    assert supporter_from_request(request) is None


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"first_name": "\u200b\u202e"}, "first_name", "Please enter your name."),
        ({"last_name": "1234"}, "last_name", "at least one letter"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"postal_code": ""}, "postal_code", "Please enter your ZIP code."),
        ({"postal_code": "9511"}, "postal_code", "5-digit ZIP code"),
        ({"postal_code": "ABCDE"}, "postal_code", "5-digit ZIP code"),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"comment": "x" * 501}, "comment", "at most 500 characters"),
        ({"first_name": "x" * 101}, "first_name", "at most 100 characters"),
    ],
)
def test_each_validation_error_shows_by_its_field_with_input_kept(client, campaign, overrides, field, message):
    response = client.post(campaign.url, form_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'id="error-summary"' in html
    assert 'value="Chea"' in html or field == "last_name"  # other input kept
    assert not Action.objects.exists()


def test_zip_is_not_required_outside_the_us(client, campaign):
    response = client.post(campaign.url, form_data(country="ZZ", postal_code="SW1A 1AA"))
    assert response.status_code == 302
    assert Supporter.objects.get().postal_code == "SW1A 1AA"


def test_zip_plus_four_is_accepted(client, campaign):
    assert client.post(campaign.url, form_data(postal_code="95110-1234")).status_code == 302


@pytest.mark.parametrize("first, last", [("កាង", "ហេង"), ("Nguyễn", "Thị Hương"), ("Zoë", "Ó Briain")])
def test_names_in_any_script_are_accepted(client, campaign, first, last):
    response = client.post(campaign.url, form_data(first_name=first, last_name=last))
    assert response.status_code == 302
    supporter = Supporter.objects.get()
    assert (supporter.first_name, supporter.last_name) == (first, last)
    assert first in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("again", ["SOK@EXAMPLE.ORG", "sok+kang@example.org", "  sok@example.org "])
def test_duplicate_signature_shows_same_thanks_and_counts_once(client, campaign, again):
    client.post(campaign.url, form_data())
    other_browser = Client()
    response = other_browser.post(campaign.url, form_data(email=again, first_name="Troll"))
    assert response.status_code == 302 and response["Location"].endswith("thanks/")
    totals_fold()
    assert Action.objects.count() == 1
    assert Supporter.objects.get().first_name == "Sok"
    assert "<strong data-counter-count>1</strong>" in other_browser.get(response["Location"]).content.decode()


def test_gmail_dots_count_once(client, campaign):
    client.post(campaign.url, form_data(email="sok.chea@gmail.com"))
    client.post(campaign.url, form_data(email="sokchea+x@gmail.com"))
    assert Action.objects.count() == 1


def test_honeypot_is_stored_flagged_and_looks_like_success(client, campaign):
    response = client.post(campaign.url, form_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"].endswith("thanks/")
    action = Action.objects.get()
    assert action.flagged and action.flag_reason == "honeypot"
    totals_fold()
    assert "<strong data-counter-count>0</strong>" in client.get(response["Location"]).content.decode()


def test_too_fast_submission_is_flagged(client, campaign, settings):
    settings.SIGN_MIN_SECONDS = 3
    client.post(campaign.url, form_data())
    assert Action.objects.get().flag_reason == "too-fast"


def test_missing_start_time_is_flagged(client, campaign, settings):
    settings.SIGN_MIN_SECONDS = 3
    client.post(campaign.url, form_data(started="forged"))
    assert Action.objects.get().flag_reason == "no-start-time"


def test_slow_enough_submission_is_not_flagged(client, campaign, settings):
    settings.SIGN_MIN_SECONDS = 3
    started = signing.dumps(int(time.time()) - 10, salt="actions.forms.started")
    client.post(campaign.url, form_data(started=started))
    assert not Action.objects.get().flagged


def test_csrf_is_enforced(campaign):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(campaign.url, form_data())
    assert response.status_code == 403
    assert not Action.objects.exists()
    page = strict.get(campaign.url)
    token = page.cookies["csrftoken"].value
    response = strict.post(campaign.url, form_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302


def test_source_and_referrer_are_kept_through_the_form(client, campaign):
    html = client.get(campaign.url + "?source=newsletter&ref=abc123").content.decode()
    assert 'value="newsletter"' in html and 'value="abc123"' in html
    client.post(campaign.url, form_data(source="newsletter", ref="abc123<script>"))
    action = Action.objects.get()
    assert (action.source, action.referrer_code) == ("newsletter", "abc123script")


def test_closed_campaign_shows_result_not_form(client):
    campaign = campaign_page(is_open=False, result="<p>Kang was pardoned.</p>")
    html = client.get(campaign.url).content.decode()
    assert "Kang was pardoned." in html and 'name="first_name"' not in html
    assert client.post(campaign.url, form_data()).status_code == 409
    assert not Action.objects.exists()


def test_campaign_past_its_closing_date_is_closed(client):
    from django.utils import timezone

    campaign = campaign_page(closes_at=timezone.now() - timezone.timedelta(minutes=1))
    assert 'name="first_name"' not in client.get(campaign.url).content.decode()


def test_markup_in_comment_and_name_is_escaped(client, campaign):
    response = client.post(campaign.url, form_data(first_name="<b>Sok</b>"))
    html = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;Sok&lt;/b&gt;" in html and "<b>Sok</b>" not in html


def test_totals_endpoint_is_cacheable_json(client, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(campaign.url, form_data())
    response = client.get(f"/api/campaigns/{campaign.pk}/totals.json")
    assert response.status_code == 200
    assert response.json()["signatures"] == 1 and response.json()["goal"] == 2500
    cache_control = response["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age <= 5 and "stale-while-revalidate" in cache_control


def test_totals_endpoint_404s_for_draft_or_unknown(client):
    draft = campaign_page(publish=False)
    assert client.get(f"/api/campaigns/{draft.pk}/totals.json").status_code == 404
    assert client.get("/api/campaigns/999999/totals.json").status_code == 404
    assert client.post(f"/api/campaigns/{draft.pk}/totals.json").status_code == 405


def test_page_view_does_not_count_signatures(client, campaign, django_assert_max_num_queries):
    client.post(campaign.url, form_data())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(campaign.url)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "actions_action" in q["sql"]]

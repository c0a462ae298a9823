"""Signed one-click links from emails, the one-button form for a recognised supporter, and
"Not you?"."""

import time

import pytest
from django.core import signing
from django.test import Client

from actions.models import Action
from actions.recognition import supporter_from_request
from tests.factories import SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return campaign_page(targets=[TargetFactory(name="Jeff Rosen")])


@pytest.fixture
def supporter():
    return SupporterFactory(first_name="Sok", last_name="Chea")


def link_path(page, supporter, kind="sign"):
    url = page.one_click_url(supporter=supporter, kind=kind)
    return url[url.index(page.url) :]


def test_get_shows_what_will_happen_and_never_acts(client, campaign, supporter):
    path = link_path(campaign, supporter)
    for _ in range(3):  # a mail scanner may follow a link several times
        response = client.get(path)
        assert response.status_code == 200
    html = response.content.decode()
    assert "adds your name, <strong>Sok C.</strong>, to the petition" in html
    assert html.count('type="submit"') == 1 and "Sign as Sok C." in html
    assert not Action.objects.exists()
    assert "supporter" not in response.cookies  # nor does a GET recognise anyone
    assert "Chea" not in html and supporter.email not in html  # a forwarded link shows little


def test_post_acts_once_even_when_repeated(client, campaign, supporter):
    path = link_path(campaign, supporter)
    first = client.post(path)
    assert first.status_code == 303 and first["Location"] == campaign.url + "thanks/"
    again = client.post(path)
    assert again.status_code == 303
    action = Action.objects.get()
    assert (action.kind, action.supporter, action.source) == ("sign", supporter, "one-click-link")
    assert "You have already signed, Sok" in client.get(path).content.decode()
    # The browser now recognises the supporter.
    assert "Thank you, Sok!" in client.get(first["Location"]).content.decode()


@pytest.mark.parametrize("problem", ["tampered", "expired", "wrong_purpose", "wrong_campaign", "unknown_kind"])
def test_bad_links_get_a_friendly_page_with_the_normal_form(client, campaign, supporter, problem, monkeypatch):
    path = link_path(campaign, supporter)
    if problem == "tampered":
        path = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    elif problem == "expired":
        long_ago = signing.b62_encode(int(time.time()) - 31 * 24 * 3600)
        monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: long_ago)
        path = link_path(campaign, supporter)
        monkeypatch.undo()
    elif problem == "wrong_purpose":
        path = link_path(campaign, supporter, kind="share").replace("/go/share/", "/go/sign/")
    elif problem == "wrong_campaign":
        other = campaign_page(title="Another campaign")
        path = campaign.url + link_path(other, supporter)[len(other.url) :]
    elif problem == "unknown_kind":
        path = path.replace("/go/sign/", "/go/donate/")
    for method in (client.get, client.post):
        response = method(path)
        html = response.content.decode()
        assert response.status_code == 400
        assert "You can still take part here." in html
        assert 'name="first_name"' in html  # the normal form
    if problem == "expired":
        assert "That link has expired." in html
    assert not Action.objects.exists()


def test_a_link_for_another_step_recognises_and_opens_that_step(client, campaign, supporter):
    path = link_path(campaign, supporter, kind="call")
    assert "Continue as Sok C." in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 303 and response["Location"] == campaign.url + "call/"
    assert not Action.objects.exists()
    assert "Calling as Sok C." in client.get(response["Location"]).content.decode()


def test_recognised_supporter_signs_with_one_button(client, campaign, supporter, recognise):
    recognise(client, supporter)
    html = client.get(campaign.url).content.decode()
    assert "Sign as Sok C." in html and 'name="first_name"' not in html
    assert f'href="{campaign.url}forget/"' in html
    response = client.post(campaign.url + "sign/", {"consent": "on"})
    assert response.status_code == 302 and response["Location"] == campaign.url + "thanks/"
    action = Action.objects.get()
    assert (action.kind, action.supporter, action.consent) == ("sign", supporter, True)
    assert action.consent_text == campaign.consent_text
    client.post(campaign.url + "sign/")
    assert Action.objects.count() == 1
    assert "You have signed, Sok." in client.get(campaign.url).content.decode()


def test_one_button_sign_cleans_its_hidden_fields(client, campaign, supporter, recognise):
    recognise(client, supporter)
    response = client.post(campaign.url + "sign/", {"source": "news\x00letter\r\n" + "x" * 80, "ref": "a\x00b"})
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.source == "news letter " + "x" * 52 and action.referrer_code == "ab"


def test_one_button_sign_without_recognition_goes_to_the_form(campaign):
    response = Client().post(campaign.url + "sign/")
    assert response.status_code == 302 and response["Location"] == campaign.url
    assert not Action.objects.exists()


def test_not_you_forgets_the_recognition(client, campaign, supporter, recognise):
    recognise(client, supporter)
    response = client.get(campaign.url + "forget/")
    assert response.status_code == 302
    assert response.cookies["supporter"].value == "" and response.cookies["supporter"]["max-age"] == 0
    html = client.get(campaign.url).content.decode()
    assert 'name="first_name"' in html and "Sign as" not in html
    request = client.get(campaign.url).wsgi_request
    assert supporter_from_request(request) is None


def test_a_closed_campaign_takes_no_action_from_a_link(client, supporter):
    page = campaign_page(is_open=False)
    response = client.post(link_path(page, supporter))
    assert response.status_code == 409
    assert "This campaign has closed" in response.content.decode()
    assert not Action.objects.exists()

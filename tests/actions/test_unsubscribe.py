"""Every email to a supporter can be left in one click (RFC 8058): the thank-you carries
``List-Unsubscribe`` and ``List-Unsubscribe-Post``, the one-click POST stops the campaign's
updates without a login (GET changes nothing, so mail scanners unsubscribe no one), and the
thank-you's "Next" is a signed one-click link to the supporter's next step."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client

from actions.models import Action, ActionKind, OutboundMessage
from actions.unsubscribe import unsubscribe_token
from tests.factories import ActionFactory, SupporterFactory, campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return campaign_page(targets=[email_target(name="Jeff Rosen")], sender_name="Free Kang Hen")


def thank_you_sent(page, supporter, capture):
    with capture(execute=True):
        email_action(page, supporter=supporter)
    return next(sent for sent in mail.outbox if sent.to == [supporter.email])


def one_click_url(sent) -> str:
    header = sent.extra_headers["List-Unsubscribe"]
    https, mailto = re.fullmatch(r"<(https?://[^>]+)>, <(mailto:[^>]+)>", header).groups()
    assert mailto.startswith("mailto:campaign@example.org?subject=unsubscribe%20")
    return https


def test_the_thank_you_carries_one_click_unsubscribe_headers(page, django_capture_on_commit_callbacks):
    supporter = SupporterFactory()
    sent = thank_you_sent(page, supporter, django_capture_on_commit_callbacks)
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = one_click_url(sent)
    message = sent.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message
    # The footer links to the same page, which really unsubscribes.
    assert f"To stop updates about this campaign: {url}" in sent.body
    # Messages to targets carry no unsubscribe headers: the office did not subscribe to anything.
    to_target = next(s for s in mail.outbox if s.to != [supporter.email])
    assert "List-Unsubscribe" not in to_target.extra_headers


def test_one_click_post_withdraws_the_campaigns_consent_once_and_get_does_nothing(
    page, django_capture_on_commit_callbacks
):
    supporter = SupporterFactory()
    other = campaign_page()
    ActionFactory(campaign=page, supporter=supporter, kind=ActionKind.SIGN, consent=True)
    ActionFactory(campaign=other, supporter=supporter, kind=ActionKind.SIGN, consent=True)
    path = urlparse(one_click_url(thank_you_sent(page, supporter, django_capture_on_commit_callbacks))).path
    client = Client(enforce_csrf_checks=True)  # a mail provider has no cookie and no CSRF token

    shown = client.get(path)
    assert shown.status_code == 200 and "Stop updates" in shown.content.decode()
    assert Action.objects.get(campaign=page, kind="sign").consent  # a scanner following the link did nothing

    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "You will get no more updates about this campaign" in response.content.decode()
    assert not Action.objects.get(campaign=page, kind="sign").consent
    assert Action.objects.get(campaign=other, kind="sign").consent  # only this campaign's updates stop
    assert (
        client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code
        == 200
    )


def test_receipts_still_go_after_unsubscribing(page, django_capture_on_commit_callbacks):
    supporter = SupporterFactory()
    ActionFactory(campaign=page, supporter=supporter, kind=ActionKind.SIGN, consent=True)
    Client().post(f"/unsubscribe/{unsubscribe_token(supporter=supporter, campaign_id=page.pk)}/")
    second = campaign_page(targets=[email_target()])
    sent = thank_you_sent(second, supporter, django_capture_on_commit_callbacks)
    assert sent.to == [supporter.email]


@pytest.mark.parametrize("token", ["nonsense", "eyJzIjoiYWJjIn0:1abc:forged"])
def test_a_bad_unsubscribe_token_is_a_plain_404(client, token):
    assert client.get(f"/unsubscribe/{token}/").status_code == 404
    assert client.post(f"/unsubscribe/{token}/").status_code == 404


def test_the_next_link_is_one_click_and_signs_with_one_post(page, client, django_capture_on_commit_callbacks):
    supporter = SupporterFactory()
    sent = thank_you_sent(page, supporter, django_capture_on_commit_callbacks)
    link = re.search(r"Next: .*\n(\S+)", sent.body).group(1)
    path = urlparse(link).path
    assert "/go/sign/" in path
    assert client.get(path).status_code == 200
    assert not Action.objects.filter(supporter=supporter, kind="sign").exists()  # GET signs nothing
    response = client.post(path)
    assert response.status_code in (302, 303)
    assert Action.objects.filter(supporter=supporter, kind="sign", campaign=page).count() == 1


def test_a_supporter_gets_at_most_the_daily_cap_of_emails(settings, django_capture_on_commit_callbacks):
    settings.SUPPORTER_EMAILS_PER_DAY = 2
    supporter = SupporterFactory()
    for _ in range(3):
        page = campaign_page(targets=[email_target()])
        with django_capture_on_commit_callbacks(execute=True):
            email_action(page, supporter=supporter)
    statuses = list(OutboundMessage.objects.filter(kind="thanks").order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "suppressed"]
    assert sum(1 for sent in mail.outbox if sent.to == [supporter.email]) == 2

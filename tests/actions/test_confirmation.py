"""Confirming a signature by email (issue 18): the signature counts at once; the supporter's
email link shows a button (a scanner's GET changes nothing), the POST confirms once, an expired
link offers a fresh one, one reminder goes out and never two, and reports count both."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import confirmation
from actions.forms import started_token
from actions.models import Action, OutboundMessage, SignatureConfirmation
from actions.outbox.deliver import messages_send
from actions.pii import email_index
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db

CONFIRM = OutboundMessage.Kind.CONFIRM


def sign(client, page, email="sok@example.org", **extra):
    data = {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": email,
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "website": "",
        "started": started_token(),
        **extra,
    }
    response = client.post(page.url, data)
    assert response.status_code == 302
    return Action.objects.get(supporter__email_index=email_index(email), campaign_id=page.pk)


def link_path(sent) -> str:
    url = re.search(r"(https?://\S+/confirm/\S+/)", sent.body).group(1)
    return urlparse(url).path


@pytest.fixture
def page():
    return campaign_page(confirm_signatures=True, sender_name="Free Kang Hen")


def test_off_by_default_no_email(client):
    plain = campaign_page()
    sign(client, plain)
    assert not SignatureConfirmation.objects.exists()
    assert not OutboundMessage.objects.filter(kind=CONFIRM).exists()


def test_signing_queues_one_confirmation_email_through_the_outbox(client, page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = sign(client, page)
    assert not action.flagged  # counted at once, confirmed or not
    row = OutboundMessage.objects.get(kind=CONFIRM)
    assert row.status == OutboundMessage.Status.SENT  # the eager worker sent it after commit
    (sent,) = [m for m in mail.outbox if m.to == ["sok@example.org"]]
    assert "Please confirm your signature" in sent.subject
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in sent.body and "/your-data/" in sent.body
    # Signing again (the same person, the same campaign) sends nothing more.
    sign(client, page)
    assert OutboundMessage.objects.filter(kind=CONFIRM).count() == 1


def test_a_honeypot_hit_gets_no_email(client, page):
    sign(client, page, website="http://spam.example")
    assert not OutboundMessage.objects.filter(kind=CONFIRM).exists()


def test_scanner_get_changes_nothing_and_post_confirms_once(client, page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign(client, page)
    path = link_path(mail.outbox[-1])
    scanner = Client()
    for _ in range(3):
        response = scanner.get(path)
        assert response.status_code == 200
        assert "Confirm my signature" in response.content.decode()
    row = SignatureConfirmation.objects.get()
    assert row.confirmed_at is None
    assert scanner.head(path).status_code == 200
    row.refresh_from_db()
    assert row.confirmed_at is None

    supporter = Client(enforce_csrf_checks=True)  # a mail app's browser may carry no cookie
    response = supporter.post(path, {"do": "confirm"})
    assert response.status_code == 200
    assert "Your signature is confirmed" in response.content.decode()
    row.refresh_from_db()
    first = row.confirmed_at
    assert first is not None
    # Pressing again (or a scanner that POSTs) keeps the first time.
    assert supporter.post(path, {"do": "confirm"}).status_code == 200
    row.refresh_from_db()
    assert row.confirmed_at == first
    assert confirmation.signature_confirm(confirmation_id=row.pk) is False
    assert "Your signature is confirmed" in scanner.get(path).content.decode()


def test_forged_or_altered_link_is_404(client, page):
    sign(client, page)
    token = confirmation.confirmation_token(SignatureConfirmation.objects.get())
    assert client.get(reverse("signature_confirm", args=[token[:-2] + "xx"])).status_code == 404
    assert client.post(reverse("signature_confirm", args=["nonsense"])).status_code == 404
    assert SignatureConfirmation.objects.get().confirmed_at is None


def test_expired_link_offers_a_fresh_one(client, page, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign(client, page)
    path = link_path(mail.outbox[-1])
    settings.CONFIRM_LINK_MAX_AGE = -1  # every link is now past its age
    response = client.get(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html and "Email me a new link" in html
    # A POST "confirm" on an expired link confirms nothing.
    assert client.post(path, {"do": "confirm"}).status_code == 410
    assert SignatureConfirmation.objects.get().confirmed_at is None
    # Resending is spaced: the first email went out moments ago.
    assert "Check your email" in client.post(path, {"do": "resend"}).content.decode()
    assert OutboundMessage.objects.filter(kind=CONFIRM).count() == 1
    SignatureConfirmation.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"do": "resend"})
        client.post(path, {"do": "resend"})  # a double click sends one
    assert OutboundMessage.objects.filter(kind=CONFIRM).count() == 2
    settings.CONFIRM_LINK_MAX_AGE = 3600
    fresh = link_path(mail.outbox[-1])
    assert client.post(fresh, {"do": "confirm"}).status_code == 200
    assert SignatureConfirmation.objects.get().confirmed_at is not None


def test_one_reminder_and_never_a_second(client, page, settings):
    sign(client, page, email="late@example.org")
    sign(client, page, email="quick@example.org")
    sign(client, page, email="new@example.org")
    quick = SignatureConfirmation.objects.get(action__supporter__email_index=email_index("quick@example.org"))
    confirmation.signature_confirm(confirmation_id=quick.pk)
    old = timezone.now() - datetime.timedelta(hours=settings.CONFIRM_REMINDER_HOURS + 1)
    SignatureConfirmation.objects.exclude(action__supporter__email_index=email_index("new@example.org")).update(
        requested_at=old
    )

    assert confirmation.confirmation_reminders_send() == 1  # late only: quick confirmed, new too new
    assert confirmation.confirmation_reminders_send() == 0
    later = timezone.now() + datetime.timedelta(days=30)
    assert confirmation.confirmation_reminders_send(now=later) == 1  # new, now due; late never again
    assert confirmation.confirmation_reminders_send(now=later) == 0
    reminders = OutboundMessage.objects.filter(kind=CONFIRM, subject__startswith="Reminder")
    assert sorted(m.recipient for m in reminders) == ["late@example.org", "new@example.org"]
    messages_send()
    reminder = next(m for m in mail.outbox if m.subject.startswith("Reminder"))
    assert "This is the only reminder we send." in reminder.body


def test_reminder_task_runs_through_celery(client, page, settings):
    from actions.tasks import confirmation_reminders_send

    sign(client, page)
    SignatureConfirmation.objects.update(requested_at=timezone.now() - datetime.timedelta(days=2))
    assert confirmation_reminders_send.delay().get() == 1
    assert confirmation_reminders_send.delay().get() == 0


def test_counts_split_all_and_confirmed(client, page, admin_client):
    for n in range(3):
        sign(client, page, email=f"s{n}@example.org")
    confirmation.signature_confirm(confirmation_id=SignatureConfirmation.objects.first().pk)
    assert confirmation.confirmation_counts(campaign_id=page.pk) == {"requested": 3, "confirmed": 1, "unconfirmed": 2}
    html = admin_client.get(reverse("reports:overview", args=[page.pk])).content.decode()
    assert "<strong>1</strong> confirmed of 3 signatures asked to confirm (2 not yet)" in html


def test_signing_through_a_link_from_our_own_email_is_confirmed_without_an_email(client, page):
    from tests.factories import SupporterFactory

    supporter = SupporterFactory()
    path = urlparse(page.one_click_url(supporter=supporter, kind="sign")).path
    assert client.get(path).status_code == 200
    assert not SignatureConfirmation.objects.exists()  # the GET signs nothing, confirms nothing
    assert client.post(path).status_code == 303
    row = SignatureConfirmation.objects.get()
    assert row.confirmed_at is not None and row.action.supporter_id == supporter.pk
    assert not OutboundMessage.objects.filter(kind=CONFIRM).exists()


def test_the_public_counter_can_count_confirmed_signatures_only(client, page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            sign(client, page, email=f"c{n}@example.org")
    confirmation.signature_confirm(confirmation_id=SignatureConfirmation.objects.first().pk)
    url = f"/api/campaigns/{page.pk}/totals.json"
    assert client.get(url).json()["signatures"] == 3  # the default: every signature
    page.counter_confirmed_only = True
    page.save_revision().publish()
    cache.clear()  # the counter's page fields are cached as briefly as page HTML
    assert client.get(url).json()["signatures"] == 1
    page.refresh_from_db()
    assert page.counter()["count"] == 1
    confirmation.signature_confirm(confirmation_id=SignatureConfirmation.objects.last().pk)
    assert page.counter()["count"] == 2

"""The messages report and its "retry failed" action, against the real outbox."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import OutboundMessage
from tests.factories import campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(django_capture_on_commit_callbacks):
    page = campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])
    with django_capture_on_commit_callbacks(execute=False):
        email_action(page)
    messages = list(OutboundMessage.objects.filter(kind="target").order_by("pk"))
    failed, sent = messages[0], messages[1]
    OutboundMessage.objects.filter(pk=failed.pk).update(status="failed", attempts=6, last_error="550 mailbox full")
    OutboundMessage.objects.filter(pk=sent.pk).update(status="sent", attempts=1, sent_at=timezone.now())
    return page, failed, sent


def test_organiser_sees_status_attempts_and_error(organiser_client, outbox):
    html = organiser_client.get(reverse("reports:messages")).content.decode()
    assert "550 mailbox full" in html and "Retry failed messages" in html
    filtered = organiser_client.get(reverse("reports:messages_results") + "?status=failed").content.decode()
    assert "550 mailbox full" in filtered


def test_retry_requeues_failed_only_and_get_changes_nothing(
    organiser_client, outbox, django_capture_on_commit_callbacks
):
    _, failed, sent = outbox
    page = organiser_client.get(reverse("reports:messages_retry"))
    assert "Retry 1 failed message" in page.content.decode()
    failed.refresh_from_db()
    assert failed.status == "failed"  # a GET never acts

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = organiser_client.post(reverse("reports:messages_retry"))
    assert response.status_code == 302 and len(callbacks) == 1
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0) and failed.next_attempt_at is not None
    assert sent.status == "sent" and sent.attempts == 1


def test_editors_cannot_retry(client, editor, outbox):
    client.force_login(editor)
    assert client.post(reverse("reports:messages_retry")).status_code == 403
    assert OutboundMessage.objects.filter(status="failed").count() == 1

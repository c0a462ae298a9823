"""Integration: a supporter's one click on the Kang Hen page, a real Celery worker on real Redis,
and anymail's real Postmark backend posting over HTTP to a local stand-in for the provider."""

import pytest
from django.core.management import call_command

from actions.models import OutboundMessage, Target
from actions.outbox import take
from advocacy.celery import app
from cms.models import CampaignPage
from tests.factories import email_form_texts
from tests.waiting import tasks_run, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_one_click_reaches_both_targets_through_the_provider_exactly_once(
    celery_worker_on_redis, provider_standin, client, tmp_path, django_user_model
):
    assert app.conf.task_always_eager is False
    (tmp_path / "kang-hen-petition.txt").write_text(
        "Stop the Deportation of Kang Hen - Father\n\n0 have signed. Let's get to 2,500!\n\n"
        "Tell the DA and the Governor to act.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
    )
    call_command("load_campaign", source=str(tmp_path))
    page = CampaignPage.campaigns().get(slug="stop-the-deportation-of-kang-hen")
    # An organiser has verified the offices' addresses and switched live delivery on.
    Target.objects.filter(name="Jeff Rosen").update(
        email="da.rosen@example.gov", delivery="direct", verify_before_launch=False
    )
    Target.objects.filter(name="Gavin Newsom").update(
        email="governor@example.gov", delivery="direct", verify_before_launch=False
    )
    organiser = django_user_model.objects.create_user(username="organiser", password="pw")
    take.delivery_switch(campaign_id=page.pk, deliver_to_targets=True, user=organiser)

    data = email_form_texts(client, page)
    data.update(first_name="Jane", last_name="Doe", email="jane.doe@example.net", postal_code="95110", city="San Jose")
    response = client.post(page.url + "email/", data)
    assert response.status_code == 302

    assert wait_for(lambda: len(provider_standin.requests) >= 3), provider_standin.requests
    by_recipient = {r["json"]["To"]: r for r in provider_standin.requests}
    assert set(by_recipient) == {"da.rosen@example.gov", "governor@example.gov", "jane.doe@example.net"}
    for address, salutation in [
        ("da.rosen@example.gov", "Dear District Attorney Rosen"),
        ("governor@example.gov", "Dear Governor Newsom"),
    ]:
        request = by_recipient[address]
        sent = request["json"]
        assert request["path"] == "/email"
        assert request["headers"]["X-Postmark-Server-Token"] == "test-token"
        assert sent["From"] == "Jane Doe via Free Kang Hen <campaign@example.org>"
        assert sent["ReplyTo"] == "jane.doe@example.net"
        assert sent["TextBody"].startswith(f"{salutation},")
        assert "Sincerely,\nJane Doe\nSan Jose 95110" in sent["TextBody"]
        assert sent["Metadata"]["message_id"] == str(OutboundMessage.objects.get(to_email=address).pk)
    thanks = by_recipient["jane.doe@example.net"]["json"]
    assert "Jeff Rosen" in thanks["TextBody"] and "Gavin Newsom" in thanks["TextBody"]
    assert wait_for(lambda: not OutboundMessage.objects.exclude(status="sent").exists())

    # Redelivered tasks and the relay's next pass run to the end and find nothing left to send.
    from actions.tasks import message_send, outbox_relay

    rows = list(OutboundMessage.objects.values_list("pk", flat=True))
    results = tasks_run(lambda: [message_send.delay(pk) for pk in rows] + [outbox_relay.delay()])
    assert results == ["not-claimed"] * 3 + [{"requeued": 0, "due": 0, "woken": 0, "events": 0}]
    assert len(provider_standin.requests) == 3
    assert set(OutboundMessage.objects.values_list("attempts", flat=True)) == {1}

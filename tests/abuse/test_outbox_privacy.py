"""Privacy reaches the email outbox: anonymising wipes what the supporter wrote and their address
from OutboundMessage rows (kept, so totals hold), and every thank-you links to the signed data page."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import OutboundMessage
from actions.outbox import deliver
from actions.privacy_services import REMOVED_TEXT
from actions.selectors import campaign_totals
from cms.tasks import personal_data_retention
from tests.factories import SupporterFactory, campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db


def page(**extra):
    return campaign_page(
        targets=[email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen")],
        sender_name="Free Kang Hen",
        **extra,
    )


def acted(campaign):
    supporter = SupporterFactory(first_name="Sokha", last_name="Private", email="sokha.private@example.org")
    email_action(campaign, supporter=supporter, personal_note="My cousin Vanna lives at 12 Elm St.")
    return supporter


def assert_wiped(supporter, count):
    rows = list(OutboundMessage.objects.filter(action__supporter_id=supporter.pk))
    assert len(rows) == count  # no row deleted
    for row in rows:
        held = " ".join([row.reply_to, row.from_name, row.subject, row.body, row.to_email]).lower()
        assert "sokha" not in held and "private" not in held and "vanna" not in held, held
        assert (row.subject, row.body, row.reply_to) == (REMOVED_TEXT, REMOVED_TEXT, "")
        assert row.status != OutboundMessage.Status.QUEUED  # placeholder text is never sent


def test_the_data_page_deletion_wipes_the_outbox(client):
    campaign = page()
    supporter = acted(campaign)
    before = campaign_totals(campaign_id=campaign.pk)
    row = OutboundMessage.objects.get(kind="target")
    assert "Vanna" in row.body and row.reply_to == "sokha.private@example.org" and "Sokha" in row.from_name
    from actions.privacy import supporter_data_path

    assert client.post(supporter_data_path(supporter), {"confirm": "yes"}).status_code == 200
    assert_wiped(supporter, 2)
    assert campaign_totals(campaign_id=campaign.pk) == before


def test_the_command_and_the_admin_action_wipe_the_outbox(admin_client):
    campaign = page()
    first = acted(campaign)
    call_command("supporter_anonymise", "sokha.private@example.org", "--yes", stdout=StringIO())
    assert_wiped(first, 2)
    second = SupporterFactory(first_name="Sokha", last_name="Private", email="sokha.second@example.org")
    email_action(campaign, supporter=second, personal_note="Vanna again")
    admin_client.post(reverse("actions_supporter_data"), {"email": "sokha.second@example.org", "do": "anonymise"})
    assert_wiped(second, 2)


def test_retention_wipes_the_outbox_of_expired_campaigns(settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 6
    old = page(closes_at=timezone.now() - timedelta(days=200))
    supporter = acted(old)
    assert personal_data_retention() == 1
    assert_wiped(supporter, 2)


def test_every_thank_you_links_to_the_supporters_signed_data_page(settings):
    settings.EMAIL_REVIEW_ADDRESS = "organisers@example.org"
    campaign = page()
    supporter = acted(campaign)
    for message_id in OutboundMessage.objects.filter(status="queued").values_list("pk", flat=True):
        deliver.message_send(message_id=message_id)
    thanks = [m for m in mail.outbox if m.to == ["sokha.private@example.org"]]
    assert len(thanks) == 1
    link = re.search(r"https?://\S+/your-data/\S+", thanks[0].body)
    assert link, thanks[0].body
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    assert "sokha" not in path.lower()
    assert Client().get(path).status_code == 200  # the link opens this supporter's own page
    assert Client().get(path + "download.json").json()["supporter"]["email"] == supporter.email

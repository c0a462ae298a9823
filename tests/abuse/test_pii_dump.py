"""A copy of the database alone reveals no supporter: pg_dump after a signature and an email."""

import os
import subprocess

import pytest
from django.db import connection

from actions import intake
from actions.models import OutboundMessage, Supporter
from tests.factories import campaign_page, email_action, email_target

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump reads PostgreSQL only"),
]

PERSON = {
    "first_name": "Sreypov",
    "last_name": "Vannarith",
    "email": "Sreypov.Vannarith+petition@example.org",
    "city": "Gilroy",
    "postal_code": "95020",
    "comment": "My uncle Kosal was detained on Tuesday",
}


def _dump() -> bytes:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    command += ["-U", settings["USER"] or "postgres", settings["NAME"]]
    return subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout


def test_a_database_dump_holds_no_supporter_data_in_plaintext():
    campaign = campaign_page(targets=[email_target(name="Jeff Rosen")])
    intake.signature_create(campaign_id=campaign.pk, **PERSON, submission=intake.Submission(ip_hash="h" * 64))
    supporter = Supporter.objects.by_email(PERSON["email"]).get()
    email_action(campaign, supporter=supporter, personal_note="Kosal has two children in Gilroy schools")
    message = OutboundMessage.objects.filter(target__isnull=False).get()
    assert "Sreypov" in message.body and message.reply_to == PERSON["email"]  # readable through the ORM

    dump = _dump().lower()
    assert b"copy public.actions_supporter" in dump and b"pii1:" in dump  # the rows are in the dump
    secrets = [*PERSON.values(), "sreypov.vannarith", "sreypovvannarith", "two children"]
    found = [value for value in secrets if value.lower().encode() in dump]
    assert found == []

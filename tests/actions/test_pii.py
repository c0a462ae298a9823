"""Personal data encrypted at rest: what is stored, the blind index, retired and damaged keys."""

import base64
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from actions import intake, pii, pii_rotation
from actions.models import Action, Supporter
from actions.privacy import supporter_data_path
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db

OLD_KEY = base64.urlsafe_b64encode(b"an-old-key-retired-by-rotation!!").decode()


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (test's own names)
        return cursor.fetchone()[0]


def _sign(campaign, email="Sok.Chea+kang@gmail.com"):
    return intake.signature_create(
        campaign_id=campaign.pk,
        first_name="Sokunthea",
        last_name="Chealong",
        email=email,
        city="Milpitas",
        postal_code="95035",
        comment="Bring Kang home",
        submission=intake.Submission(ip_hash="h" * 64),
    )


def test_a_signature_is_stored_encrypted_and_reads_back_as_typed():
    result = _sign(campaign_page())
    supporter = Supporter.objects.get()
    assert (supporter.email, supporter.first_name, supporter.postal_code) == (
        "Sok.Chea+kang@gmail.com",
        "Sokunthea",
        "95035",
    )
    assert Action.objects.get().comment == "Bring Kang home"
    stored = _raw("actions_supporter", "email", result.supporter.pk)
    assert stored.startswith(pii.keyring().current_prefix) and "sok" not in stored.lower()
    assert "Bring" not in _raw("actions_action", "comment", result.action.pk)
    index = _raw("actions_supporter", "email_index", result.supporter.pk)
    assert len(index) == 64 and "gmail" not in index


def test_the_blind_index_finds_the_same_person_however_the_email_is_typed():
    campaign = campaign_page()
    first = _sign(campaign)
    again = _sign(campaign, email=" SOKCHEA@googlemail.com ")
    assert not again.created and again.action.pk == first.action.pk and Supporter.objects.count() == 1
    assert Supporter.objects.by_email("s.o.k.chea+other@gmail.com").get().pk == first.supporter.pk
    assert not Supporter.objects.by_email("sokchea@example.org").exists()


def test_an_encrypted_column_refuses_to_be_searched_instead_of_matching_nothing():
    SupporterFactory(email="dara@example.org")
    with pytest.raises(TypeError, match="encrypted"):
        Supporter.objects.filter(email="dara@example.org").exists()
    assert Supporter.objects.exclude(city="").count() == 1  # "" is stored as itself


def test_a_row_under_a_retired_key_reads_until_rotation_moves_it_to_the_new_one(settings):
    settings.PII_KEYS = [OLD_KEY]
    supporter = SupporterFactory(first_name="Bopha", email="bopha@example.org")
    old_prefix = pii.keyring().current_prefix
    settings.PII_KEYS = [base64.urlsafe_b64encode(b"the-new-key-that-encrypts-now!!!").decode(), OLD_KEY]
    assert _raw("actions_supporter", "first_name", supporter.pk).startswith(old_prefix)
    assert Supporter.objects.get().first_name == "Bopha"
    assert pii_rotation.rotate() >= 1
    assert _raw("actions_supporter", "first_name", supporter.pk).startswith(pii.keyring().current_prefix)
    settings.PII_KEYS = settings.PII_KEYS[:1]  # the old key can go now
    assert Supporter.objects.by_email("bopha@example.org").get().first_name == "Bopha"


def test_a_damaged_value_reads_as_blank_logs_the_column_and_never_breaks_the_data_page(caplog):
    supporter = ActionFactory(
        campaign=campaign_page(), comment="Free him", supporter=SupporterFactory(first_name="Jenna")
    ).supporter
    with connection.cursor() as cursor:
        stored = _raw("actions_supporter", "first_name", supporter.pk)
        damaged = stored[:-6] + ("AAAAAA" if not stored.endswith("AAAAAA") else "BBBBBB")
        cursor.execute("UPDATE actions_supporter SET first_name = %s WHERE id = %s", [damaged, supporter.pk])
    with caplog.at_level(logging.ERROR, logger="actions.pii"):
        page = Client().get(supporter_data_path(supporter))
        download = Client().get(supporter_data_path(supporter) + "download.json")
    assert page.status_code == 200 and download.status_code == 200
    held = download.json()
    assert supporter.email in str(held) and "Free him" in str(held) and "Jenna" not in str(held)
    assert Supporter.objects.get().first_name == ""
    assert "Supporter.first_name" in caplog.text and supporter.email not in caplog.text


@pytest.mark.parametrize(
    "keys, index_key, message",
    [
        ([], "x", "PII_KEYS is empty"),
        (["not-a-key"], OLD_KEY, "not 32 bytes"),
        ([OLD_KEY], "", "PII_INDEX_KEY is empty"),
        ([OLD_KEY], OLD_KEY, "must differ"),
    ],
)
def test_a_missing_or_wrong_key_is_a_clear_configuration_error(keys, index_key, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        pii.Keyring(keys, index_key)


def test_the_migration_encrypts_plaintext_rows_and_turns_the_email_key_into_the_blind_index():
    from importlib import import_module

    from django.apps import apps

    convert = import_module("actions.migrations.0011_pii_fields").convert
    with connection.cursor() as cursor:  # a row as the previous schema held it
        cursor.execute(
            "INSERT INTO actions_supporter (uuid, email, email_index, first_name, last_name, city, postal_code,"
            " country, referral_code, created_at, updated_at) VALUES (%s, 'Dara.Keo+x@Gmail.com',"
            " 'darakeo@gmail.com', 'Dara', 'Keo', 'Gilroy', '95020', 'US', 'legacy1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            ["0b6f3c1e-8a4b-4c55-9a7e-2f0c6d1e9a01"],
        )
    convert(apps, None)
    supporter = Supporter.objects.by_email("darakeo@googlemail.com").get()
    assert (supporter.email, supporter.first_name, supporter.city) == ("Dara.Keo+x@Gmail.com", "Dara", "Gilroy")
    assert _raw("actions_supporter", "first_name", supporter.pk).startswith(pii.PREFIX)


def test_a_tracking_event_keeps_the_recipient_address_sealed():
    from django.utils import timezone

    from actions.models import TrackingEvent

    event = TrackingEvent.objects.create(
        event_id="ev-1", event_type="delivered", recipient="sok.chea@example.org", timestamp=timezone.now()
    )
    assert "sok.chea" not in _raw("actions_trackingevent", "recipient", event.pk)
    assert TrackingEvent.objects.get(pk=event.pk).recipient == "sok.chea@example.org"

"""The one-statement first signature (actions.first_signature): the same rows as the general path.

On SQLite the shortcut is never used, so these tests check the general path there and both
agree by construction; on PostgreSQL they pin that the shortcut writes what the general path
would, returns saved instances, and steps aside whenever it cannot be sure.
"""

import pytest
from django.db import connection
from django.db.models.signals import post_save

from actions import first_signature, intake
from actions.models import Action, Supporter
from actions.pii import email_index
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the shortcut is PostgreSQL's")


def sign(campaign, **overrides):
    data = dict(
        campaign_id=campaign.pk,
        first_name="Sok",
        last_name="Chea",
        email=" Sok.Chea+kang@gmail.com ",
        city="San Jose",
        postal_code="95110",
        comment="Free Kang!",
        consent=True,
        consent_text="Email me",
    )
    data.update(overrides)
    submission = intake.Submission(ip_hash="h" * 64, source="twitter", referrer_code="abc123")
    return intake.signature_create(**data, submission=submission)


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "client-side"])
def test_the_returned_rows_are_the_stored_rows(settings, prepared):
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    campaign = campaign_page()
    result = sign(campaign)
    assert result.created
    supporter, action = Supporter.objects.get(), Action.objects.get()
    assert (result.supporter.pk, result.action.pk) == (supporter.pk, action.pk)
    assert result.action.supporter_id == supporter.pk and not result.action._state.adding
    for field in Supporter._meta.concrete_fields:
        assert getattr(result.supporter, field.attname) == getattr(supporter, field.attname), field.name
    for field in Action._meta.concrete_fields:
        assert getattr(result.action, field.attname) == getattr(action, field.attname), field.name
    assert supporter.email == "Sok.Chea+kang@gmail.com" and supporter.email_index == email_index("sokchea@gmail.com")
    assert supporter.referral_code and supporter.uuid and supporter.created_at and supporter.updated_at
    assert (action.kind, action.source, action.referrer_code, action.ip_hash) == ("sign", "twitter", "abc123", "h" * 64)
    assert action.consent and action.consent_text == "Email me" and action.consent_at is not None
    assert not action.flagged and not action.tallied


@on_postgresql
def test_the_statement_is_prepared_once_per_connection(settings):
    settings.DATABASE_PREPARED_STATEMENTS = True
    campaign = campaign_page()
    for n in range(3):
        assert sign(campaign, email=f"signer{n}@example.org").created

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'WITH new_supporter%%'")
            return [row[0] for row in cursor.fetchall()]

    assert len(prepared()) == 1  # three signatures, one prepared statement, its values sent apart
    assert "$1" in prepared()[0] and "sok" not in prepared()[0].lower()
    settings.DATABASE_PREPARED_STATEMENTS = False
    assert sign(campaign, email="client-side@example.org").created
    assert len(prepared()) == 1  # switched off: Django's client-side binding, nothing more prepared


@on_postgresql
def test_a_known_email_writes_nothing_and_the_general_path_answers():
    campaign = campaign_page()
    first = sign(campaign)
    supporter = Supporter(
        email="sok.chea@gmail.com", email_index=email_index("sokchea@gmail.com"), first_name="X", last_name="Y"
    )
    action = Action(campaign_id=campaign.pk, kind="sign", supporter=supporter)
    assert first_signature.signature_insert(supporter, action) is False
    assert supporter.pk is None and Supporter.objects.count() == 1 and Action.objects.count() == 1
    again = sign(campaign, first_name="Someone")
    assert not again.created and again.action.pk == first.action.pk


@on_postgresql
def test_a_save_listener_turns_the_shortcut_off():
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((sender.__name__, created))

    assert first_signature.available()
    post_save.connect(listener, sender=Action, dispatch_uid="test-first-signature-listener")
    try:
        assert not first_signature.available()
        result = sign(campaign_page())
    finally:
        post_save.disconnect(dispatch_uid="test-first-signature-listener", sender=Action)
    assert result.created and heard == [("Action", True)]
    assert first_signature.available()


def test_sqlite_never_takes_the_shortcut():
    assert first_signature.available() is (connection.vendor == "postgresql")

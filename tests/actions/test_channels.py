"""Channels: which one a target is reached by, what the organiser may save, and the honest words
a supporter reads about each message."""

import pytest
from django.core.exceptions import ValidationError

from actions.models import OutboundMessage, Target
from actions.outbox.channels import SELF_REPORTED, UNCONFIRMED, VERIFIED, evidence, outcome_text
from tests.factories import TargetFactory

Status, Delivery = OutboundMessage.Status, OutboundMessage.Delivery


@pytest.mark.parametrize(
    ("fields", "channel"),
    [
        ({"delivery": "direct", "email": "gov@example.gov"}, "direct"),
        ({"delivery": "direct", "email": "", "contact_form_url": "https://example.gov/c/"}, "form"),
        ({"delivery": "mailto", "email": "", "postal_address": "1 Main St"}, "letter"),
        ({"delivery": "letter", "email": "gov@example.gov", "postal_address": "1 Main St"}, "letter"),
        ({"delivery": "form", "contact_form_url": "http://example.gov/c/"}, "none"),
        ({"delivery": "mailto", "email": ""}, "none"),
    ],
)
def test_the_chosen_channel_when_its_details_exist_else_the_first_it_has(fields, channel):
    assert TargetFactory.build(**fields).channel == channel


def test_an_address_with_a_name_or_a_line_break_is_refused_by_the_model_too():
    for email in ("Governor <gov@example.gov>", "gov@example.gov\r\nBcc: x@example.com"):
        target = TargetFactory.build(email=email, delivery="direct")
        with pytest.raises(ValidationError) as error:
            target.full_clean(exclude=["photo"])
        assert "no name, no line breaks" in str(error.value.message_dict["email"])


def message(**fields) -> OutboundMessage:
    return OutboundMessage(target=Target(name="Gavin Newsom"), subject="s", body="b", **fields)


@pytest.mark.parametrize(
    ("fields", "words", "seen"),
    [
        ({"delivery": Delivery.DIRECT, "status": Status.SENT}, "sent by us", VERIFIED),
        ({"delivery": Delivery.DIRECT, "status": Status.QUEUED}, "being sent by us", UNCONFIRMED),
        ({"delivery": Delivery.DIRECT, "status": Status.SENT, "review": True}, "not sent yet", UNCONFIRMED),
        ({"delivery": Delivery.DIRECT, "status": Status.FAILED}, "not sent", UNCONFIRMED),
        (
            {"delivery": Delivery.FORM, "status": Status.SELF_SENT},
            "sent by you through the office's form",
            SELF_REPORTED,
        ),
        ({"delivery": Delivery.FORM, "status": Status.NOT_SENT}, "not sent", UNCONFIRMED),
        ({"delivery": Delivery.MAILTO, "status": Status.MAILTO}, "opened in your email app", UNCONFIRMED),
        ({"delivery": Delivery.LETTER, "status": Status.LETTER}, "added to the printed letters", UNCONFIRMED),
    ],
)
def test_each_message_is_described_as_what_really_happened(fields, words, seen):
    row = message(**fields)
    assert outcome_text(row).startswith(words)
    assert evidence(delivery=row.delivery, status=row.status, review=row.review) == seen

"""Bad input on the email step (email/): a clean answer, never a 500, no action lost or doubled.

Property-based (hypothesis), like tests/abuse/test_bad_input.py: each example is one or more real
requests through the full middleware stack to a campaign page's own email/ route.

Requests sent per run: examples (max_examples, plus the fixed @example cases that pin bugs these
tests found) x requests per example.

  test_email_post_with_any_fields_anonymous ............................ 40 x 1 =  40
  test_email_post_with_any_fields_recognised ........................... 40 x 1 =  40
  test_every_accepted_email_is_stored_whole_and_every_refusal_says_why . 53 x 1 =  53
  test_email_raw_bodies_including_invalid_utf8 ......................... 30 x 2 =  60
                                                                                   ---
                                                                                   193

Each test's fixture also sends one GET (the email form's starting texts).
"""

import pytest
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from actions.models import Action, ActionKind, OutboundMessage, Supporter
from tests.factories import SupporterFactory

from .inputs import (
    ANY_CHAR,
    ANY_TEXT,
    AT_LIMIT,
    FRESH,
    LONG_ADDRESS,
    LONG_ADDRESS_EXAMPLE,
    ODD_TEXT,
    PIECES,
    VALUE,
    hypothesis_settings,
    recognised_client,
)

pytestmark = pytest.mark.django_db

# --- email/ -------------------------------------------------------------------------------------

EMAIL_FIELDS = ["first_name", "last_name", "email", "postal_code", "city", "personal_note", "website"]
EMAIL_FIELDS += ["subject_0", "body_0", "subject_1", "body_1", "subject_", "body_999999", "csrfmiddlewaretoken"]
EMAIL_CHANGES = st.dictionaries(st.one_of(st.sampled_from(EMAIL_FIELDS), ANY_TEXT), VALUE, max_size=8)


def email_post(campaign, client, page, *, start_valid, changes, details):
    data = dict(campaign.texts if start_valid else {})
    if start_valid and details:
        data.update(details)
    data.update({campaign.field_name(name): value for name, value in changes.items()})
    return data, client.post(page.url + "email/", data)


TO_TARGET, THANK_YOU = OutboundMessage.Kind.TO_TARGET, OutboundMessage.Kind.THANK_YOU


def assert_email_answer(page, response, supporter, before):
    """302: exactly one email action for the supporter, with its outbox rows (none for a honeypot
    hit). 400: nothing written and the errors listed. Nothing else."""
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"] == page.url + "email/sent/"
        assert supporter is not None
        # What SQLite would store silently, PostgreSQL refuses with a 500: check the lengths here.
        assert max(len(supporter.first_name), len(supporter.last_name), len(supporter.city)) <= 100
        assert len(supporter.email) <= 254 and len(supporter.postal_code) <= 20
        action = Action.objects.get(campaign_id=page.pk, supporter=supporter, kind=ActionKind.EMAIL)
        assert Action.objects.filter(kind=ActionKind.EMAIL).count() - before["actions"] in (0, 1)
        messages = list(action.messages.all())
        if action.flag_reason == "honeypot":
            assert messages == []
        else:
            assert sorted(m.kind for m in messages) == sorted([TO_TARGET, TO_TARGET, THANK_YOU])
            assert all(len(m.subject) <= 250 and not {"\r", "\n"} & set(m.subject) for m in messages)
            assert all("\r" not in m.body and "\x00" not in m.body for m in messages)
    else:
        assert Action.objects.filter(kind=ActionKind.EMAIL).count() == before["actions"]
        assert OutboundMessage.objects.count() == before["messages"]
        assert Supporter.objects.count() == before["supporters"]
        assert 'id="error-summary"' in response.content.decode()


def counts():
    return {
        "actions": Action.objects.filter(kind=ActionKind.EMAIL).count(),
        "messages": OutboundMessage.objects.count(),
        "supporters": Supporter.objects.count(),
    }


@hypothesis_settings(40)
@given(editable=st.booleans(), start_valid=st.booleans(), changes=EMAIL_CHANGES)
def test_email_post_with_any_fields_anonymous(campaign, editable, start_valid, changes):
    page = campaign.page if editable else campaign.fixed_page
    email = f"fuzz{next(FRESH)}@example.org"
    details = {"first_name": "Jane", "last_name": "Doe", "email": email, "postal_code": "95110"}
    before = counts()
    data, response = email_post(
        campaign, Client(raise_request_exception=False), page, start_valid=start_valid, changes=changes, details=details
    )
    supporter = None
    if response.status_code == 302:
        supporter = Supporter.objects.by_email(data["email"].strip()).get()
    assert_email_answer(page, response, supporter, before)


@hypothesis_settings(40)
@given(editable=st.booleans(), start_valid=st.booleans(), changes=EMAIL_CHANGES)
def test_email_post_with_any_fields_recognised(campaign, recognise, editable, start_valid, changes):
    page = campaign.page if editable else campaign.fixed_page
    supporter = SupporterFactory()
    before = counts()
    _, response = email_post(
        campaign, recognised_client(recognise, supporter), page, start_valid=start_valid, changes=changes, details={}
    )
    assert_email_answer(page, response, supporter, before)
    if response.status_code == 400:
        assert not Action.objects.filter(supporter=supporter).exists()


HINTS = ["[your name]", "[your first name]", "[your last name]", "[your city]", "[your ZIP code]"]
# Mostly our own hints: each is replaced by the supporter's details once the form is accepted.
HINTED_TEXT = st.lists(st.one_of(st.sampled_from(HINTS), st.sampled_from(PIECES), ANY_CHAR), max_size=40).map("".join)
NAME = st.one_of(
    ODD_TEXT, AT_LIMIT, st.sampled_from(["Sok", "Christopher Alexander", "Montgomery-Whitfield", "A" * 100])
)
KNOWN_AS = st.sampled_from([("Sok", "Chea"), ("Christopher Alexander", "Montgomery-Whitfield"), ("A" * 100, "B" * 100)])


@hypothesis_settings(50)
@given(
    known_as=st.one_of(st.none(), KNOWN_AS),
    first=NAME,
    last=NAME,
    city=st.one_of(ODD_TEXT, AT_LIMIT),
    address=st.one_of(st.none(), LONG_ADDRESS),
    subject=HINTED_TEXT,
    body=st.one_of(ODD_TEXT, HINTED_TEXT),
)
# Bugs these found, kept as fixed examples: each was a 500 on PostgreSQL.
@example(  # two hints in an edited subject became a 250+ character subject
    known_as=("A" * 100, "B" * 100),
    first="",
    last="",
    city="",
    address=None,
    subject="[your name] [your name]",
    body="",
)
@example(  # 40 characters typed, 120 once cleaned (NFC)
    known_as=None, first="\ufb2c" * 40, last="Doe", city="", address=None, subject="Hello", body=""
)
@example(  # a valid address whose lower-case key is longer than 254 characters
    known_as=None, first="Sok", last="Chea", city="", address=LONG_ADDRESS_EXAMPLE, subject="Hello", body=""
)
def test_every_accepted_email_is_stored_whole_and_every_refusal_says_why(
    campaign, recognise, known_as, first, last, city, address, subject, body
):
    """Plausible but hostile details and edits: each one accepted fits the database whole (names
    after cleaning, subjects after our hints are filled in); each one refused writes nothing."""
    page = campaign.page
    first_target = campaign.targets[0].pk
    body = "Dear office, please act.\n" + body
    data = {**campaign.texts, f"subject_{first_target}": subject, f"body_{first_target}": body}
    if known_as is None:
        supporter = None
        email = address or f"hostile{next(FRESH)}@example.org"
        data.update(first_name=first, last_name=last, city=city, email=email, postal_code="95110")
        client = Client(raise_request_exception=False)
    else:
        supporter = SupporterFactory(first_name=known_as[0], last_name=known_as[1])
        client = recognised_client(recognise, supporter)
    before = counts()
    response = client.post(page.url + "email/", data)
    if supporter is None and response.status_code == 302:
        supporter = Supporter.objects.by_email(data["email"]).get()
    assert_email_answer(page, response, supporter, before)


@hypothesis_settings(30)
@given(body=st.binary(max_size=2000))
def test_email_raw_bodies_including_invalid_utf8(campaign, recognise, body):
    supporter = SupporterFactory()
    for client in (Client(raise_request_exception=False), recognised_client(recognise, supporter)):
        before = counts()
        response = client.post(campaign.page.url + "email/", body, content_type="application/x-www-form-urlencoded")
        # No raw body can carry both messages and the details, so every one is refused.
        assert response.status_code == 400
        assert counts() == before
        assert 'id="error-summary"' in response.content.decode()

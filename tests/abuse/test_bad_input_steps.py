"""Bad input on every step after signing: a clean answer, never a 500, no action lost or doubled.

Property-based (hypothesis), like tests/abuse/test_bad_input.py: each example is one or more real
requests through the full middleware stack to a campaign page's own routes (email/, email/sent/,
call/, call/log/, share/, share/log/, sign/, forget/, thanks/ and the go/... one-click links).

Requests sent per run: examples (max_examples, plus the fixed @example cases that pin bugs these
tests found) x requests per example. Hypothesis runs fewer when it has tried every distinct
example, as it does for the 4 link kinds x 2 browsers of the valid-link test.

  test_email_post_with_any_fields_anonymous ............................ 40 x 1 =  40
  test_email_post_with_any_fields_recognised ........................... 40 x 1 =  40
  test_every_accepted_email_is_stored_whole_and_every_refusal_says_why . 53 x 1 =  53
  test_email_raw_bodies_including_invalid_utf8 ......................... 30 x 2 =  60
  test_call_log_with_any_target_and_outcome ............................ 60 x 1 =  60
  test_share_log_with_any_channel ...................................... 50 x 2 = 100
  test_one_button_sign_with_any_fields_signs_once ...................... 41 x 2 =  82
  test_signatures_with_details_at_their_limits ......................... 33 x 1 =  33
  test_tampered_or_random_one_click_links .............................. 50 x 2 = 100
  test_a_valid_link_posted_twice_acts_once .............................. 8 x 3 =  24
  test_step_pages_with_any_query_string ................................ 20 x 8 = 160
                                                                                   ---
                                                                                   752

Each test's fixture also sends one GET (the email form's starting texts).
"""

import functools
import itertools
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from actions.links import LINK_KINDS
from actions.models import Action, ActionKind, CallOutcome, OutboundMessage, ShareChannel, Supporter
from actions.text import email_key
from tests.factories import SupporterFactory, campaign_page, email_action, email_form_texts, email_target

pytestmark = pytest.mark.django_db


def hypothesis_settings(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- Input --------------------------------------------------------------------------------------

# Any text the test client can encode (lone surrogates cannot be sent as UTF-8 at all).
ANY_CHAR = st.characters(exclude_categories=["Cs"])
ANY_TEXT = st.text(ANY_CHAR, max_size=200)
# Pieces that are hard on text handling: line breaks (email headers), NUL (PostgreSQL refuses it),
# invisible and bidi characters, our own "[your name]" hints and placeholders (filled in after
# validation), and characters whose normal form (NFC) is longer than they are, so text that fits
# a field before cleaning may not fit it after.
PIECES = [
    "\r\n",
    "\r",
    "\n",
    "\x00",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "<b>",
    '"',
    "\ufb2c",
    "\u0958",
    "\U0001d160",
    "\u0130",
    "[your name]",
    "[your first name]",
    "[your city]",
    "[your ZIP code]",
    "{first_name}",
    "{{ settings.SECRET_KEY }}",
    "Bcc: x@example.com",
]
ODD_TEXT = st.lists(st.one_of(st.sampled_from(PIECES), ANY_CHAR), max_size=60).map("".join)
# Text up to a 100-character field limit, much of it characters that grow when cleaned: under NFC
# (Hebrew and Devanagari letters with marks, musical symbols) or when upper-cased (a ligature).
GROWING = ["\ufb2c", "\u0958", "\U0001d160", "\ufb03", "a", " "]
AT_LIMIT = st.tuples(st.text(st.sampled_from(GROWING), min_size=20, max_size=100), ANY_TEXT).map(
    lambda parts: (parts[0] + parts[1])[:100]
)
VALUE = st.one_of(ANY_TEXT, ODD_TEXT, AT_LIMIT)
# Addresses around the 254-character limit whose domain grows when lower-cased ("\u0130" is two
# code points in lower case), as it is for the key supporters are found by.
LONG_ADDRESS = st.lists(st.text(st.sampled_from(["\u0130", "a"]), min_size=1, max_size=63), min_size=2, max_size=4).map(
    lambda labels: "a@" + ".".join(labels) + ".org"
)
LONG_ADDRESS_EXAMPLE = "a@" + ".".join(["\u0130" * 63] * 3) + "." + "b" * 50 + ".com"
# A fresh address for each example, so that replaying one (while shrinking) starts from scratch
# instead of repeating an earlier example's action.
FRESH = itertools.count()
# A path segment Wagtail's page routing lets through (letters, digits, _ and -), or anything at all.
SEGMENT = st.one_of(st.from_regex(r"[\w-]{0,60}", fullmatch=True), ANY_TEXT)


def email_step(**overrides):
    value = {
        "heading": "Email the decision makers",
        "button_label": "Send my emails",
        "subject": "Please act, {target_title}",
        "body": "{salutation},\n\nPlease act: {ask}\n\n{personal_note}\n\nSincerely,\n{full_name}\n{city} {postal_code}",
        "supporters_may_edit": True,
        "min_body_length": 20,
        "max_body_length": 2000,
        "targets": [],
    }
    value.update(overrides)
    return value


class Campaign:
    """The pages every test here uses: one where supporters may edit the emails and one where they
    may only add a note, both with two email targets and every step."""

    def __init__(self):
        self.targets = [
            email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen"),
            email_target(name="Gavin Newsom", title="Governor", salutation="Dear Governor Newsom"),
        ]
        self.elsewhere = email_target(name="Not on this campaign")
        steps = [("sign", {}), ("email", email_step()), ("call", {}), ("share", {})]
        self.page = campaign_page(targets=self.targets, action_steps=steps)
        # What a browser with JavaScript off submits for a visitor it does not recognise.
        self.texts = email_form_texts(Client(), self.page)
        assert len(self.texts) == 4

    @functools.cached_property
    def fixed_page(self):
        """Made only for the tests that use it: publishing a page takes a good part of a second."""
        steps = [("sign", {}), ("email", email_step(supporters_may_edit=False)), ("call", {}), ("share", {})]
        return campaign_page(targets=self.targets, action_steps=steps)

    def field_name(self, name: str) -> str:
        """'subject_0' -> 'subject_<pk of the first target>'; other names stay as they are."""
        prefix, _, index = name.rpartition("_")
        if prefix in ("subject", "body") and index in ("0", "1"):
            return f"{prefix}_{self.targets[int(index)].pk}"
        return name


@pytest.fixture
def campaign():
    return Campaign()


def recognised_client(recognise, supporter=None) -> Client:
    client = Client(raise_request_exception=False)
    return recognise(client, supporter) if supporter is not None else client


def supporter_cookie_set(response) -> bool:
    cookie = response.cookies.get(django_settings.SUPPORTER_COOKIE_NAME)
    return cookie is not None and cookie.value != ""


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
        assert len(supporter.email_key) <= 254 and len(supporter.postal_code) <= 20
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
        supporter = Supporter.objects.get(email_key=email_key(data["email"].strip()))
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
        supporter = Supporter.objects.get(email_key=email_key(data["email"]))
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


# --- call/log/ ----------------------------------------------------------------------------------

TARGET_CHOICE = st.one_of(st.sampled_from(["first", "second", "elsewhere", "missing", "0", "-1", "1e3"]), ANY_TEXT)
OUTCOME = st.one_of(st.sampled_from([*CallOutcome.values, "", "hung_up", "TALKED", "talked\x00"]), ANY_TEXT)
EXTRA = st.dictionaries(ANY_TEXT, st.one_of(ANY_TEXT, ODD_TEXT), max_size=5)


@hypothesis_settings(60)
@given(target=TARGET_CHOICE, outcome=OUTCOME, extra=EXTRA, recognised=st.booleans())
def test_call_log_with_any_target_and_outcome(campaign, recognise, target, outcome, extra, recognised):
    page = campaign.page
    ids = {"first": campaign.targets[0].pk, "second": campaign.targets[1].pk, "elsewhere": campaign.elsewhere.pk}
    data = dict(extra)
    if target != "missing":
        data["target"] = str(ids.get(target, target))
    data["outcome"] = outcome
    supporter = SupporterFactory()
    before = Action.objects.filter(kind=ActionKind.CALL).count()
    response = recognised_client(recognise, supporter if recognised else None).post(page.url + "call/log/", data)
    logged = Action.objects.filter(kind=ActionKind.CALL, supporter=supporter)
    if not recognised:
        assert response.status_code == 302 and response["Location"] == page.url
    elif target in ("first", "second") and outcome in CallOutcome.values:
        assert response.status_code == 303
    elif target in ("elsewhere", "missing", "0", "-1", "1e3") or outcome not in CallOutcome.values:
        assert response.status_code == 400
    else:  # other text the view may read as one of the targets' ids, say " 12" or "012"
        assert response.status_code in (303, 400)
    if response.status_code == 303:
        call = logged.get()
        assert call.outcome == outcome and call.campaign_id == page.pk
        assert call.target_id in {t.pk for t in campaign.targets}
        assert response["Location"] == f"{page.url}call/?logged=1#target-{call.target_id}"
    else:
        assert not logged.exists()
    assert Action.objects.filter(kind=ActionKind.CALL).count() == before + logged.count()


# --- share/log/ ---------------------------------------------------------------------------------

CHANNEL = st.one_of(st.sampled_from([*ShareChannel.values, "", "myspace", "SMS", "sms\x00"]), ANY_TEXT)


@hypothesis_settings(50)
@given(channel=CHANNEL, extra=EXTRA, recognised=st.booleans())
def test_share_log_with_any_channel(campaign, recognise, channel, extra, recognised):
    page = campaign.page
    supporter = SupporterFactory()
    client = recognised_client(recognise, supporter if recognised else None)
    before = Action.objects.filter(kind=ActionKind.SHARE).count()
    assert client.get(page.url + "share/log/", {"channel": channel, **extra}).status_code == 405
    response = client.post(page.url + "share/log/", {**extra, "channel": channel})
    shared = Action.objects.filter(kind=ActionKind.SHARE, supporter=supporter)
    if channel in ShareChannel.values:
        assert response.status_code == 204
        assert list(shared.values_list("outcome", flat=True)) == ([channel] if recognised else [])
    else:
        assert response.status_code == 400
        assert not shared.exists()
    assert Action.objects.filter(kind=ActionKind.SHARE).count() == before + shared.count()


# --- sign/ (the one-button signature of a recognised supporter) ----------------------------------

SIGN_FIELDS = st.fixed_dictionaries(
    {}, optional={"consent": st.one_of(st.just("on"), VALUE), "source": VALUE, "ref": VALUE, "first_name": VALUE}
)


@hypothesis_settings(40)
@given(fields=SIGN_FIELDS, extra=EXTRA, recognised=st.booleans())
@example(fields={"consent": "on", "source": "\x00"}, extra={}, recognised=True)  # was a 500 on PostgreSQL
def test_one_button_sign_with_any_fields_signs_once(campaign, recognise, fields, extra, recognised):
    page = campaign.page
    data = {**extra, **fields}
    supporter = SupporterFactory()
    client = recognised_client(recognise, supporter if recognised else None)
    before = Action.objects.count()
    for _ in range(2):
        response = client.post(page.url + "sign/", data)
        assert response.status_code == 302
        assert response["Location"] == (page.url + "thanks/" if recognised else page.url)
    signed = Action.objects.filter(supporter=supporter)
    if recognised:
        action = signed.get()
        assert action.kind == ActionKind.SIGN and action.consent == (data.get("consent") == "on")
        assert "\x00" not in action.source and len(action.source) <= 64
        assert all(c.isalnum() or c in "_-" for c in action.referrer_code)
    assert Action.objects.count() == before + signed.count()


# --- The petition form itself, with details that only outgrow their fields once cleaned ---------


@hypothesis_settings(30)
@given(
    first=st.one_of(st.just("Sok"), AT_LIMIT),
    last=st.one_of(st.just("Chea"), AT_LIMIT),
    city=st.one_of(st.just("Phnom Penh"), AT_LIMIT),
    postal_code=st.one_of(st.just("12000"), AT_LIMIT.map(lambda text: text[:20])),
    address=st.one_of(st.none(), LONG_ADDRESS),
)
# Bugs these found, kept as fixed examples: each was a 500 on PostgreSQL.
@example(first="Sok", last="Chea", city="\u0958" * 60, postal_code="12000", address=None)  # 120 once NFC
@example(first="Sok", last="Chea", city="", postal_code="\ufb03" * 20, address=None)  # 60 once upper-cased
@example(first="Sok", last="Chea", city="", postal_code="12000", address=LONG_ADDRESS_EXAMPLE)
def test_signatures_with_details_at_their_limits(campaign, first, last, city, postal_code, address):
    """The petition form outside the US (any postal code), with details that fit as typed."""
    page = campaign.page
    email = address or f"limits{next(FRESH)}@example.org"
    data = dict(first_name=first, last_name=last, email=email, city=city, country="ZZ", postal_code=postal_code)
    before = Action.objects.count()
    response = Client(raise_request_exception=False).post(page.url, data)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        supporter = Supporter.objects.get(email_key=email_key(email))
        assert Action.objects.get(supporter=supporter, campaign_id=page.pk).kind == ActionKind.SIGN
        assert max(len(supporter.first_name), len(supporter.last_name), len(supporter.city)) <= 100
        assert len(supporter.email_key) <= 254 and len(supporter.postal_code) <= 20
    else:
        assert Action.objects.count() == before
        assert 'id="error-summary"' in response.content.decode()


# --- go/<kind>/<payload>/<stamp>/<signature>/ one-click links -----------------------------------


def link_segments(page, supporter, kind) -> list[str]:
    url = page.one_click_url(supporter=supporter, kind=kind)
    return url[url.index(page.url) + len(page.url) :].strip("/").split("/")[1:]


EDIT = st.tuples(
    st.sampled_from(["replace", "insert", "cut", "swap", "drop", "add"]),
    st.integers(0, 4),  # which segment
    st.integers(0, 80),  # where in it
    SEGMENT,
)


@hypothesis_settings(50)
@given(kind=st.sampled_from(LINK_KINDS), edits=st.lists(EDIT, min_size=1, max_size=3))
def test_tampered_or_random_one_click_links(campaign, kind, edits):
    """Every link that is not exactly one we made gets the friendly refusal (400) or, when
    Wagtail cannot route it at all, a 404; it never acts and never recognises anyone."""
    page = campaign.page
    supporter = SupporterFactory()
    original = link_segments(page, supporter, kind)
    segments = list(original)
    for op, index, at, text in edits:
        index = min(index, len(segments) - 1) if segments else 0
        if op == "drop" and segments:
            del segments[index]
        elif op == "add":
            segments.insert(index, text)
        elif not segments:
            segments.append(text)
        elif op == "swap":
            segments[index] = text
        elif op == "replace":
            old = segments[index]
            segments[index] = old[:at] + text + old[at + 1 :]
        elif op == "insert":
            segments[index] = segments[index][:at] + text + segments[index][at:]
        else:
            segments[index] = segments[index][:at]
    assume(segments != original)
    path = page.url + "go/" + "".join(urllib.parse.quote(s, safe="") + "/" for s in segments)
    before = Action.objects.count()
    client = Client(raise_request_exception=False)
    for response in (client.get(path), client.post(path)):
        assert response.status_code in (400, 404), path
        if response.status_code == 400:
            html = response.content.decode()
            assert "You can still take part here." in html and 'name="first_name"' in html
        assert not supporter_cookie_set(response)
    assert Action.objects.count() == before


@hypothesis_settings(30)
@given(kind=st.sampled_from(LINK_KINDS), as_someone_else=st.booleans())
def test_a_valid_link_posted_twice_acts_once(campaign, recognise, kind, as_someone_else):
    page = campaign.page
    supporter = SupporterFactory()
    client = recognised_client(recognise, SupporterFactory() if as_someone_else else None)
    path = page.url + "go/" + "/".join(link_segments(page, supporter, kind)) + "/"
    before = Action.objects.count()
    assert client.get(path).status_code == 200
    destination = page.url + ("thanks/" if kind == ActionKind.SIGN else f"{kind}/")
    for _ in range(2):
        response = client.post(path)
        assert response.status_code == 303 and response["Location"] == destination
        assert supporter_cookie_set(response)
    taken = Action.objects.filter(supporter=supporter)
    assert list(taken.values_list("kind", flat=True)) == ([ActionKind.SIGN] if kind == ActionKind.SIGN else [])
    assert Action.objects.count() == before + taken.count()


# --- GET with any query string on every step page ----------------------------------------------


@pytest.fixture
def emailed(campaign):
    """A supporter who has already sent the campaign's emails."""
    return email_action(campaign.page).supporter


@hypothesis_settings(20)
@given(query=st.binary(max_size=300), who=st.sampled_from(["anonymous", "recognised", "emailed"]))
def test_step_pages_with_any_query_string(campaign, recognise, emailed, query, who):
    page = campaign.page
    supporter = {"anonymous": None, "recognised": SupporterFactory(), "emailed": emailed}[who]
    client = recognised_client(recognise, supporter)
    emailed_already = who == "emailed"
    expected = {
        "sign/": 302,
        "thanks/": 200,
        "email/": 302 if emailed_already else 200,
        "email/sent/": 200 if emailed_already else 302,
        "call/": 200,
        "share/": 200,
        "call/log/": 405,
        "forget/": 302,  # last: it makes the browser forget the supporter
    }
    before = Action.objects.count()
    for route, status in expected.items():
        response = client.get(page.url + route, QUERY_STRING=urllib.parse.quote_from_bytes(query, safe="=&%+"))
        assert response.status_code == status, route
    assert Action.objects.count() == before

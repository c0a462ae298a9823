"""Header injection: whatever a supporter types (CR, LF, header-looking text, markup) goes through
the real email form and the real send path to anymail's test backend without ever adding a header
line, and markup is escaped in the HTML part.

Every example must reach the send path: the inputs are built so the form accepts them (each
name has a letter, the body is long enough), and an example the form refuses, or that is
flagged and held back, fails the test instead of passing unseen. The test counts the examples
that reached the send path and checks they were all of them.
"""

from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from actions.models import Action, OutboundMessage, Supporter
from actions.outbox import take
from actions.text import clean_line
from tests.factories import campaign_page, email_form_texts, email_target

EXAMPLES = 8
NASTY = st.sampled_from(
    [
        "\r\nBcc: victim@example.com",
        "\nSubject: injected",
        "\r\n\r\n<html>body</html>",
        "Reply-To: evil@example.com\r\n",
        "<script>alert(1)</script>",
        "\u2028To: x@example.com",
        "=?utf-8?q?evil?=",
        '"quoted" <evil@example.com>',
    ]
)
# Any text the form keeps (Django refuses NUL outright), short enough that a field stays within
# its limit even after cleaning lengthens it.
SHORT_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=10)
# A word first, so every name has a letter and every subject something left once cleaned.
FIELD = st.tuples(
    st.sampled_from(["Jane", "Sok", "Zoë", "Nguyễn"]), st.lists(st.one_of(NASTY, SHORT_TEXT), max_size=2)
).map(lambda parts: parts[0] + "".join(parts[1]))
# Longer than the campaign's shortest accepted message on its own.
LETTER = "Dear District Attorney Rosen,\n\nPlease stop the deportation of Kang Hen today.\n\n"
# Header lines a sent message may have (multipart/alternative, anymail's test backend).
HEADERS = {"content-type", "mime-version", "subject", "from", "to", "reply-to", "date", "message-id"}
# Emails to supporters also carry the one-click unsubscribe headers (RFC 2369, RFC 8058).
UNSUBSCRIBE = {"list-unsubscribe", "list-unsubscribe-post"}


@pytest.fixture
def page():
    return campaign_page(targets=[email_target(name="Jeff Rosen", email="da@example.gov")], sender_name="Free Kang Hen")


def header_names(sent) -> list[str]:
    """The name of every header line of the message as sent (continuation lines are not headers)."""
    head = sent.message().as_bytes().split(b"\n\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0].lower() for line in head.split("\n") if line and line[0] not in " \t"]


def assert_headers_hold(sent, *, to: str, reply_to: str | None, display_name: str, to_supporter: bool = False):
    """The message as sent has only our header lines, once each, and exactly these addresses."""
    names = header_names(sent)
    assert set(names) <= HEADERS | UNSUBSCRIBE and len(names) == len(set(names)), names
    assert (UNSUBSCRIBE <= set(names)) == to_supporter and (UNSUBSCRIBE & set(names) == set()) != to_supporter
    assert ("reply-to" in names) == (reply_to is not None), names
    message = sent.message()
    assert parseaddr(message["To"]) == ("", to)
    assert parseaddr(message["From"])[1] == "campaign@example.org"
    assert parseaddr(message["Reply-To"] or "") == ("", reply_to or "")
    # What the backend was given, before encoding for the wire: the supporter's text is there.
    assert parseaddr(sent.from_email) == (display_name, "campaign@example.org")
    html = sent.alternatives[0][0] if sent.alternatives else ""
    assert "<script" not in html and "<html>" not in html


def send_one(page, *, n, first, last, city, subject, body, note):
    """One new supporter emails through the page, as a browser would; returns the supporter."""
    cache.clear()  # each example is a new supporter's first try, not a repeat the limits would flag
    mail.outbox.clear()
    client = Client()  # no supporter cookie from an earlier example
    data = email_form_texts(client, page)
    assert data, "the page offers no editable subject and body"
    for name in list(data):
        data[name] = subject if name.startswith("subject_") else LETTER + body
    address = f"jane{n}@example.org"
    data.update(first_name=first, last_name=last, email=address, postal_code="95110", city=city, personal_note=note)
    response = client.post(page.url + "email/", data)
    assert response.status_code == 302 and response["Location"] == page.url + "email/sent/", response.status_code
    return Supporter.objects.by_email(address).get()


@pytest.mark.django_db
def test_no_field_ever_reaches_an_email_header(page, django_capture_on_commit_callbacks):
    take.delivery_switch(campaign_id=page.pk, deliver_to_targets=True, user=None)
    runs = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    @example(
        first="Jane <script>alert(1)</script> Bcc: x@example.com",
        last='Doe "quoted" <evil@example.com>',
        city="San Jose",
        subject="Hello Reply-To: evil@example.com",
        body="<html>body</html> To: x@example.com",
        note="Subject: injected",
    )
    @given(first=FIELD, last=FIELD, city=FIELD, subject=FIELD, body=FIELD, note=FIELD)
    def one_supporter(**fields):
        runs.append("started")
        with django_capture_on_commit_callbacks(execute=True):
            supporter = send_one(page, n=len(runs), **fields)
        action = Action.objects.get(supporter=supporter, campaign_id=page.pk)
        assert (action.flagged, action.flag_reason) == (False, "")
        assert sorted(sent.to for sent in mail.outbox) == [["da@example.gov"], [supporter.email]]
        assert set(action.messages.values_list("status", flat=True)) == {OutboundMessage.Status.SENT}
        display_name = f"{supporter.first_name} {supporter.last_name} via Free Kang Hen"
        assert supporter.first_name == clean_line(fields["first"]), supporter.first_name
        to_target = next(sent for sent in mail.outbox if sent.to == ["da@example.gov"])
        assert_headers_hold(to_target, to="da@example.gov", reply_to=supporter.email, display_name=display_name)
        assert to_target.subject == clean_line(fields["subject"])
        thanks = next(sent for sent in mail.outbox if sent.to == [supporter.email])
        assert_headers_hold(thanks, to=supporter.email, reply_to=None, display_name="Free Kang Hen", to_supporter=True)
        runs[-1] = "reached the send path"

    one_supporter()
    # The explicit example and every generated one went all the way to the provider.
    assert len(runs) >= EXAMPLES + 1
    assert set(runs) == {"reached the send path"}

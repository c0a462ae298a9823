"""Header injection: whatever a supporter types (CR, LF, header-looking text, markup) goes through
the real email form and the real send path to anymail's test backend without ever adding a header
line, and markup is escaped in the HTML part."""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.cache import cache
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actions.models import Action, OutboundMessage
from actions.outbox import take
from tests.factories import campaign_page, email_form_texts, email_target

HYPOTHESIS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
FIELD = st.lists(st.one_of(NASTY, st.text(max_size=20)), min_size=1, max_size=4).map("".join)


@pytest.fixture
def page():
    return campaign_page(targets=[email_target(name="Jeff Rosen", email="da@example.gov")], sender_name="Free Kang Hen")


@pytest.mark.django_db
@HYPOTHESIS
@example(
    first="Jane <script>alert(1)</script> Bcc: x@example.com",
    last="Doe",
    city="San Jose",
    subject="Hello Reply-To: evil@example.com",
    body="<html>body</html> To: x@example.com",
    note="Subject: injected",
)
@given(first=FIELD, last=FIELD, city=FIELD, subject=FIELD, body=FIELD, note=FIELD)
def test_no_field_ever_reaches_an_email_header(
    page, client, django_capture_on_commit_callbacks, first, last, city, subject, body, note
):
    cache.clear()  # each example is a new supporter's first try, not a repeat the limits would flag
    mail.outbox.clear()
    OutboundMessage.objects.all().delete()
    Action.objects.all().delete()
    take.delivery_switch(campaign_id=page.pk, deliver_to_targets=True, user=None)
    data = email_form_texts(client, page)
    for name in list(data):
        data[name] = subject if name.startswith("subject_") else body + "\n\n" + note
    data.update(first_name=first, last_name=last, email="jane@example.org", postal_code="95110", city=city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url + "email/", data)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        # The form refused the input with errors next to the fields: nothing may be queued.
        assert not OutboundMessage.objects.exists() and mail.outbox == []
        return
    assert len(mail.outbox) == 2
    for sent in mail.outbox:
        message = sent.message()
        for header, value in message.items():
            # RFC 5322 folding (a line break followed by a space) is one header; anything else is not.
            text = re.sub(r"\r?\n[ \t]", " ", str(value))
            assert "\r" not in text and "\n" not in text, (header, text)
        assert parseaddr(message["From"])[1] == "campaign@example.org"
        assert message.get_all("Bcc") is None and len(message.get_all("To")) == 1
        assert len(message.get_all("Subject")) == 1 and len(message.get_all("From")) == 1
        html = sent.alternatives[0][0] if sent.alternatives else ""
        assert "<script" not in html and "<html>" not in html
    to_target = next(m for m in mail.outbox if m.to == ["da@example.gov"])
    assert to_target.reply_to == ["jane@example.org"]
    assert parseaddr(to_target.message()["Reply-To"])[1] == "jane@example.org"
    thanks = next(m for m in mail.outbox if m.to == ["jane@example.org"])
    assert thanks.message()["To"] == "jane@example.org"

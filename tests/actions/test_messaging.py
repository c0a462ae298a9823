"""The email outbox services: personalising, the rows written with the action, review mode,
how each target is reached, suppressions, caps, digests and the totals."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from actions import totals
from actions.intake import Submission
from actions.models import Action, DailyTotal, DeliverySwitch, OutboundMessage, Suppression, Target
from actions.outbox import compose, deliver, digests, take
from actions.selectors import campaign_totals
from tests.factories import SupporterFactory, campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


def to_targets(action):
    return list(action.messages.filter(kind="target").select_related("target").order_by("pk"))


def send_all():
    for message_id in OutboundMessage.objects.filter(status="queued", delivery="direct").values_list("pk", flat=True):
        deliver.message_send(message_id=message_id)


@pytest.fixture
def page():
    return campaign_page(
        targets=[
            email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen"),
            email_target(name="Gavin Newsom", title="Governor", salutation="Dear Governor Newsom"),
        ],
        sender_name="Free Kang Hen",
    )


def test_one_message_per_target_and_one_thank_you_commit_with_the_action(page):
    supporter = SupporterFactory(first_name="Jane", last_name="Doe")
    result = email_action(page, supporter=supporter)
    assert result.created and result.action.kind == "email" and result.action.target_id is None
    messages = to_targets(result.action)
    assert [m.target.name for m in messages] == ["Jeff Rosen", "Gavin Newsom"]
    assert messages[0].body.startswith("Dear District Attorney Rosen,")
    assert "Jane Doe" in messages[0].body
    assert messages[0].from_name == "Jane Doe via Free Kang Hen"
    assert result.action.messages.filter(kind="thanks").count() == 1


def test_repeating_the_action_writes_nothing_new(page):
    supporter = SupporterFactory()
    email_action(page, supporter=supporter)
    again = email_action(page, supporter=supporter)
    assert not again.created
    assert OutboundMessage.objects.count() == 3
    assert Action.objects.filter(kind="email").count() == 1


def test_outbox_rows_roll_back_with_the_action(page, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(take, "_thank_you_for", broken)
    with pytest.raises(IntegrityError):
        email_action(page)
    assert not Action.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_safe_until_switched_on_everything_goes_to_the_review_address(page, settings):
    settings.EMAIL_REVIEW_ADDRESS = "organisers@example.org"
    result = email_action(page)
    messages = to_targets(result.action)
    assert {m.to_email for m in messages} == {"organisers@example.org"}
    assert all(m.review for m in messages)
    send_all()
    assert sorted(e.to[0] for e in mail.outbox if e.to[0] != result.supporter.email) == ["organisers@example.org"] * 2


def test_switching_on_sends_to_the_targets_and_is_logged(page, django_user_model):
    editor = django_user_model.objects.create_user(username="ed", password="x")
    take.delivery_switch(campaign_id=page.pk, deliver_to_targets=True, user=editor)
    result = email_action(page)
    assert [m.to_email for m in to_targets(result.action)] == [t.email for t in page.targets()]
    assert not any(m.review for m in to_targets(result.action))
    switch = DeliverySwitch.objects.get()
    assert (switch.deliver_to_targets, switch.switched_by) == (True, editor)


def test_from_is_the_campaign_reply_to_is_the_supporter_to_is_the_target(page):
    supporter = SupporterFactory(first_name="Jane", last_name="Doe", email="jane@example.net")
    result = email_action(page, supporter=supporter, live=True)
    send_all()
    sent = {e.to[0]: e for e in mail.outbox}
    rosen = sent[page.targets()[0].email]
    assert rosen.from_email == '"Jane Doe via Free Kang Hen" <campaign@example.org>'
    assert "jane@example.net" not in rosen.from_email
    assert rosen.reply_to == ["jane@example.net"]
    assert rosen.metadata["message_id"] == str(to_targets(result.action)[0].pk)
    assert rosen.tags[:2] == [f"campaign-{page.pk}", f"target-{page.targets()[0].pk}"]


def test_crlf_in_a_name_never_reaches_a_header(page):
    supporter = SupporterFactory(first_name="Jane\r\nBcc: victim@example.com", last_name="Doe\nX-Evil: 1")
    email_action(page, supporter=supporter, live=True)
    send_all()
    for email in mail.outbox:
        message = email.message()
        for header in ("From", "Subject", "Reply-To", "To"):
            value = str(message[header] or "")
            assert "\r" not in value and "\n" not in value
        assert message["Bcc"] is None and message["X-Evil"] is None
    assert OutboundMessage.objects.filter(kind="target").first().from_name == (
        "Jane Bcc: victim@example.com Doe X-Evil: 1 via Free Kang Hen"
    )


def test_an_edited_subject_still_fits_once_the_hints_become_a_long_name(page):
    supporter = SupporterFactory(first_name="A" * 100, last_name="B" * 100)
    subject = compose.supporter_subject_fill("[your name] [your name] asks you", supporter=supporter)
    assert len(subject) == compose.SUBJECT_MAX_LENGTH == 250
    assert subject.startswith("A" * 100 + " " + "B" * 100 + " AAA")
    draft = compose.Draft(target=page.targets()[0], subject=subject, body="Please act.")
    result = take.email_action_take(
        campaign=page.email_campaign(), supporter=supporter, drafts=[draft], submission=Submission()
    )
    assert to_targets(result.action)[0].subject == subject


def test_template_syntax_in_supporter_text_is_shown_literally(page):
    supporter = SupporterFactory(first_name="{target_name}", last_name="{{ secret }}", city="{% debug %}")
    email_action(page, supporter=supporter, personal_note="Please {ask} and {salutation}")
    body = OutboundMessage.objects.filter(kind="target").order_by("pk").first().body
    assert "{target_name} {{ secret }}" in body
    assert "{% debug %}" in body
    assert "Please {ask} and {salutation}" in body


def test_html_is_escaped_in_the_html_part(page):
    supporter = SupporterFactory(first_name="<b>Jane</b>", last_name="<script>alert(1)</script>")
    email_action(page, supporter=supporter, live=True)
    send_all()
    email = next(e for e in mail.outbox if e.to[0] == page.targets()[0].email)
    html = email.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in email.body  # the plain text part is plain text


def test_mailto_targets_get_a_link_and_no_send(page):
    Target.objects.filter(name="Gavin Newsom").update(delivery=Target.Delivery.MAILTO)
    result = email_action(page, live=True)
    newsom = to_targets(result.action)[1]
    assert newsom.status == Status.MAILTO
    link = compose.mailto_link(newsom)
    assert link.startswith(f"mailto:{newsom.to_email}?subject=")
    assert "Dear%20Governor%20Newsom" in link
    send_all()
    assert newsom.to_email not in [e.to[0] for e in mail.outbox]


def test_targets_not_reached_by_email_get_no_message(page):
    Target.objects.filter(name="Gavin Newsom").update(delivery=Target.Delivery.NONE)
    result = email_action(page, live=True)
    assert [m.target.name for m in to_targets(result.action)] == ["Jeff Rosen"]


def test_a_suppressed_address_gets_no_send(page):
    rosen = page.targets()[0]
    Suppression.objects.create(address=rosen.email.upper().lower(), reason="bounced")
    result = email_action(page, live=True)
    message = to_targets(result.action)[0]
    assert message.status == Status.SUPPRESSED
    send_all()
    assert rosen.email not in [e.to[0] for e in mail.outbox]


def test_address_suppressed_after_queueing_is_not_sent(page):
    result = email_action(page, live=True)
    message = to_targets(result.action)[0]
    Suppression.objects.create(address=message.to_email, reason="complained")
    assert deliver.message_send(message_id=message.pk).status == Status.SUPPRESSED
    assert message.to_email not in [e.to[0] for e in mail.outbox]


def test_hourly_cap_defers_through_next_attempt_time(page):
    Target.objects.filter(name="Jeff Rosen").update(max_messages_per_hour=1)
    first = email_action(page, live=True)
    second = email_action(page, live=True)
    one, two = to_targets(first.action)[0], to_targets(second.action)[0]
    assert deliver.message_send(message_id=one.pk).status == Status.SENT
    assert deliver.message_send(message_id=two.pk).status == "deferred"
    two.refresh_from_db()
    assert two.status == Status.QUEUED and two.attempts == 0
    assert two.next_attempt_at >= timezone.now() + datetime.timedelta(minutes=59)
    assert deliver.message_send(message_id=two.pk, now=two.next_attempt_at).status == Status.SENT


def test_digest_targets_get_one_email_a_day_at_their_hour(page):
    Target.objects.filter(name="Jeff Rosen").update(delivery=Target.Delivery.DIGEST, digest_hour=8)
    for _ in range(3):
        email_action(page, live=True)
    rows = OutboundMessage.objects.filter(delivery="digest")
    assert rows.count() == 3 and set(rows.values_list("status", flat=True)) == {"queued"}
    due = rows.first().next_attempt_at
    assert due.astimezone(datetime.timezone(datetime.timedelta(hours=-8))).hour in (8, 9)  # 08:00 Pacific
    assert digests.digests_send(now=due - datetime.timedelta(minutes=1)) == 0
    mail.outbox.clear()
    assert digests.digests_send(now=due) == 1
    assert digests.digests_send(now=due) == 0
    sent = [e for e in mail.outbox if e.to == [page.targets()[0].email]]
    assert len(sent) == 1
    assert sent[0].body.count("Subject:") == 3
    assert set(rows.values_list("status", flat=True)) == {"sent"}


def test_next_digest_is_today_before_the_hour_and_tomorrow_after(page):
    target = Target(time_zone="America/Los_Angeles", digest_hour=8)
    morning = datetime.datetime(2026, 11, 27, 14, 0, tzinfo=datetime.UTC)  # 06:00 in Los Angeles
    evening = datetime.datetime(2026, 11, 27, 20, 0, tzinfo=datetime.UTC)  # 12:00 in Los Angeles
    assert take.next_digest_at(target=target, now=morning) == datetime.datetime(
        2026, 11, 27, 16, 0, tzinfo=datetime.UTC
    )
    assert take.next_digest_at(target=target, now=evening) == datetime.datetime(
        2026, 11, 28, 16, 0, tzinfo=datetime.UTC
    )


def test_thank_you_goes_once_to_the_supporter_with_what_was_sent(page):
    supporter = SupporterFactory(email="jane@example.net", first_name="Jane")
    email_action(page, supporter=supporter, live=True)
    email_action(page, supporter=supporter, live=True)
    send_all()
    thanks = [e for e in mail.outbox if e.to == ["jane@example.net"]]
    assert len(thanks) == 1
    assert "Jeff Rosen" in thanks[0].body and "Gavin Newsom" in thanks[0].body
    assert "/your-data/" in thanks[0].body and "to stop updates" in thanks[0].body.lower()
    assert thanks[0].reply_to == []


def test_emails_are_counted_per_target_in_the_totals(page):
    email_action(page)
    email_action(page)
    totals.totals_fold()
    assert campaign_totals(campaign_id=page.pk)["email"] == 4
    per_target = dict(DailyTotal.objects.filter(kind="email").values_list("target_key", "count"))
    assert per_target == {t.pk: 2 for t in page.targets()}
    assert totals.totals_reconcile() == []


def test_flagged_email_action_sends_nothing_and_counts_as_flagged(page):
    campaign = page.email_campaign()
    supporter = SupporterFactory()
    drafts = page.email_drafts(campaign, supporter=supporter)
    take.email_action_take(
        campaign=campaign, supporter=supporter, drafts=drafts, submission=Submission(honeypot="http://spam.example")
    )
    assert not OutboundMessage.objects.exists()
    totals.totals_fold()
    row = DailyTotal.objects.get(kind="email")
    assert (row.count, row.flagged_count) == (0, 1)


def test_a_name_with_commas_quotes_and_angle_brackets_stays_one_from_address(page):
    from anymail.utils import parse_address_list

    supporter = SupporterFactory(first_name='Jane "JJ", <x@evil.example>', last_name="Doe, Jr.")
    email_action(page, supporter=supporter, live=True)
    send_all()
    email = next(e for e in mail.outbox if e.to[0] == page.targets()[0].email)
    (sender,) = parse_address_list([email.from_email])
    assert sender.addr_spec == "campaign@example.org"
    assert sender.display_name == 'Jane "JJ", <x@evil.example> Doe, Jr. via Free Kang Hen'


def test_an_unverified_office_gets_nothing_even_when_live(page):
    Target.objects.filter(name="Gavin Newsom").update(verify_before_launch=True)
    result = email_action(page, live=True)
    rosen, newsom = to_targets(result.action)
    assert (rosen.to_email, rosen.review) == (page.targets()[0].email, False)
    assert newsom.review and newsom.to_email != page.targets()[1].email

"""The email step reaches each target by the channel it really has: the Kang Hen campaign as
loaded (the Governor through his web contact form, the DA by printed letter), a supporter's own
mail client only with the office's real address, and the supporter's word on what they sent."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from actions.models import Action, OutboundMessage, Target
from cms.models import CampaignPage, CampaignTarget
from tests.factories import campaign_page, email_form_texts, email_target

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
SUPPORTER = {
    "first_name": "Jane",
    "last_name": "Doe",
    "email": "jane@example.org",
    "postal_code": "95110",
    "city": "San Jose",
}
Status = OutboundMessage.Status


@pytest.fixture
def kang_hen(tmp_path):
    (tmp_path / "kang-hen-petition.txt").write_text(
        "Stop the Deportation of Kang Hen - Father\n\n0 have signed. Let's get to 2,500!\n\n"
        "Tell the DA and the Governor to act.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
    )
    call_command("load_campaign", source=str(tmp_path))
    return CampaignPage.campaigns().get(slug="stop-the-deportation-of-kang-hen")


def send(client, page, capture):
    with capture(execute=True):
        response = client.post(page.url + "email/", {**email_form_texts(client, page), **SUPPORTER})
    assert response.status_code == 302 and response["Location"].endswith("/email/sent/")
    return client.get(response["Location"]).content.decode()


def channel_of(html: str, name: str) -> str:
    """The data-channel of the plan shown for one target on the email step."""
    block = html.split(f"To {name}", 1)[1]
    return re.search(r'data-channel="(\w+)"', block).group(1)


def test_a_phone_supporter_reaches_the_governor_by_form_and_the_da_by_letter(
    client, kang_hen, django_capture_on_commit_callbacks
):
    client.defaults["HTTP_USER_AGENT"] = PHONE
    step = client.get(kang_hen.url + "email/").content.decode()
    assert channel_of(step, "Gavin Newsom") == "form" and channel_of(step, "Jeff Rosen") == "letter"
    assert "Add my letter to the delivery" in step and "web contact form" in step
    assert "mailto:" not in step

    sent = send(client, kang_hen, django_capture_on_commit_callbacks)
    da, governor = OutboundMessage.objects.filter(kind="target").order_by("pk")
    assert (da.delivery, da.status, da.to_email) == ("letter", Status.LETTER, "")
    assert (governor.delivery, governor.status, governor.to_email) == ("form", Status.FORM, "")
    # Nothing went to an office or to the review address: only the supporter's receipt was sent.
    assert [m.to for m in mail.outbox] == [["jane@example.org"]]
    assert "mailto:" not in sent and "review@" not in sent
    assert "Here is what went out in your name" not in sent
    assert 'href="https://www.gov.ca.gov/contact/" target="_blank" rel="noopener noreferrer"' in sent
    assert "Open Gavin Newsom's contact form" in sent
    textarea = re.search(rf'<textarea id="message-{governor.pk}-text"[^>]*readonly>(.*?)</textarea>', sent, re.S)
    assert textarea and "Dear Governor Newsom," in textarea.group(1)
    assert "Waiting for you to send it through the office&#x27;s form" in sent
    assert "Added to the printed letters" in sent

    thank_you = mail.outbox[0]
    assert "mailto:" not in thank_you.body and "went out in your name" not in thank_you.body
    assert "Gavin Newsom, Governor of California: waiting for you to send it through the office's form" in (
        thank_you.body
    )
    assert "https://www.gov.ca.gov/contact/" in thank_you.body
    assert "Jeff Rosen, District Attorney, Santa Clara County: added to the printed letters" in thank_you.body

    response = client.post(kang_hen.url + "email/report/", {"message": governor.pk, "answer": "sent"})
    assert response.status_code == 303 and response["Location"].endswith(f"/email/sent/#message-{governor.pk}")
    governor.refresh_from_db()
    assert governor.status == Status.SELF_SENT and governor.sent_at is not None
    assert "Sent by you through the office&#x27;s form" in client.get(kang_hen.url + "email/sent/").content.decode()


def test_i_couldnt_is_recorded_and_can_be_changed(client, kang_hen, django_capture_on_commit_callbacks):
    send(client, kang_hen, django_capture_on_commit_callbacks)
    governor = OutboundMessage.objects.get(delivery="form")
    client.post(kang_hen.url + "email/report/", {"message": governor.pk, "answer": "couldnt"})
    governor.refresh_from_db()
    assert governor.status == Status.NOT_SENT
    client.post(kang_hen.url + "email/report/", {"message": governor.pk, "answer": "sent"})
    governor.refresh_from_db()
    assert governor.status == Status.SELF_SENT


def test_a_report_names_only_the_supporters_own_form_message(client, kang_hen, django_capture_on_commit_callbacks):
    send(client, kang_hen, django_capture_on_commit_callbacks)
    governor = OutboundMessage.objects.get(delivery="form")
    letter = OutboundMessage.objects.get(delivery="letter")
    url = kang_hen.url + "email/report/"
    assert client.post(url, {"message": governor.pk, "answer": "maybe"}).status_code == 400
    assert client.post(url, {"message": "x", "answer": "sent"}).status_code == 400
    assert client.post(url, {"message": letter.pk, "answer": "sent"}).status_code == 400
    assert client.get(url).status_code == 405
    other = client.__class__()
    assert other.post(url, {"message": governor.pk, "answer": "sent"}).status_code == 302  # to the email step
    governor.refresh_from_db()
    letter.refresh_from_db()
    assert (governor.status, letter.status) == (Status.FORM, Status.LETTER)


def test_the_letters_page_holds_the_da_letter_one_a_page_signed(
    client, admin_client, kang_hen, django_capture_on_commit_callbacks
):
    send(client, kang_hen, django_capture_on_commit_callbacks)
    da = Target.objects.get(name="Jeff Rosen")
    html = admin_client.get(f"/admin/organiser-reports/letters/{kang_hen.pk}/{da.pk}/print/").content.decode()
    assert html.count('<section class="letter"') == 1
    assert "Dear District Attorney Rosen," in html and "70 W. Hedding St." in html
    assert '<p class="signature">Jane Doe<br>San Jose</p>' in html
    overview = admin_client.get(f"/admin/organiser-reports/overview/{kang_hen.pk}/").content.decode()
    assert "Printed letters to Jeff Rosen</a> (1)" in overview
    assert "Messages to targets by channel" in overview


def test_letters_of_a_flagged_action_are_not_printed(
    client, admin_client, kang_hen, django_capture_on_commit_callbacks
):
    send(client, kang_hen, django_capture_on_commit_callbacks)
    Action.objects.update(flagged=True, flag_reason="rate-address")
    da = Target.objects.get(name="Jeff Rosen")
    html = admin_client.get(f"/admin/organiser-reports/letters/{kang_hen.pk}/{da.pk}/print/").content.decode()
    assert "No letters yet." in html


def test_a_mail_client_message_goes_to_the_offices_real_address_even_in_review(
    client, django_capture_on_commit_callbacks
):
    page = campaign_page(targets=[email_target(name="Gavin Newsom", delivery=Target.Delivery.MAILTO)])
    sent = send(client, page, django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get(kind="target")
    assert (message.to_email, message.review, message.status) == (message.target.email, False, Status.MAILTO)
    assert f'href="mailto:{message.target.email}?subject=' in sent
    assert "review@" not in sent
    assert "opened in your email app (we can&#x27;t see if you sent it)".capitalize() in sent


def test_a_mail_client_target_without_an_address_uses_the_next_channel_it_has(client):
    form = email_target(email="", delivery=Target.Delivery.MAILTO, contact_form_url="https://example.gov/contact/")
    none = email_target(email="", delivery=Target.Delivery.MAILTO)
    assert (form.channel, none.channel) == ("form", "none")
    page = campaign_page(targets=[form, none])
    html = client.get(page.url + "email/").content.decode()
    assert "mailto:" not in html and f"To {none.name}" not in html and f"To {form.name}" in html


def test_a_campaign_may_reach_a_target_by_another_channel_it_has(client, django_capture_on_commit_callbacks):
    target = email_target(name="Jeff Rosen", postal_address="70 W. Hedding St.\nSan Jose, CA 95110")
    by_email = campaign_page(targets=[target])
    by_letter = campaign_page(targets=[target])
    CampaignTarget.objects.filter(page=by_letter).update(channel=Target.Delivery.LETTER)
    by_letter = CampaignPage.objects.get(pk=by_letter.pk)
    assert 'data-channel="letter"' in client.get(by_letter.url + "email/").content.decode()
    send(client, by_letter, django_capture_on_commit_callbacks)
    send(client, by_email, django_capture_on_commit_callbacks)
    deliveries = dict(OutboundMessage.objects.filter(kind="target").values_list("campaign_id", "delivery"))
    assert deliveries == {by_letter.pk: "letter", by_email.pk: "direct"}
    target.refresh_from_db()
    assert target.delivery == Target.Delivery.DIRECT  # the campaign's choice never changes the target


def test_a_campaign_channel_the_target_lacks_is_refused():
    page = campaign_page(targets=[email_target(name="Jeff Rosen")])
    link = CampaignTarget.objects.get(page=page)
    link.channel = Target.Delivery.FORM
    with pytest.raises(ValidationError) as error:
        link.full_clean(exclude=["page", "sort_order"])
    assert "has no details for this channel" in str(error.value.message_dict["channel"])

"""The "email the targets" step: configuration in the admin, the supporter's flow on the page,
and the admin's delivery switch and preview."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from actions.models import Action, CampaignDelivery, DeliverySwitch, OutboundMessage, Target
from cms.blocks import EmailStepBlock
from cms.models import CampaignPage
from tests.cms.test_admin import campaign_form_data
from tests.factories import campaign_page, email_form_texts, email_target, home_page

pytestmark = pytest.mark.django_db

SUPPORTER = {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.org", "postal_code": "95110"}


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


@pytest.fixture
def page():
    return campaign_page(
        targets=[
            email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen"),
            email_target(name="Gavin Newsom", title="Governor", salutation="Dear Governor Newsom"),
        ],
        action_steps=[("sign", {}), ("email", email_step()), ("call", {})],
    )


def sign(client, page):
    response = client.post(page.url, {**SUPPORTER, "country": "US", "city": "San Jose"})
    assert response.status_code == 302


# --- Configuration ------------------------------------------------------------------------------


def test_unknown_placeholders_are_rejected_by_the_block():
    block = EmailStepBlock()
    value = block.to_python(email_step(body="Hello {first_name}, {secret_key}"))
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "body" in error.value.block_errors
    assert "Unknown placeholder {secret_key}" in str(error.value.block_errors["body"])
    block.clean(block.to_python(email_step()))  # the good template passes


def test_admin_refuses_to_save_an_unknown_placeholder(admin_client):
    home = home_page()
    target = email_target()
    step = email_step(subject="Hi {nope}")
    step["targets"] = {"count": "0"}
    step["supporters_may_edit"] = "on"
    data = campaign_form_data(target)
    data.update(nested_form_data({"action_steps": streamfield([("email", step)])}))
    data["result"] = rich_text("")
    url = reverse("wagtailadmin_pages:add", args=("cms", "campaignpage", home.pk))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Unknown placeholder {nope}" in response.content.decode()
    assert not CampaignPage.objects.filter(slug="free-someone").exists()


def test_only_the_chosen_targets_receive_it(client):
    rosen, newsom = email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")
    page = campaign_page(targets=[rosen, newsom], action_steps=[("email", email_step(targets=[newsom]))])
    assert [spec.target for spec in page.email_campaign().targets] == [newsom]


# --- The supporter's flow -----------------------------------------------------------------------


def test_a_new_supporter_sees_the_messages_and_a_short_form(client, page):
    response = client.get(page.url + "email/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="first_name"' in html and 'name="postal_code"' in html
    assert "Dear District Attorney Rosen" in html and "Dear Governor Newsom" in html
    assert "[your name]" in html


def test_a_recognised_supporter_is_not_asked_again(client, page):
    sign(client, page)
    response = client.get(page.url + "email/")
    html = response.content.decode()
    assert 'name="first_name"' not in html and 'name="email"' not in html
    assert "Jane Doe" in html and "Sending as" in html


def test_one_click_sends_to_every_target_then_confirms(client, page, django_capture_on_commit_callbacks):
    sign(client, page)
    data = email_form_texts(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url + "email/", data)
    assert response.status_code == 302 and response["Location"].endswith("/email/sent/")
    messages = OutboundMessage.objects.filter(kind="target").order_by("pk")
    assert [m.target.name for m in messages] == ["Jeff Rosen", "Gavin Newsom"]
    assert "Jane Doe\nSan Jose 95110" in messages[0].body
    assert len(mail.outbox) == 3  # two to the review address (delivery is off) and the thank-you
    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert "To Jeff Rosen" in html and "To Gavin Newsom" in html
    assert "Please act, District Attorney" in html
    assert "Next: Call their offices" in html
    # The button leads to the call step itself, not back to the campaign page.
    assert f'href="{page.url}call/">Call their offices</a>' in html


def test_a_new_supporter_sends_in_one_post_and_is_remembered(client, page):
    data = email_form_texts(client, page)
    response = client.post(page.url + "email/", {**data, **SUPPORTER})
    assert response.status_code == 302
    message = OutboundMessage.objects.filter(kind="target").first()
    assert "[your" not in message.body and "Jane Doe" in message.body
    assert client.get(page.url + "email/")["Location"].endswith("/email/sent/")


def test_edited_text_is_kept_literally(client, page):
    sign(client, page)
    data = email_form_texts(client, page)
    rosen = Target.objects.get(name="Jeff Rosen")
    data[f"body_{rosen.pk}"] = "Dear DA,\r\nPlease {ask} and {{ settings.SECRET_KEY }}.\r\n<b>Thanks</b>, [your name]"
    data[f"subject_{rosen.pk}"] = "My own subject\r\nBcc: x@example.com"
    client.post(page.url + "email/", data)
    message = OutboundMessage.objects.get(target=rosen)
    assert message.body == "Dear DA,\nPlease {ask} and {{ settings.SECRET_KEY }}.\n<b>Thanks</b>, Jane Doe"
    assert message.subject == "My own subject Bcc: x@example.com"
    newsom = OutboundMessage.objects.get(target__name="Gavin Newsom")
    assert newsom.body.startswith("Dear Governor Newsom,")


def test_too_short_a_message_is_an_error_by_the_field(client, page):
    sign(client, page)
    data = email_form_texts(client, page)
    rosen = Target.objects.get(name="Jeff Rosen")
    data[f"body_{rosen.pk}"] = "Hi"
    response = client.post(page.url + "email/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please write at least 20 characters." in html
    assert f'href="#id_body_{rosen.pk}"' in html
    assert not Action.objects.filter(kind="email").exists()


def test_missing_details_from_a_new_supporter_are_errors_not_500s(client, page):
    response = client.post(page.url + "email/", {**email_form_texts(client, page), "email": "not-an-email"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "First name: This field is required." in html and "Enter a valid email address." in html


def test_when_editing_is_off_the_message_is_shown_and_a_note_can_be_added(client):
    page = campaign_page(
        targets=[email_target(name="Jeff Rosen")], action_steps=[("email", email_step(supporters_may_edit=False))]
    )
    response = client.get(page.url + "email/")
    html = response.content.decode()
    assert "<textarea" in html and 'name="personal_note"' in html and "body_" not in html
    client.post(page.url + "email/", {**SUPPORTER, "personal_note": "My cousin was deported in 2019."})
    assert "My cousin was deported in 2019." in OutboundMessage.objects.get(kind="target").body


def test_mailto_targets_get_a_link_on_the_confirmation(client, page):
    Target.objects.filter(name="Gavin Newsom").update(delivery=Target.Delivery.MAILTO)
    sign(client, page)
    response = client.post(page.url + "email/", email_form_texts(client, page), follow=True)
    html = response.content.decode()
    assert "Open your email app with this message" in html
    assert re.search(r'href="mailto:[^"]+\?subject=Please%20act%2C%20Governor', html)


def test_the_thank_you_page_leads_to_the_email_step(client, page):
    sign(client, page)
    html = client.get(page.url + "thanks/").content.decode()
    assert f'href="{page.url}email/"' in html


def test_a_closed_campaign_sends_nothing(client, page):
    data = email_form_texts(client, page)
    page.is_open = False  # an editor closes the campaign while the form is open
    page.save_revision().publish()
    response = client.post(page.url + "email/", {**data, **SUPPORTER})
    assert response.status_code == 409
    assert not OutboundMessage.objects.exists()


def test_a_campaign_without_an_email_step_has_no_email_page(client):
    page = campaign_page(action_steps=[("sign", {})])
    assert client.get(page.url + "email/").status_code == 404


def test_the_confirmation_needs_the_supporter_cookie(client, page):
    response = client.get(page.url + "email/sent/")
    assert response.status_code == 302 and response["Location"].endswith("/email/")


def test_kang_hen_supporter_emails_both_targets_in_one_click(client, tmp_path):
    (tmp_path / "kang-hen-petition.txt").write_text(
        "Stop the Deportation of Kang Hen - Father\n\n0 have signed. Let's get to 2,500!\n\n"
        "Tell the DA and the Governor to act.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
    )
    call_command("load_campaign", source=str(tmp_path))
    page = CampaignPage.campaigns().get(slug="stop-the-deportation-of-kang-hen")
    response = client.post(page.url + "email/", {**email_form_texts(client, page), **SUPPORTER}, follow=True)
    assert response.status_code == 200
    messages = OutboundMessage.objects.filter(kind="target").order_by("pk")
    assert [m.target.name for m in messages] == ["Jeff Rosen", "Gavin Newsom"]
    assert messages[1].body.startswith("Dear Governor Newsom,")
    assert "Grant Kang Hen the pardon he has applied for." in messages[1].body
    assert messages[0].from_name == "Jane Doe via Free Kang Hen"


# --- The admin: preview and the live switch -----------------------------------------------------


def test_admin_preview_shows_each_targets_message(admin_client, page):
    response = admin_client.get(reverse("actions_email_delivery", args=[page.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Review only" in html
    assert "Dear District Attorney Rosen" in html and "Dear Governor Newsom" in html
    assert "Jane Doe via" in html and "campaign@example.org" in html


def test_the_page_editor_links_to_the_delivery_view(admin_client, page):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("actions_email_delivery", args=[page.pk]) in html


def test_switching_on_needs_a_confirmation_and_is_logged(admin_client, admin_user, page):
    url = reverse("actions_email_delivery", args=[page.pk])
    response = admin_client.post(url, {"deliver_to_targets": "on"})
    assert response.status_code == 200 and "Tick to confirm" in response.content.decode()
    assert not CampaignDelivery.objects.exists()
    response = admin_client.post(url, {"deliver_to_targets": "on", "confirm": "on"})
    assert response.status_code == 302
    delivery = CampaignDelivery.objects.get(campaign_id=page.pk)
    assert delivery.deliver_to_targets and delivery.switched_by == admin_user
    assert DeliverySwitch.objects.get().switched_by == admin_user
    assert "Live:" in admin_client.get(url).content.decode()


def test_editors_who_cannot_publish_cannot_switch(client, django_user_model, page):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user(username="viewer", password="pw")
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    url = reverse("actions_email_delivery", args=[page.pk])
    assert client.post(url, {"deliver_to_targets": "on", "confirm": "on"}).status_code in (302, 403)
    assert not CampaignDelivery.objects.exists()


def test_the_outbox_is_listed_read_only_with_failure_reasons(admin_client, page):
    from tests.factories import email_action

    message = email_action(page).action.messages.filter(kind="target").first()
    OutboundMessage.objects.filter(pk=message.pk).update(status="failed", last_error="AnymailRecipientsRefused: gone")
    response = admin_client.get(reverse("email_outbox:index"))
    html = response.content.decode()
    assert response.status_code == 200 and "AnymailRecipientsRefused: gone" in html
    assert admin_client.get(reverse("email_outbox:inspect", args=[message.pk])).status_code == 200
    assert admin_client.get(reverse("email_outbox:edit", args=[message.pk])).status_code in (302, 403)
    assert admin_client.post(reverse("email_outbox:delete", args=[message.pk])).status_code in (302, 403)
    assert OutboundMessage.objects.filter(pk=message.pk).exists()


def test_the_campaign_page_offers_the_email_step_directly(client, page):
    assert f'href="{page.url}email/"' in client.get(page.url).content.decode()


def test_over_the_address_rate_limit_messages_go_to_review_not_the_targets(client, page, settings):
    from actions.outbox.take import delivery_switch

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email_address": (1, 60, 100, 3600)}
    delivery_switch(campaign_id=page.pk, deliver_to_targets=True, user=None)
    data = email_form_texts(client, page)
    client.post(page.url + "email/", {**data, **SUPPORTER})
    other = Client()
    other.post(page.url + "email/", {**data, **SUPPORTER, "email": "someone.else@example.org"})
    first, second = Action.objects.filter(kind="email").order_by("pk")
    assert not first.flagged and second.flag_reason == "rate-address"
    assert not first.messages.filter(kind="target", review=True).exists()
    assert set(second.messages.filter(kind="target").values_list("review", flat=True)) == {True}


def test_a_honeypot_hit_sends_nothing(client, page):
    client.post(page.url + "email/", {**email_form_texts(client, page), **SUPPORTER, "website": "http://spam.example"})
    assert Action.objects.get(kind="email").flag_reason == "honeypot"
    assert not OutboundMessage.objects.exists()

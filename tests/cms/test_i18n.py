"""Languages: /km/ pages, one campaign across its translations, the switcher, 404s and fallbacks."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Locale

from actions.models import Action, OutboundMessage, Supporter
from cms.models import CampaignPage
from cms.translation_services import campaign_translation_create
from tests.cms.test_email_step import email_step
from tests.factories import campaign_page, email_target

pytestmark = pytest.mark.django_db

SIGNER = {
    "first_name": "សុខា",
    "last_name": "ចាន់",
    "email": "sokha@example.org",
    "postal_code": "95110",
    "country": "US",
}


@pytest.fixture
def english():
    return campaign_page(
        targets=[email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen")],
        action_steps=[("sign", {}), ("email", email_step()), ("call", {})],
    )


def khmer_of(page, **fields):
    steps = [
        ("sign", {}),
        (
            "email",
            email_step(subject="សូមធ្វើសកម្មភាព {target_title}", body="ជូនចំពោះ {target_name}\n\n{ask}\n\n{full_name}"),
        ),
        ("call", {}),
    ]
    return campaign_translation_create(
        page=page,
        language="km",
        fields={"title": "បញ្ឈប់ការនិរទេស", "lede": "ប្រាប់ព្រះរាជអាជ្ញា។", "action_steps": steps, **fields},
    )


def test_the_khmer_page_is_served_under_its_prefix_in_khmer(client, english):
    khmer = khmer_of(english)
    assert khmer.url == f"/km/{english.slug}/"
    response = client.get(khmer.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "km"
    assert '<html lang="km"' in html and "បញ្ឈប់ការនិរទេស" in html
    assert "រំលងទៅខ្លឹមសារ" in html and "ទីក្រុង" in html  # "Skip to content", "City": the Khmer catalogue
    assert f'hreflang="km" href="http://testserver/km/{english.slug}/"' in html
    assert f'hreflang="en" href="http://testserver/{english.slug}/"' in html
    assert 'hreflang="x-default"' in html


def test_the_english_page_keeps_its_url_and_language(client, english):
    khmer_of(english)
    response = client.get(english.url)
    assert english.url == f"/{english.slug}/"
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_a_signature_on_the_khmer_page_counts_for_the_one_campaign(client, english):
    khmer = khmer_of(english)
    response = client.post(khmer.url, SIGNER)
    assert response.status_code == 302 and response["Location"] == f"{khmer.url}thanks/"
    action = Action.objects.get()
    assert action.campaign_id == english.pk and action.language == "km"
    assert Supporter.objects.get().language == "km"
    assert Supporter.objects.get().first_name == "សុខា"  # kept exactly
    assert khmer.counter()["totals"] == english.counter()["totals"]
    # The same person on the English page: already signed this campaign, no second signature.
    other = Client()
    other.post(english.url, SIGNER)
    assert Action.objects.count() == 1


def test_the_counter_polls_the_one_campaign(client, english):
    khmer = khmer_of(english)
    html = client.get(khmer.url).content.decode()
    assert f"/api/campaigns/{english.pk}/totals.json" in html


def test_switching_language_keeps_the_step_and_the_supporter(client, english):
    khmer = khmer_of(english)
    client.post(english.url, {**SIGNER, "first_name": "Sokha"})
    html = client.get(english.url + "email/").content.decode()
    assert f'href="/km/{english.slug}/email/"' in html  # the switcher links to the same step
    response = client.get(khmer.url + "email/")
    assert response.status_code == 200
    assert response.context["supporter"].first_name == "Sokha"  # still recognised
    assert 'name="first_name"' not in response.content.decode()


def test_an_unknown_language_prefix_is_a_404_in_english(client, english):
    khmer_of(english)
    response = client.get(f"/xx/{english.slug}/")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"


def test_a_language_without_a_translation_falls_back_to_english(client, english):
    khmer_of(english)  # so a Vietnamese home exists only if someone made one: here, none
    response = client.get(f"/vi/{english.slug}/")
    assert response.status_code in (200, 404)
    campaign_translation_create(page=khmer_of(english), language="vi", fields={})  # vi home and page
    other = campaign_page(slug="english-only")
    response = client.get(f"/vi/{other.slug}/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en" and '<html lang="en"' in response.content.decode()


def test_emails_from_the_khmer_page_go_to_targets_in_english_and_thank_in_khmer(client, english):
    khmer = khmer_of(english)
    client.post(khmer.url, SIGNER)
    mail.outbox.clear()
    data = {name: value for name, value in _email_fields(client, khmer).items()}
    response = client.post(khmer.url + "email/", data)
    assert response.status_code in (302, 303)
    to_target = OutboundMessage.objects.get(kind=OutboundMessage.Kind.TO_TARGET)
    assert to_target.subject == "Please act, District Attorney" and to_target.campaign_id == english.pk
    assert "Dear District Attorney Rosen" in to_target.body
    thanks = OutboundMessage.objects.get(kind=OutboundMessage.Kind.THANK_YOU)
    assert thanks.subject.startswith("សូមអរគុណ") and "ជូនចំពោះ" in thanks.body


def _email_fields(client, page) -> dict:
    form = client.get(page.url + "email/").context["form"]
    return {name: form[name].initial or "" for name in form.fields if name.startswith(("subject_", "body_"))}


def test_new_translations_are_flagged_for_review_and_the_flag_survives(english):
    khmer = khmer_of(english)
    assert khmer.translation_needs_review is True
    assert CampaignPage.objects.get(pk=english.pk).translation_needs_review is False
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    made = english.copy_for_translation(spanish, copy_parents=True)  # as wagtail-localize's "Translate" does
    assert CampaignPage.objects.get(pk=made.pk).translation_needs_review is True


def test_the_page_cache_keeps_languages_apart(client, english, settings):
    settings.PAGE_CACHE_SECONDS = 60
    khmer = khmer_of(english)
    assert "បញ្ឈប់ការនិរទេស" not in Client().get(english.url).content.decode()
    assert "បញ្ឈប់ការនិរទេស" in Client().get(khmer.url).content.decode()
    assert "បញ្ឈប់ការនិរទេស" not in Client().get(english.url).content.decode()


def test_the_languages_report_splits_the_one_count(client, english, admin_client):
    khmer = khmer_of(english)
    client.post(khmer.url, SIGNER)
    Client().post(english.url, {**SIGNER, "email": "ada@example.org", "first_name": "Ada"})
    response = admin_client.get(f"/admin/organiser-reports/overview/{english.pk}/languages/")
    assert response.status_code == 200
    rows = {row["code"]: row["counts"].get("sign", 0) for row in response.context["rows"]}
    assert rows == {"en": 1, "km": 1}


def test_the_404_page_is_in_the_default_language_for_an_unknown_prefix(client, english, settings):
    settings.DEBUG = False
    response = client.get(f"/xx/{english.slug}/")
    html = response.content.decode()
    assert response.status_code == 404 and '<html lang="en"' in html and "Page not found" in html
    khmer_404 = client.get("/km/no-such-campaign/")
    assert khmer_404.status_code == 404 and "រកមិនឃើញទំព័រ" in khmer_404.content.decode()


def test_the_data_page_from_an_email_is_in_the_supporters_language(client, english):
    from actions.privacy import supporter_data_path

    khmer = khmer_of(english)
    client.post(khmer.url, SIGNER)
    supporter = Supporter.objects.get()
    response = Client().get(supporter_data_path(supporter))
    assert response.status_code == 200 and response["Content-Language"] == "km"
    assert "ទិន្នន័យរបស់អ្នក" in response.content.decode()  # "Your data"

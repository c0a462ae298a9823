"""The page type and the target snippet work in the Wagtail admin, through Wagtail's test helpers."""

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from actions.models import Target
from cms.models import CampaignPage, HomePage
from tests.factories import TargetFactory, campaign_page, home_page


def campaign_form_data(target, **overrides):
    data = {
        "title": "Free Someone",
        "slug": "free-someone",
        "lede": "Ask the Governor for a pardon.",
        "story": streamfield([("paragraph", rich_text("<p>Story text.</p>"))]),
        "signature_goal": 2500,
        "goal_ladder": "5000, 10000",
        "campaign_targets": inline_formset([{"target": target.pk, "ask": "Pardon him"}]),
        "action_steps": streamfield([("sign", {"heading": "Sign", "button_label": "Sign now"})]),
        "consent_text": "Keep me posted",
        "share_text": "Please sign",
        "sender_name": "Free Someone",
        "is_open": "on",
        "result": rich_text(""),
    }
    data.update(overrides)
    return nested_form_data(data)


class CampaignPageAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.home = home_page()
        self.target = TargetFactory(name="Gavin Newsom")

    def test_campaign_pages_live_under_the_home_page(self):
        self.assertAllowedParentPageTypes(CampaignPage, {HomePage})
        self.assertAllowedSubpageTypes(HomePage, {CampaignPage})

    def test_editor_can_create_a_campaign(self):
        self.assertCanCreate(self.home, CampaignPage, campaign_form_data(self.target))
        page = CampaignPage.objects.get(slug="free-someone")
        assert page.campaign_targets.get().target == self.target
        assert page.goal_for(2500) == 5000

    def test_bad_goal_ladder_is_shown_as_a_field_error(self):
        url = reverse("wagtailadmin_pages:add", args=("cms", "campaignpage", self.home.pk))
        response = self.client.post(url, campaign_form_data(self.target, goal_ladder="5000, 100"))
        assert response.status_code == 200
        assert "Each goal must be larger" in response.content.decode()
        assert not CampaignPage.objects.filter(slug="free-someone").exists()

    def test_page_is_editable_and_previewable(self):
        page = campaign_page(targets=[self.target])
        self.assertPageIsEditable(page, post_data=campaign_form_data(self.target, slug=page.slug))
        self.assertPageIsPreviewable(page, post_data=campaign_form_data(self.target, slug=page.slug))

    def test_editor_can_save_draft_publish_and_schedule(self):
        page = campaign_page(targets=[self.target], title="Old title")
        edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))

        # Save a draft: the live page keeps the old story.
        data = campaign_form_data(
            self.target,
            title="New title",
            slug=page.slug,
            story=streamfield([("paragraph", rich_text("<p>Draft story.</p>"))]),
        )
        response = self.client.post(edit_url, data)
        assert response.status_code == 302 and "/login/" not in response["Location"]
        page.refresh_from_db()
        assert page.has_unpublished_changes and page.title == "Old title"
        assert "Draft story." not in self.client.get(page.url).content.decode()

        # Publish: the public page shows the change.
        data["action-publish"] = "action-publish"
        self.client.post(edit_url, data)
        page.refresh_from_db()
        assert page.title == "New title" and not page.has_unpublished_changes
        assert "Draft story." in self.client.get(page.url).content.decode()

        # Schedule: a future go-live date makes the revision wait.
        from django.utils import timezone

        go_live = (timezone.now() + timezone.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
        data = campaign_form_data(self.target, title="Scheduled title", slug=page.slug, go_live_at=go_live)
        data["action-publish"] = "action-publish"
        self.client.post(edit_url, data)
        page.refresh_from_db()
        assert page.title == "New title"
        assert page.latest_revision.approved_go_live_at is not None


@pytest.mark.django_db
def test_targets_are_managed_as_snippets(admin_client):
    list_url = reverse("wagtailsnippets_actions_target:list")
    assert admin_client.get(list_url).status_code == 200
    add_url = reverse("wagtailsnippets_actions_target:add")
    response = admin_client.post(
        add_url,
        {
            "name": "Jeff Rosen",
            "title": "District Attorney",
            "salutation": "Dear DA Rosen",
            "email": "",
            "phone": "(408) 299-7400",
            "office_hours": "Mon-Fri 08:00-17:00",
            "time_zone": "America/Los_Angeles",
            "contact_form_url": "",
            "postal_address": "70 W. Hedding St.",
            "delivery": "letter",
            "digest_hour": 8,
            "max_messages_per_hour": 0,
            "verify_before_launch": "on",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target = Target.objects.get()
    assert target.name == "Jeff Rosen" and target.delivery == "letter"
    edit_url = reverse("wagtailsnippets_actions_target:edit", args=(target.pk,))
    assert "Jeff Rosen" in admin_client.get(edit_url).content.decode()


# --- How a target is reached: bad contact details are refused on save, by the field -------------


def _target_post(admin_client, **fields):
    data = {
        "name": "Gavin Newsom",
        "title": "Governor",
        "office_hours": "Mon-Fri 09:00-17:00",
        "time_zone": "America/Los_Angeles",
        "delivery": "none",
        "digest_hour": 8,
        "max_messages_per_hour": 0,
        **fields,
    }
    return admin_client.post(reverse("wagtailsnippets_actions_target:add"), data)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"delivery": "form", "contact_form_url": "http://www.gov.ca.gov/contact/"}, "must be an https:// address"),
        ({"delivery": "direct", "email": "Governor <gov@example.gov>"}, "Enter a valid email address"),
        ({"delivery": "direct", "email": "gov@example.gov\r\nBcc: x@example.com"}, "Enter a valid email address"),
        ({"delivery": "letter", "postal_address": ""}, "A printed letter needs the office&#x27;s postal address"),
        ({"delivery": "mailto", "email": ""}, "mail client needs the office&#x27;s email address"),
    ],
)
def test_bad_contact_details_are_refused_with_a_clear_error(admin_client, fields, error):
    response = _target_post(admin_client, **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Target.objects.exists()


def test_a_contact_form_target_is_saved(admin_client):
    response = _target_post(
        admin_client,
        delivery="form",
        contact_form_url="https://www.gov.ca.gov/contact/",
        contact_form_fields="name, email, subject, message",
    )
    assert response.status_code == 302
    assert Target.objects.get().channel == "form"

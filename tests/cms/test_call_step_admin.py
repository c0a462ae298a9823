"""Editors configure the call step and office hours in the Wagtail admin and get clear errors."""

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import streamfield

from cms.models import CampaignPage
from tests.cms.test_admin import campaign_form_data
from tests.factories import TargetFactory, home_page


def call_step(script, targets=()):
    listed = {"count": len(targets)}
    for index, target in enumerate(targets):
        listed[str(index)] = {"value": target.pk, "id": "", "order": index, "deleted": ""}
    return streamfield(
        [
            (
                "call",
                {
                    "heading": "Call their offices",
                    "targets": listed,
                    "script": script,
                    "talking_points": {"count": 0},
                },
            )
        ]
    )


class CallStepAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.home = home_page()
        self.target = TargetFactory(name="Gavin Newsom")
        self.url = reverse("wagtailadmin_pages:add", args=("cms", "campaignpage", self.home.pk))

    def test_unknown_placeholder_is_refused_on_save(self):
        data = campaign_form_data(self.target, action_steps=call_step("Hi, I'm {frist_name}"))
        response = self.client.post(self.url, data)
        assert response.status_code == 200
        assert "Unknown placeholder {frist_name}" in response.content.decode()
        assert not CampaignPage.objects.filter(slug="free-someone").exists()

    def test_a_valid_call_step_saves_with_its_targets(self):
        data = campaign_form_data(self.target, action_steps=call_step("I'm {first_name}. {ask}", [self.target]))
        response = self.client.post(self.url, data)
        assert response.status_code == 302
        page = CampaignPage.objects.get(slug="free-someone")
        assert page.step_block("call").value["script"] == "I'm {first_name}. {ask}"
        assert page.call_targets() == [(self.target, "Pardon him")]


def test_bad_office_hours_show_by_the_field(admin_client, db):
    response = admin_client.post(
        reverse("wagtailsnippets_actions_target:add"),
        {
            "name": "Jeff Rosen",
            "title": "District Attorney",
            "office_hours": "Weekdays 9 to 5",
            "time_zone": "America/Los_Angeles",
            "delivery": "mailto",
            "digest_hour": 8,
            "max_messages_per_hour": 0,
        },
    )
    assert response.status_code == 200
    assert "&quot;Weekdays&quot; is not a day" in response.content.decode()

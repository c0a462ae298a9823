from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from actions.models import Target
from cms.models import CampaignPage, HomePage

pytestmark = pytest.mark.django_db

SHARED = Path(settings.BASE_DIR).parent / "shared" / "campaign"


@pytest.fixture
def petition_dir(tmp_path):
    """The organisers' text when it is beside the checkout, else a small stand-in in its format."""
    if (SHARED / "kang-hen-petition.txt").exists():
        return SHARED
    (tmp_path / "kang-hen-petition.txt").write_text(
        "Stop the Deportation of Kang Hen - Father\n\n0 have signed. Let's get to 2,500!\n\n"
        "Tell the DA and the Governor to act.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
    )
    return tmp_path


def test_loads_the_campaign_once(petition_dir, client):
    call_command("load_campaign", source=str(petition_dir))
    call_command("load_campaign", source=str(petition_dir))
    assert HomePage.objects.filter(locale__language_code="en").count() == 1
    campaign = CampaignPage.campaigns().get()
    assert campaign.live and campaign.title == "Stop the Deportation of Kang Hen"
    assert campaign.signature_goal == 2500
    assert Target.objects.count() == 2
    assert all(t.verify_before_launch for t in Target.objects.all())
    assert [ct.target.name for ct in campaign.campaign_targets.all()] == ["Jeff Rosen", "Gavin Newsom"]
    html = client.get(campaign.url).content.decode()
    assert "Kang" in html and "have signed" in html
    assert "Join the motion to vacate" in html and "pardon" in html


def test_revisions_are_not_duplicated_on_second_run(petition_dir):
    call_command("load_campaign", source=str(petition_dir))
    revisions = CampaignPage.campaigns().get().revisions.count()
    call_command("load_campaign", source=str(petition_dir))
    assert CampaignPage.campaigns().get().revisions.count() == revisions


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="kang-hen-petition.txt"):
        call_command("load_campaign", source=str(tmp_path))


def test_admin_login_is_refused_without_debug(petition_dir, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development"):
        call_command("load_campaign", source=str(petition_dir), with_admin=True)


def test_falls_back_to_a_built_in_summary_without_the_shared_text(monkeypatch, tmp_path):
    from cms.management.commands import load_campaign

    monkeypatch.setattr(load_campaign, "DEFAULT_SOURCE", tmp_path)
    call_command("load_campaign")
    campaign = CampaignPage.campaigns().get()
    assert campaign.live and campaign.signature_goal == 2500
    assert "Kayden" in str(campaign.story)


def test_each_office_is_reached_by_the_channel_it_has(petition_dir):
    call_command("load_campaign", source=str(petition_dir))
    governor, da = Target.objects.get(name="Gavin Newsom"), Target.objects.get(name="Jeff Rosen")
    assert (governor.channel, governor.contact_form_url) == ("form", "https://www.gov.ca.gov/contact/")
    assert governor.postal_address and governor.contact_form_fields  # a letter is possible too
    assert (da.channel, da.email, da.phone) == ("letter", "", "+14082997400")  # stored in E.164
    assert governor.verify_before_launch and da.verify_before_launch
    for target in (governor, da):
        target.full_clean(exclude=["photo"])


def test_a_second_run_fixes_targets_loaded_as_mail_client_without_an_address(petition_dir):
    call_command("load_campaign", source=str(petition_dir))
    Target.objects.update(delivery="mailto", contact_form_fields="")
    call_command("load_campaign", source=str(petition_dir))
    assert dict(Target.objects.values_list("name", "delivery")) == {"Gavin Newsom": "form", "Jeff Rosen": "letter"}
    # What an organiser chose themselves is left alone.
    Target.objects.filter(name="Jeff Rosen").update(delivery="none")
    call_command("load_campaign", source=str(petition_dir))
    assert Target.objects.get(name="Jeff Rosen").delivery == "none"


def test_loads_four_translations_once_each_flagged_for_native_review(petition_dir, client, admin_client):
    call_command("load_campaign", source=str(petition_dir))
    call_command("load_campaign", source=str(petition_dir))
    campaign = CampaignPage.campaigns().get()
    translations = {page.locale.language_code: page.specific for page in campaign.get_translations()}
    assert sorted(translations) == ["es", "km", "vi", "zh-hant"]
    assert all(page.live and page.translation_needs_review for page in translations.values())
    assert campaign.translation_needs_review is False
    khmer = translations["km"]
    html = client.get(f"/km/{campaign.slug}/").content.decode()
    assert "បញ្ឈប់ការនិរទេសលោក ខាង ហេន" in html and "ព្រះរាជអាជ្ញា" in html
    assert [ct.ask for ct in khmer.campaign_targets.all()][0].startswith("ចូលរួម")
    assert khmer.email_step().value["subject"] == "ពលរដ្ឋម្នាក់ស្នើសុំ៖ {ask}"
    assert khmer.step_block("call").value["script"].startswith("សួស្តី")
    # The flag is shown to editors at the top of the page's Story tab.
    edit = admin_client.get(f"/admin/pages/{khmer.pk}/edit/").content.decode()
    assert "needs review by a native speaker" in edit.lower()
    assert (
        'name="translation_needs_review" checked' in edit
        or 'checked name="translation_needs_review"' in edit
        or ('id="id_translation_needs_review" checked' in edit)
    )

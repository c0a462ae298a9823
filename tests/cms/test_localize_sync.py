"""wagtail-localize's editor workflow on a campaign: translate, change the English, sync, publish."""

import pytest
from django.test import Client
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from cms.models import CampaignPage
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db


def _translate(translation: Translation, texts: dict[str, str]) -> None:
    """What an editor does in wagtail-localize's editor: give some segments a translation."""
    po = translation.export_po()
    for entry in po:
        if entry.msgid in texts:
            entry.msgstr = texts[entry.msgid]
    assert translation.import_po(po) == []


def test_an_english_change_syncs_into_the_khmer_page_where_untranslated(client, django_capture_on_commit_callbacks):
    english = campaign_page(title="Free Kang Hen", lede="Ask the DA to act today.")
    khmer_locale, _ = Locale.objects.get_or_create(language_code="km")
    source, _ = TranslationSource.get_or_create_from_instance(english)
    translation = Translation.objects.create(source=source, target_locale=khmer_locale)
    _translate(
        translation,
        {"Free Kang Hen": "ដោះលែងលោក ខាង ហេន", "Ask the DA to act today.": "សូមស្នើព្រះរាជអាជ្ញាឲ្យធ្វើសកម្មភាពថ្ងៃនេះ។"},
    )
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        translation.save_target(publish=True)
    khmer = english.get_translation(khmer_locale).specific
    assert khmer.translation_needs_review is True  # every new translation starts flagged
    html = Client().get(khmer.url).content.decode()
    assert "ដោះលែងលោក ខាង ហេន" in html and "សូមស្នើព្រះរាជអាជ្ញា" in html

    # The editor changes the English lede and publishes, then syncs the translations.
    english = CampaignPage.objects.get(pk=english.pk)
    english.lede = "Ask the DA and the Governor to act today."
    english.save_revision().publish()
    source.update_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    khmer = CampaignPage.objects.get(pk=khmer.pk)
    assert khmer.title == "ដោះលែងលោក ខាង ហេន"  # still translated
    assert khmer.lede == "Ask the DA and the Governor to act today."  # new text: English until translated
    assert khmer.translation_needs_review is True  # a sync never clears the flag
    assert khmer.campaign_id == english.pk
    html = Client().get(khmer.url).content.decode()
    assert "ដោះលែងលោក ខាង ហេន" in html and "Ask the DA and the Governor to act today." in html

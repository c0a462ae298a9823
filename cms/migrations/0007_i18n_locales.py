"""The site's content languages as Wagtail locales (issue 14).

Existing pages keep their locale (the default language's) and their translation keys, which
Wagtail gave every page from the start; this only makes sure the default locale is named by the
plain "en" code and that each other language has its locale, so editors can translate at once.
"""

from django.db import migrations

CODES = ["en", "km", "vi", "es", "zh-hant"]


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    if not Locale.objects.filter(language_code="en").exists():
        # A database made while LANGUAGE_CODE was "en-us" may name its default locale that way.
        Locale.objects.filter(language_code__in=["en-us", "en-US"]).update(language_code="en")
    for code in CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_campaign_target_channel"),
        ("wagtailcore", "0057_page_locale_fields_notnull"),
    ]

    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]

import partners.models
from django.conf import settings
from django.db import migrations, models
from django.utils.translation import get_supported_language_variant


def links_to_default_language(apps, schema_editor):
    """A partner linked to a campaign's translation is linked to the campaign's own page instead
    (the default-language page, whose id the embed checks); a page with no such original keeps
    its link."""
    Partner = apps.get_model("partners", "Partner")
    Page = apps.get_model("wagtailcore", "Page")
    Link = Partner.campaigns.through
    language = get_supported_language_variant(settings.LANGUAGE_CODE)
    for link in Link.objects.exclude(page__locale__language_code=language).select_related("page"):
        original = (
            Page.objects.filter(translation_key=link.page.translation_key, locale__language_code=language)
            .values_list("pk", flat=True)
            .first()
        )
        if original is not None:
            Link.objects.get_or_create(partner_id=link.partner_id, page_id=original)
            link.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_organisers_link_partner_organisers"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="partner",
            name="campaigns",
            field=models.ManyToManyField(
                blank=True,
                limit_choices_to=partners.models.campaign_page_choices,
                related_name="+",
                to=settings.WAGTAIL_PAGE_MODEL,
                verbose_name="campaigns it may embed",
            ),
        ),
        migrations.RunPython(links_to_default_language, migrations.RunPython.noop),
    ]

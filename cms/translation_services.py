"""Writes for a campaign's translations: make one in a language with its text, flag it for review.

A translation is a page of its own (same ``translation_key``, another locale) that wagtail-localize
keeps in step with the English page: an editor translates its segments in the admin, sees which
are new or out of date after the English changes, syncs and publishes. Every new translation is
flagged "needs review by a native speaker" (``CampaignPage.translation_needs_review``) until an
editor who checked it unticks the box; syncing never clears the flag.
"""

from wagtail.models import Locale


def translation_review_flag(sender, source_obj, target_obj, **kwargs) -> None:
    """Wagtail's ``copy_for_translation_done``: a new translation of a campaign needs review."""
    if hasattr(target_obj, "translation_needs_review"):
        type(target_obj).objects.filter(pk=target_obj.pk).update(translation_needs_review=True)
        target_obj.translation_needs_review = True


def review_flag_unsynced() -> None:
    """wagtail-localize copies every non-text field from the English page on each sync; the
    review flag belongs to each language, so it is left out of what is synchronised."""
    from wagtail_localize.fields import get_translatable_fields

    from .models import CampaignPage

    CampaignPage.translatable_fields = [
        field for field in get_translatable_fields(CampaignPage) if field.field_name != "translation_needs_review"
    ]


def campaign_translation_create(
    *, page, language: str, fields: dict, target_asks=(), needs_review: bool = True, publish=True
):
    """``page``'s translation in ``language`` with ``fields`` set (created, or updated if it
    exists), and each campaign target's ask in ``target_asks`` (in order), saved as a new
    revision and published. Parents without a translation (the home page) get one as an alias
    of the English page, as Wagtail does."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    existing = page.get_translation_or_none(locale)
    translation = existing.specific if existing is not None else page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.translation_needs_review = needs_review
    translation.save()
    for campaign_target, ask in zip(translation.campaign_targets.order_by("sort_order"), target_asks, strict=False):
        campaign_target.ask = ask
        campaign_target.save(update_fields=["ask"])
    revision = translation.save_revision()
    if publish:
        revision.publish()
    translation.refresh_from_db()
    return translation

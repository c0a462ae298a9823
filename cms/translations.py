"""A campaign's translations, found per process instead of queried per request.

With Wagtail's i18n on, each language of a page is its own page sharing one ``translation_key``.
Routing asks for the home page's translation in the active language, every page asks for its
translations (the language switcher, hreflang alternates) and every action needs the campaign's
one id. Those answers change only when a page or locale is saved, deleted or moved, which
replaces the site cache's version (``site_cache.sites_changed``), so each process remembers them
under that version the way ``site_cache`` remembers sites and child pages.

**One campaign, one id**: a campaign is identified by its page in the default language (English).
Its translations file their actions, totals, goal ladder, dedupe and outbox under that id
(``campaign_id_for``), so a signature on the Khmer page and one on the English page are counted
together; the action's ``language`` field keeps which page was used.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from wagtail.models import Locale, Page

from actions.outbox.compose import TargetSpec

from . import site_cache

# version -> {language code: locale id}
_locales: dict[str, dict[str, int]] = {}
# (version, translation key, locale id) -> the remembered page, or None (no live translation).
_translations: dict[tuple, tuple | None] = {}
# (version, translation key) -> the default-language page's id.
_campaign_ids: dict[tuple, int] = {}
# (version, translation key) -> ((language code, page id, url path), ...) of the live translations.
_alternates: dict[tuple, tuple] = {}


def default_language() -> str:
    return get_supported_language_variant(settings.LANGUAGE_CODE)


def active_language() -> str:
    """The active language as one of LANGUAGES' codes (the default when none matches)."""
    try:
        return get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return default_language()


def _remembered(store: dict, key: tuple, compute):
    """``compute()`` remembered in ``store`` under the site version (not at all without one)."""
    version = site_cache._request_version()
    if version is None:
        return compute()
    full_key = (version, *key)
    if full_key not in store:
        if len(store) >= 1024:
            store.clear()
        store[full_key] = compute()
    return store[full_key]


def locale_ids() -> dict[str, int]:
    return _remembered(_locales, (), lambda: dict(Locale.objects.values_list("language_code", "pk")))


def locale_id_for(language: str) -> int | None:
    return locale_ids().get(language)


def translation_in(page, language: str, model):
    """``page``'s live translation in ``language``, in ``model``'s class, or None. A fresh instance."""
    locale_id = locale_id_for(language)
    if locale_id is None:
        return None
    if locale_id == page.locale_id:
        return page

    def find():
        found = model.objects.live().filter(translation_key=page.translation_key, locale_id=locale_id).first()
        return None if found is None else site_cache._remember(found)

    remembered = _remembered(_translations, (page.translation_key, locale_id), find)
    return None if remembered is None else site_cache._rebuild(remembered)


def localized(page, model):
    """The translation in the active language, else ``page`` (Wagtail's ``Page.localized``)."""
    return translation_in(page, active_language(), model) or page


def campaign_id_for(page) -> int:
    """The id every language of this campaign files its actions under: the default-language page's."""
    default_id = locale_id_for(default_language())
    if default_id is None or page.locale_id == default_id:
        return page.pk

    def find():
        source = Page.objects.filter(translation_key=page.translation_key, locale_id=default_id)
        return source.values_list("pk", flat=True).first() or page.pk

    return _remembered(_campaign_ids, (page.translation_key,), find)


def alternates(page) -> list[dict]:
    """Every live language of ``page``: [{"language", "name", "url", "current"}], in LANGUAGES order."""

    def find():
        pages = Page.objects.live().filter(translation_key=page.translation_key).select_related("locale")
        by_language = {}
        root_paths = getattr(page, "_wagtail_cached_site_root_paths", None)
        for each in pages:
            if root_paths is not None:
                each._wagtail_cached_site_root_paths = root_paths  # no cache round trip per URL
            by_language[each.locale.language_code] = each.get_url()
        return tuple(by_language.items())

    urls = dict(_remembered(_alternates, (page.translation_key,), find))
    current = active_language()
    return [
        {"language": code, "name": name, "url": urls[code], "current": code == current}
        for code, name in settings.LANGUAGES
        if code in urls
    ]


def language_of(page) -> str:
    """The language code of ``page``'s locale, without a query."""
    by_id = {locale_id: code for code, locale_id in locale_ids().items()}
    return by_id.get(page.locale_id, default_language())


def default_language_route(home, request, path_components, campaign_model):
    """A campaign with no translation in this language: its default-language page, served wholly
    in that language (interface, ``lang`` and Content-Language) under this URL. None when the
    default-language home has no such campaign either (a 404, as before)."""
    default = default_language()
    default_home = translation_in(home, default, type(home))
    if default_home is None or default_home.pk == home.pk:
        return None
    child = site_cache.child_for(default_home, path_components[0], campaign_model)
    if child is None:
        return None
    translation.activate(default)
    request.LANGUAGE_CODE = default
    child._cached_parent_obj = default_home
    return child.route(request, path_components[1:])


def target_spec(page, target, ask: str) -> TargetSpec:
    """How ``page``'s email step writes to ``target``: from the campaign's text in the target's
    own language (the editor's choice on the target; English for the Kang Hen offices), whatever
    language the supporter's page is in. The page's own text when it is in that language or the
    campaign has no live translation in it."""
    language = target.language or default_language()
    if language == language_of(page):
        return TargetSpec(target=target, ask=ask)
    source = translation_in(page, language, type(page))
    step = source.email_step() if source is not None else None
    if step is None:
        return TargetSpec(target=target, ask=ask)
    source_ask = next((ct.ask for ct in source.campaign_targets.all() if ct.target_id == target.pk), ask)
    return TargetSpec(
        target=target, ask=source_ask, subject_template=step.value["subject"], body_template=step.value["body"]
    )

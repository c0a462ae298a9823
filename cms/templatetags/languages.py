"""The language switcher and hreflang alternates for a page, in every public template.

``{% page_languages page as languages %}`` lists the page's live translations, each linking to
the same step (``/km/kang-hen/email/`` from ``/kang-hen/email/``), so switching language keeps
the supporter on the step they were on; the recognition cookie is the same on every language.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context, page) -> list[dict]:
    request = context.get("request")
    alternates = getattr(page, "translations_for_switcher", None)
    if request is None or alternates is None:
        return []
    languages = alternates()
    if len(languages) < 2:
        return []
    own_url = page.url or ""
    rest = request.path[len(own_url) :] if own_url and request.path.startswith(own_url) else ""
    if rest.startswith("go/"):
        rest = ""  # a one-click link's signed path is not repeated into other links
    # Only the step's path is carried over, never the query string (it may hold a link's token).
    return [
        {**language, "url": language["url"] + rest, "absolute_url": request.build_absolute_uri(language["url"] + rest)}
        for language in languages
    ]

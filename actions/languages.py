"""The supporter's own language on pages reached from an email (no language prefix in the URL).

The data page and the unsubscribe page are linked from emails written in the supporter's
language (``Supporter.language``, the page they last acted on); they answer in it too.

Layer: beside the models; imports nothing else of the app.
"""

from django.conf import settings
from django.utils import translation


def supporter_language_activate(request, supporter) -> None:
    """Render the rest of this request in ``supporter``'s language, when we know it."""
    language = getattr(supporter, "language", "")
    if language and language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language

"""Languages: the interface's gettext catalogues and Wagtail's translated pages (issue 14).

Imported by ``base``. English is the default and is served without a prefix, so every URL that
existed before translations keeps working; each other language lives under its own prefix
(``/km/``, ``/vi/``, ``/es/``, ``/zh-hant/``; ``advocacy/urls.py`` wraps Wagtail's pages in
``i18n_patterns``). The same codes name Wagtail's content locales, so a campaign page has one
translation per language (made and kept in step with wagtail-localize in the admin).
"""

from ._env import BASE_DIR

# --- Languages ----------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
USE_I18N = True
# Each language in its own name and script: that is how a reader finds theirs in the switcher.
LANGUAGES = [
    ("en", "English"),
    ("km", "ខ្មែរ"),
    ("vi", "Tiếng Việt"),
    ("es", "Español"),
    ("zh-hant", "繁體中文"),
]
# The compiled catalogues (scripts/compile_messages.py builds the .mo files from the .po files).
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language cookie is only a preference for the few routes without a prefix (a one-click link,
# the data page); a page's prefix always wins.
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Wagtail's translated content ---------------------------------------------------------------

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

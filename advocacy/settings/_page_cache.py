"""The page cache and the site cache (both middleware; see MIDDLEWARE in ``base``).

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``).
"""

from ._env import env

# --- Page cache and site cache ------------------------------------------------------------------
# Both are middleware (see MIDDLEWARE). First-time visitors' campaign page HTML is cached this
# many seconds (tokens stay per visitor; see cms/page_cache.py), so reload storms cost one render
# per interval. 0 turns it off.

PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3)
# Each web process also keeps the HTML it last fetched or rendered for this many seconds (at most
# PAGE_CACHE_SECONDS), so a reload storm does not cost a cache round trip per view. Publishing is
# still seen at once in the publishing process and within a second elsewhere. 0 turns it off.
PAGE_CACHE_LOCAL_SECONDS = env.float("PAGE_CACHE_LOCAL_SECONDS", default=1.0)
# Once that HTML is PAGE_CACHE_SECONDS old, the next request re-renders it; for up to this many
# seconds more, requests arriving during that render get the old HTML instead of rendering too.
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=10)
# Paths that are never Wagtail pages: neither cache looks them up (the counter's totals.json is
# polled by every open page, so two wasted cache reads there are two per poll).
PAGE_CACHE_SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/documents/", "/anymail/", "/your-data/")

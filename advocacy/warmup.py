"""Work a web process would otherwise do inside its first requests, done before it serves any.

Django fills several tables lazily, per process: the URL resolver's reverse table (once per
language, since the URLs carry a language prefix), each language's translation catalogue, and
each compiled template, and the Redis cache's client. On the bench's host a fresh process's first campaign page render took
about 350 ms of CPU against 13 ms for the next one, and a third of it was the reverse tables of
five languages. The page cache means most processes render rarely, so that first render
happened under load, holding the GIL while every other thread of the process waited: a
visitor's request behind it took the whole cost as latency. A gunicorn worker restarted by
``max_requests`` paid it again.

``warm_up`` pays it at start-up instead, before ``gc_tuning.freeze_startup_objects`` sets the
result aside from the garbage collector. Nothing here reads the database, so a process still
starts while the database is down.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def languages_warm() -> list[str]:
    """Each language's catalogue and reverse table. Returns the language codes warmed."""
    resolver = get_resolver()
    codes = [code for code, _name in settings.LANGUAGES]
    for code in codes:
        with translation.override(code):
            translation.gettext("Sign")  # loads the language's catalogues
            resolver.reverse_dict  # noqa: B018 (builds the reverse table for the active language)
    return codes


def templates_warm() -> int:
    """Compile every template under the project's own template folders (the cached loader keeps
    them). Returns how many compiled; a broken one is logged, never fatal here: it fails as
    before when a request renders it."""
    compiled = 0
    for backend in engines.all():
        engine = getattr(backend, "engine", None)
        if engine is None:
            continue
        for folder in map(Path, engine.dirs):
            for path in sorted(folder.rglob("*.html")):
                name = path.relative_to(folder).as_posix()
                try:
                    engine.get_template(name)
                except TemplateSyntaxError:
                    logger.warning("template %s does not compile", name)
                    continue
                compiled += 1
    return compiled


def caches_warm() -> list[str]:
    """Build each cache's client: Django's Redis backend imports redis-py (about 80 ms) on first
    use. No connection is opened here."""
    for alias in settings.CACHES:
        getattr(caches[alias], "_cache", None)
    return list(settings.CACHES)


def warm_up() -> dict:
    return {"languages": languages_warm(), "templates": templates_warm(), "caches": caches_warm()}

"""Which Wagtail Site answers a request, remembered per process instead of queried per request.

Wagtail finds the ``Site`` (and its root page) for every page request with one query that ranks
hostname and port matches. Sites almost never change, so each process keeps the answer per
hostname and port, tagged with a version stored in the shared cache. Saving or deleting any Site
or page (and moving a page) replaces the version, so every process asks the database again on its
next request. When the cache is unreachable nothing is remembered and Wagtail looks it up as usual.

The middleware only sets ``request._wagtail_site``, where ``Site.find_for_request`` keeps its
per-request answer; each request gets its own fresh Site and root page instances.
"""

import copy
import json
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.base import ModelState
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import post_page_move

VERSION_KEY = "cms:site-lookup-version"
_MAX_ENTRIES = 256

# (version, hostname, port) -> (the Site's snapshot, its root page's) or None (no site).
_known: dict[tuple[str, str, int], "tuple[_Snapshot, _Snapshot] | None"] = {}


def _fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


# How long a process trusts the version it last read before asking the shared cache again. A
# change made through another process is seen within this time; one made in this process at once.
VERSION_TRUST_SECONDS = 1.0
_last_read: list = [None, 0.0]  # [version, monotonic time read]


def _version() -> str | None:
    version, read_at = _last_read
    now = time.monotonic()
    if version is not None and now - read_at < VERSION_TRUST_SECONDS:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    _last_read[:] = [version, now]
    return version


def sites_changed(**kwargs) -> None:
    """A new version: every process forgets what it remembered (this process and request at once).

    A page at the top of the tree (a site's home page, or its translation in another language)
    also changes the site root paths Wagtail builds every URL from; Wagtail does not forget those
    when a new translation of a home page appears, so they are forgotten here."""
    instance = kwargs.get("instance")
    if isinstance(instance, Page) and (instance.depth or 0) <= 2:
        Site.clear_site_root_paths_cache()
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, timeout=None)
    _last_read[:] = [None, 0.0]
    _request.version = None


def connect_signals() -> None:
    """Listen to the Site and page models only: a receiver connected to every model's ``post_save``
    would run on every signature saved, and Django could no longer skip sending the signal."""
    post_save.connect(sites_changed, sender=Site, dispatch_uid="cms-site-cache-site-saved")
    post_delete.connect(sites_changed, sender=Site, dispatch_uid="cms-site-cache-site-deleted")
    # Locales too: cms/translations.py remembers their ids under the same version.
    post_save.connect(sites_changed, sender=Locale, dispatch_uid="cms-site-cache-locale-saved")
    post_delete.connect(sites_changed, sender=Locale, dispatch_uid="cms-site-cache-locale-deleted")
    for model in {Page, *get_page_models()}:
        uid = f"cms-site-cache-{model._meta.label_lower}"
        post_save.connect(sites_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(sites_changed, sender=model, dispatch_uid=f"{uid}-deleted")
    post_page_move.connect(sites_changed, dispatch_uid="cms-site-cache-page-moved")
    post_save.connect(sites_changed, sender=PageViewRestriction, dispatch_uid="cms-site-cache-restriction-saved")
    post_delete.connect(sites_changed, sender=PageViewRestriction, dispatch_uid="cms-site-cache-restriction-deleted")


# The version read once at the start of the request (by the middleware), so the site lookup and
# the privacy shortcut of the same request share one cache read.
_request = threading.local()


def _request_version() -> str | None:
    version = getattr(_request, "version", None)
    return version if version is not None else _version()


def site_for_request(request) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    version = _request_version()
    if version is None:
        return Site._find_for_request(request)
    key = (version, hostname, port)
    if key in _known:
        remembered = _known[key]
        if remembered is None:
            return None
        site_snapshot, root_snapshot = remembered
        site = site_snapshot.instance()
        # The root page in its own class, so Wagtail's ``root_page.specific`` needs no query.
        site.root_page = root_snapshot.instance()
        return site
    site = Site._find_for_request(request)
    if len(_known) >= _MAX_ENTRIES:
        _known.clear()
    if site is None:
        _known[key] = None
    else:
        _known[key] = (_Snapshot(site), _Snapshot(site.root_page.specific))
    return site


# (version, parent id, slug) -> the page's snapshot, or None (no such child).
_children: dict[tuple[str, int, str], "_Snapshot | None"] = {}


class _Snapshot:
    """A model instance's field values, remembered, and the instance rebuilt from them for each
    request. Django's ``from_db`` runs ``__init__`` over every field (a page has about sixty);
    here it runs once, for a prototype that is never handed out, and each request gets a copy of
    the prototype's attributes with fresh StreamField values and its own copies of JSON values."""

    __slots__ = ("model", "values", "_prototype", "_owned")

    def __init__(self, instance):
        self.model = type(instance)
        values = []
        for field in self.model._meta.concrete_fields:
            value = getattr(instance, field.attname)
            if isinstance(field, StreamField):
                value = json.dumps(field.get_prep_value(value))  # rebuilt fresh for each request
            values.append(value)
        self.values = tuple(values)
        self._prototype = None
        # The few values each instance must own (StreamFields, JSON), found once, not per request.
        self._owned = tuple(
            (field, value)
            for field, value in zip(self.model._meta.concrete_fields, self.values, strict=True)
            if isinstance(field, StreamField) or isinstance(value, dict | list)
        )

    def instance(self):
        model = self.model
        if self._prototype is None:
            fields = model._meta.concrete_fields
            values = [_fresh(field, value) for field, value in zip(fields, self.values, strict=True)]
            self._prototype = model.from_db("default", _fields(model), values)
        fresh = model.__new__(model)
        attributes = fresh.__dict__
        attributes.update(self._prototype.__dict__)
        state = attributes["_state"] = ModelState()
        state.db, state.adding = "default", False
        for field, value in self._owned:
            attributes[field.attname] = _fresh(field, value)
        return fresh


def _fresh(field, value):
    """A remembered value as one instance may own it: a new StreamField value from its JSON, a
    copy of a JSON value, anything else as it is (immutable)."""
    if isinstance(field, StreamField):
        return field.to_python(json.loads(value))
    if isinstance(value, dict | list):
        return copy.deepcopy(value)
    return value


def _remember(page) -> _Snapshot:
    return _Snapshot(page)


def _rebuild(remembered: _Snapshot):
    return remembered.instance()


def child_for(parent, slug: str, model):
    """The live-or-not child page of ``parent`` with ``slug``, in ``model``'s class, or None.

    Remembered per process under the site version (any page saved, deleted or moved replaces
    it), so a campaign's sign POST needs no routing query. Each call gets its own instance.
    """
    version = _request_version()
    if version is None:
        return model.objects.child_of(parent).filter(slug=slug).first()
    key = (version, parent.pk, slug)
    if key not in _children:
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if len(_children) >= _MAX_ENTRIES:
            _children.clear()
        _children[key] = None if page is None else _remember(page)
    remembered = _children[key]
    if remembered is None:
        return None
    page = _rebuild(remembered)
    page._wagtail_cached_site_root_paths = site_root_paths(version)  # for page.url
    return page


# version -> Wagtail's site root paths (what page URLs are built from).
_root_paths: dict[str, tuple] = {}


def site_root_paths(version: str) -> tuple:
    """``Site.get_site_root_paths()`` remembered per process: page URLs (the redirect after a
    signature, every link) need no round trip to the shared cache."""
    if version not in _root_paths:
        _root_paths.clear()
        _root_paths[version] = tuple(Site.get_site_root_paths())
    return _root_paths[version]


# (version, page id, url path, route name) -> the route's URL, as ``page.route_url`` builds it.
_urls: dict[tuple[str, int, str, str], str] = {}


def route_url(page, name: str) -> str:
    """The URL of one of ``page``'s named routes (``page.url`` plus the sub-path), remembered per
    process under the site version: every redirect after an action (``thanks/``) is built from
    it, and Wagtail walks the site root paths and the page's routes each time. Any page saved,
    moved or deleted and any Site changed replaces the version."""
    version = _request_version()
    if version is None or page.pk is None:
        return page.url + page.reverse_subpage(name)
    key = (version, page.pk, page.url_path, name)
    url = _urls.get(key)
    if url is None:
        if len(_urls) >= _MAX_ENTRIES:
            _urls.clear()
        url = _urls[key] = page.url + page.reverse_subpage(name)
    return url


# version -> whether any page view restriction (privacy setting) exists anywhere.
_restrictions: dict[str, bool] = {}


def view_restrictions_exist() -> bool:
    """True when any page has a privacy setting; remembered per process like the sites above."""
    version = _request_version()
    if version is None:
        return True  # unknown: let Wagtail check the page as usual
    if version not in _restrictions:
        _restrictions.clear()
        _restrictions[version] = PageViewRestriction.objects.exists()
    return _restrictions[version]


class ViewRestrictionShortcutMixin:
    """Skips Wagtail's per-request privacy lookup (two queries) while no page has a restriction.

    Wagtail's ``on_serve_page`` hook asks ``get_view_restrictions()`` on every page view; when
    no restriction exists anywhere the answer is an empty queryset without asking the database.
    """

    def get_view_restrictions(self):
        if not view_restrictions_exist():
            none = PageViewRestriction.objects.none()
            none._result_cache = []  # iterating it (every page view) compiles no SQL either
            return none
        return super().get_view_restrictions()


class SiteLookupMiddleware:
    """Answers Wagtail's "which site is this?" from the per-process memory above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.PAGE_CACHE_SKIP_PREFIXES):
            return self.get_response(request)  # not a page: Wagtail looks the site up if asked
        _request.version = version = _version()
        try:
            if not hasattr(request, "_wagtail_site"):
                request._wagtail_site = site_for_request(request)
            if version is not None:
                # Where Wagtail keeps a request's root paths (Page._get_site_root_paths).
                request._wagtail_cached_site_root_paths = site_root_paths(version)
            return self.get_response(request)
        finally:
            _request.version = None

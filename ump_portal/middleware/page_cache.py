"""Whole-page cache for anonymous visitors, invalidated by any content change, and
the HTTP caching headers of every page.

Why not Django's per-site cache middleware: it cannot tell an anonymous visitor
from a logged-in one before the session is read, and it has no way to drop every
page at once when an editor saves something that many pages show (a city's name
appears on the home page, the cities list, declarations and meetings).

How it works:
- Only GET/HEAD requests without a session cookie are served from the cache, and
  only 200 responses without cookies are stored, so a logged-in user (who has a
  session cookie) never gets a page cached for someone else, and a visitor never
  gets an editor's draft preview.
- Before the view runs, the query string keeps only the parameters the view reads
  (`core/query.py`: each view declares them; tracking parameters such as
  `utm_source` or `fbclid` never count), so `/pl/?utm_source=newsletter` is the
  page `/pl/`, rendered and cached once.
- The cache key is the full URL so reduced, scheme and host included as in
  Django's own cache middleware, because pages carry absolute links (canonical,
  hreflang) built from the request; public paths carry the language (/pl/, /en/),
  so each language has its own entry.
- Every key includes a generation number. Saving or deleting any content object
  (see `PortalConfig.ready`) bumps the generation, which orphans every cached page.
  With a shared cache (Redis or memcached via CACHE_URL) the generation lives in
  that cache. With the default local-memory cache, which each gunicorn worker holds
  on its own, the generation is the modification time of a stamp file, so a save
  handled by one worker reaches all of them.
- A page is never kept past the next scheduled publication, so a scheduled item
  appears on time without a cron job. The moment is looked up once per
  generation, not on every request.
- `PAGE_CACHE_SECONDS = 0` switches the cache off (`make bench` measures pages so);
  the headers below stay.

Headers, for browsers and for a CDN or proxy cache in front (README, "Scaling out"):
- a page that could be cached here gets an `ETag` (Django's ConditionalGetMiddleware,
  just above in MIDDLEWARE, answers a matching `If-None-Match` with 304) and
  `Cache-Control: public, max-age=0, s-maxage=CDN_MAX_AGE,
  stale-while-revalidate=CDN_STALE_WHILE_REVALIDATE`, the shared lifetime also cut
  at the next scheduled publication;
- anything for a signed-in user (a request with a session cookie, a response that
  sets a cookie) and every admin response gets `Cache-Control: private, no-store`
  (Django's `add_never_cache_headers`);
- any other answer to an anonymous GET but a 200 (a 404, a redirect, an error)
  without caching headers of its own gets `Cache-Control: no-cache`: a CDN may
  cache a 404 by heuristics, and would keep answering it after the page is
  published.
"""

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, set_response_etag

from core.publishing import Publishable
from core.query import declared_parameters, kept_query
from core.urls import is_admin

from .health import PATH as HEALTH_PATH

GENERATION_KEY = "page-cache:generation"


def _cache():
    return caches["default"]


def _stamp_file():
    return Path(settings.PAGE_CACHE_STAMP_FILE)


def _uses_stamp_file():
    return isinstance(_cache(), LocMemCache)


def is_enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def current_generation():
    if _uses_stamp_file():
        try:
            return _stamp_file().stat().st_mtime_ns
        except FileNotFoundError:
            return 0
    return _cache().get(GENERATION_KEY, 0)


def invalidate_all(**_signal_kwargs):
    """Drop every cached page: connected to content models' save and delete signals."""
    _next_publication.generation = None
    if _uses_stamp_file():
        stamp = _stamp_file()
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        # Strictly later than before, even for two saves within the clock's resolution.
        generation = max(time.time_ns(), current_generation() + 1)
        os.utime(stamp, ns=(generation, generation))
    else:
        try:
            _cache().incr(GENERATION_KEY)
        except ValueError:
            _cache().set(GENERATION_KEY, 1, timeout=None)


def _key(request, generation):
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page-cache:{generation}:{request.method}:{digest}"


def _is_page_request(request):
    """A GET or HEAD of a page: not the admin, not the health check."""
    return (
        request.method in {"GET", "HEAD"}
        and not is_admin(request)
        and not request.path_info.startswith(HEALTH_PATH)
    )


def _declared_for(path_info):
    """The query parameters the view at `path_info` reads (None: not declared).
    Resolved in the path's language, as LocaleMiddleware will activate it."""
    language = translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path_info)
        except Resolver404:
            return None
    return declared_parameters(match.func)


def keep_used_parameters(request):
    """Reduce the request's query string to the parameters its view reads."""
    if not request.META.get("QUERY_STRING"):
        return
    kept = kept_query(request.GET, _declared_for(request.path_info))
    request.META["QUERY_STRING"] = kept.urlencode()
    request.GET = kept


def _next_scheduled_moment():
    upcoming = [
        model.objects.next_scheduled_time()
        for model in apps.get_models()
        if issubclass(model, Publishable)
    ]
    return min((moment for moment in upcoming if moment is not None), default=None)


def _seconds_until(moment):
    if moment is None:
        return None
    return max(1, int((moment - timezone.now()).total_seconds()))


@dataclass
class _NextPublication:
    """The next scheduled moment as last looked up in this process, and for which
    generation: it changes only with a save (a new generation) or when it passes."""

    generation: int | None = None
    moment: datetime | None = None


_next_publication = _NextPublication()


def seconds_until_next_publication(generation):
    """Seconds until the next scheduled item goes public, or None if nothing is
    scheduled; asked of the database once per cache generation and once it passes."""
    memo = _next_publication
    if memo.generation != generation or (memo.moment is not None and memo.moment <= timezone.now()):
        memo.moment = _next_scheduled_moment()
        memo.generation = generation
    return _seconds_until(memo.moment)


def _shorter(limit, seconds):
    return limit if seconds is None else min(limit, seconds)


def _mark_public(response, until_publication):
    """The public caching headers of a page that could be cached here. Written
    whole, not merged (no view of such a page sets its own), on every hit as well,
    since the shared lifetime shrinks as the next scheduled publication nears."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={_shorter(settings.CDN_MAX_AGE, until_publication)}, "
        f"stale-while-revalidate={settings.CDN_STALE_WHILE_REVALIDATE}"
    )


def _is_personal(request, response):
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or bool(response.cookies)
        or is_admin(request)
    )


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors, and set every page's
    caching headers (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_page = _is_page_request(request)
        if is_page:
            keep_used_parameters(request)
        if not is_page or settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            if _is_personal(request, response):
                add_never_cache_headers(response)
            return response
        generation = current_generation()
        key = _key(request, generation) if is_enabled() else None
        cached = _cache().get(key) if key else None
        if cached is not None:
            _mark_public(cached, seconds_until_next_publication(generation))
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if not self._is_cacheable_response(response):
            if response.cookies:
                add_never_cache_headers(response)
            elif response.status_code != 200 and not response.has_header("Cache-Control"):
                # An error or a redirect: kept by no CDN (a 404 may be cached by
                # heuristics, and the page it stands for published a minute later).
                patch_cache_control(response, no_cache=True)
            return response
        until_publication = seconds_until_next_publication(generation)
        _mark_public(response, until_publication)
        if key:
            _cache().set(key, response, _shorter(settings.PAGE_CACHE_SECONDS, until_publication))
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _is_cacheable_response(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

"""Whole-page cache for anonymous visitors, invalidated by any content change.

Why not Django's per-site cache middleware: it cannot tell an anonymous visitor
from a logged-in one before the session is read, and it has no way to drop every
page at once when an editor saves something that many pages show (a city's name
appears on the home page, the cities list, declarations and meetings).

How it works:
- Only GET/HEAD requests without a session cookie are served from the cache, and
  only 200 responses without cookies are stored, so a logged-in user (who has a
  session cookie) never gets a page cached for someone else, and a visitor never
  gets an editor's draft preview.
- The cache key is the full URL, scheme and host included as in Django's own cache
  middleware, because pages carry absolute links (canonical, hreflang) built from
  the request; public paths carry the language (/pl/, /en/), so each language has
  its own entry.
- Every key includes a generation number. Saving or deleting any content object
  (see `PortalConfig.ready`) bumps the generation, which orphans every cached page.
  With a shared cache (Redis or memcached via CACHE_URL) the generation lives in
  that cache. With the default local-memory cache, which each gunicorn worker holds
  on its own, the generation is the modification time of a stamp file, so a save
  handled by one worker reaches all of them.
- A page is never kept past the next scheduled publication, so a scheduled item
  appears on time without a cron job.
"""

import hashlib
import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from core.publishing import Publishable

GENERATION_KEY = "page-cache:generation"
EXCLUDED_PREFIXES = ("/admin/", "/healthz")


def _cache():
    return caches["default"]


def _stamp_file():
    return Path(settings.PAGE_CACHE_STAMP_FILE)


def _uses_stamp_file():
    return isinstance(_cache(), LocMemCache)


def current_generation():
    if _uses_stamp_file():
        try:
            return _stamp_file().stat().st_mtime_ns
        except FileNotFoundError:
            return 0
    return _cache().get(GENERATION_KEY, 0)


def invalidate_all(**_signal_kwargs):
    """Drop every cached page: connected to content models' save and delete signals."""
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


def _is_cacheable_request(request):
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _seconds_until_next_publication():
    """Seconds until the next scheduled item goes public, or None if nothing is scheduled."""
    upcoming = [
        model.objects.next_scheduled_time()
        for model in apps.get_models()
        if issubclass(model, Publishable)
    ]
    upcoming = [moment for moment in upcoming if moment is not None]
    if not upcoming:
        return None
    return max(1, int((min(upcoming) - timezone.now()).total_seconds()))


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _key(request, current_generation())
        cached = _cache().get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self._is_cacheable_response(response):
            timeout = settings.PAGE_CACHE_SECONDS
            next_publication = _seconds_until_next_publication()
            if next_publication is not None:
                timeout = min(timeout, next_publication)
            _cache().set(key, response, timeout)
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

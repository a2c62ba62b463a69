"""Warming up a new gunicorn worker before it takes its first request.

A fresh worker has compiled no templates, loaded no translation catalogue, opened
no database connection and, with the default local-memory cache, holds no cached
page. Its first requests would each pay for all of that, and gunicorn replaces
workers regularly (`max_requests` in gunicorn.conf.py), so visitors would meet
those slow first requests all day long. gunicorn.conf.py's `post_worker_init` hook
therefore calls `warm_up()`, which sends the main pages through the worker's own
WSGI application, in every language, before the worker starts accepting
connections: the navigation pages and the first item of each kind of content
(which between them use every public template).

The requests go through the whole middleware stack with the first host in
ALLOWED_HOSTS, so in a deployment that lists its public name first the anonymous
page cache is filled for the visitors who come next. A failure here (the database
being down, say) is logged and the worker starts anyway: it is only slower.
"""

import logging
import time
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from django.utils import translation

from . import sitemaps

logger = logging.getLogger(__name__)


def warm_up_paths():
    """Paths of the pages to render: per language, every page of the sitemap that is
    not one object, and the first published object of each other sitemap section."""
    paths = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for sitemap_class in sitemaps.SITEMAPS.values():
                sitemap = sitemap_class()
                items = sitemap.items()
                if sitemap_class is not sitemaps.StaticPagesSitemap:
                    items = items[:1]
                paths += [sitemap.location(item) for item in items]
    return paths


def warm_up_host():
    """The first name in ALLOWED_HOSTS that is a host name rather than a pattern."""
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.removeprefix(".")
    return "localhost"


def _environ(path, host):
    """A GET request for `path` on `host`, over https when the site redirects to it;
    the standard library fills in the rest of the WSGI environment."""
    environ = {
        "PATH_INFO": path,
        "SERVER_NAME": host,
        "HTTPS": "on" if settings.SECURE_SSL_REDIRECT else "off",
    }
    setup_testing_defaults(environ)
    return environ


def warm_up(application):
    """Render the main pages through `application` (a WSGI callable); return how
    many answered 200. Never raises: a worker that could not warm up still starts."""
    started = time.monotonic()
    statuses = []

    def start_response(status, _headers, _exc_info=None):
        statuses.append(status)

    try:
        host = warm_up_host()
        paths = warm_up_paths()
        for path in paths:
            response = application(_environ(path, host), start_response)
            try:
                b"".join(response)
            finally:
                response.close()
    except Exception:
        logger.exception("Warming up the worker failed; it starts without.")
        return 0
    answered = sum(status.startswith("200") for status in statuses)
    logger.info(
        "Worker warmed up: %d of %d pages in %.0f ms.",
        answered,
        len(statuses),
        (time.monotonic() - started) * 1000,
    )
    return answered

"""What visitors get when the database does not answer: a styled 503 page.

Every request that reaches the database while it is down (stopped, restarting,
unreachable) ends in an OperationalError or InterfaceError. Instead of the 500
page, the visitor gets `templates/503.html` in their language, with
`Retry-After`, never cached. Two ways lead here:

- `DatabaseUnavailableMiddleware.process_exception`, for errors raised in a view
  or while its template renders (nearly all of them);
- `ump_portal.views.server_error`, the site's `handler500`, for errors raised in
  a middleware (a session saved while the database went away), which Django hands
  to `handler500` directly. Other errors go on to the ordinary 500 page.

The page is rendered without the request context: no session, no user and no
query, since those are what failed. Nothing here keeps state, so the site
recovers as soon as the database answers again: with `CONN_HEALTH_CHECKS` on,
Django replaces a broken persistent connection at the start of the next request.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.http import escape_leading_slashes
from django.utils.log import log_response
from django.utils.translation import gettext

from .admin_language import admin_language

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def visitor_language(request):
    """The language of the URL (/pl/, /uk/); elsewhere (the admin) the one the
    browser asks for among the admin's languages. Reads no session."""
    return translation.get_language_from_path(request.path_info) or admin_language(
        request, translation.get_language_from_request(request)
    )


def database_unavailable(request):
    """The 503 page, in the visitor's language."""
    language = visitor_language(request)
    path = escape_leading_slashes(request.get_full_path())
    with translation.override(language):
        try:
            context = {
                "LANGUAGE_CODE": language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
                "retry_url": path,
                # The same page in the other languages: it will answer again too.
                "switcher_links": [
                    {"code": code, "name": name, "url": translate_url(path, code)}
                    for code, name in settings.LANGUAGES
                ],
            }
            body = loader.get_template("503.html").render(context)
        except Exception:
            # The page must appear whatever else is broken: say it plainly.
            logger.exception("The 503 page could not be rendered; sent the plain one")
            # Outside f-strings, where makemessages would not find them.
            title = gettext("Service temporarily unavailable")
            heading = gettext("The portal is temporarily unavailable")
            advice = gettext("Please try again in a few minutes.")
            body = format_html(
                '<!doctype html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
                "<h1>{}</h1><p>{}</p></html>",
                language,
                title,
                heading,
                advice,
            )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        response = database_unavailable(request)
        # Django's own "Service Unavailable" line would follow without the cause;
        # log_response writes this one instead, once, with the request attached.
        log_response(
            "Database unavailable: %s %s (%s: %s)",
            request.method,
            request.path,
            exception.__class__.__name__,
            str(exception).strip(),
            response=response,
            request=request,
            logger=logger,
        )
        return response

"""What a request may send, and how long a sign-in lasts.

- Request bodies: an anonymous visitor has nothing larger than a sign-in form to
  send, so a body over `PORTAL_MAX_ANONYMOUS_REQUEST_BYTES` is refused with 413 from
  its Content-Length, before anything reads it; a signed-in user may send up to
  `PORTAL_MAX_REQUEST_BYTES` (the largest upload and its form). The proxy in front
  caps bodies too (docker/Caddyfile), and Django's DATA_UPLOAD_MAX_MEMORY_SIZE and
  FILE_UPLOAD_MAX_MEMORY_SIZE bound what is held in memory.
- Sign-ins: a session ends after SESSION_COOKIE_AGE without a request and, whatever
  the activity, once `SESSION_MAX_SECONDS` have passed since it began. A request
  renews the session's expiry when it was last renewed more than `RENEW_SECONDS`
  ago: SESSION_SAVE_EVERY_REQUEST would write it on every request, and would read the
  session again after the 503 page while the database is down.

Both run after AuthenticationMiddleware, which reads who the user is (no query for
a visitor without a session cookie), and before any view or CSRF check reads a body.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import gettext

from .database_down import DATABASE_ERRORS

SIGNED_IN_AT = "portal:signed_in_at"
RENEWED_AT = "portal:renewed_at"
RENEW_SECONDS = 60


def _content_length(request):
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return None


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        if length is None:
            return HttpResponse(
                gettext("The request is malformed."), status=400, content_type="text/plain"
            )
        # Who sends it is asked only of a body above the anonymous limit.
        if length > settings.PORTAL_MAX_ANONYMOUS_REQUEST_BYTES and (
            length > settings.PORTAL_MAX_REQUEST_BYTES or not _signed_in(request)
        ):
            return HttpResponse(
                gettext("The request is too large."), status=413, content_type="text/plain"
            )
        return self.get_response(request)


def _signed_in(request):
    """Whether the request comes from a signed-in user; False when the database
    cannot tell (the view then meets the same error and gets the 503 page)."""
    try:
        return request.user.is_authenticated
    except DATABASE_ERRORS:
        return False


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            now = time.time()
            began = request.session.setdefault(SIGNED_IN_AT, now)
            if now - began > settings.SESSION_MAX_SECONDS:
                logout(request)
            elif now - request.session.get(RENEWED_AT, 0) > RENEW_SECONDS:
                request.session[RENEWED_AT] = now
        return self.get_response(request)

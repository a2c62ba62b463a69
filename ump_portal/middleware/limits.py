"""What a request may send, and how long a sign-in lasts.

- Request bodies: an anonymous visitor has nothing larger than a sign-in form to
  send, so a body over `PORTAL_MAX_ANONYMOUS_REQUEST_BYTES` is refused with 413 from
  its Content-Length, before anything reads it; a signed-in user may send up to
  `PORTAL_MAX_REQUEST_BYTES` (the largest upload and its form). The proxy in front
  caps bodies too (docker/Caddyfile), and Django's DATA_UPLOAD_MAX_MEMORY_SIZE and
  FILE_UPLOAD_MAX_MEMORY_SIZE bound what is held in memory.
- Sign-ins: a session ends after SESSION_COOKIE_AGE without a request (renewed on
  every request, SESSION_SAVE_EVERY_REQUEST) and, whatever the activity, once
  `SESSION_MAX_SECONDS` have passed since it began.

Both run after AuthenticationMiddleware, which reads who the user is (no query for
a visitor without a session cookie), and before any view or CSRF check reads a body.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import gettext

SIGNED_IN_AT = "portal:signed_in_at"


def _content_length(request):
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return None


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = (
            settings.PORTAL_MAX_REQUEST_BYTES
            if request.user.is_authenticated
            else settings.PORTAL_MAX_ANONYMOUS_REQUEST_BYTES
        )
        length = _content_length(request)
        if length is None:
            return HttpResponse(
                gettext("The request is malformed."), status=400, content_type="text/plain"
            )
        if length > limit:
            return HttpResponse(
                gettext("The request is too large."), status=413, content_type="text/plain"
            )
        return self.get_response(request)


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            began = request.session.setdefault(SIGNED_IN_AT, now)
            if now - began > settings.SESSION_MAX_SECONDS:
                logout(request)
        return self.get_response(request)

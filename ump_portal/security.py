"""Security headers Django does not set itself, and the client address for django-axes.

Django's SecurityMiddleware sets HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; django-csp sets Content-Security-Policy. This module
adds `Permissions-Policy` (no page uses a camera, a microphone or the visitor's
location, so every powerful feature is switched off),
`Cross-Origin-Resource-Policy` (our files are for our own pages), and
`X-Frame-Options` on the responses Django's clickjacking middleware never sees.
"""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext

# Only features that browsers recognise: an unknown name makes Chromium log an
# error on every page.
DISABLED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DISABLED_FEATURES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Django's XFrameOptionsMiddleware sits below WhiteNoise and the language
        # redirect; this covers what answers above it (static files, /healthz, `/`).
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


def client_ip(request):
    """The visitor's address, for django-axes' lockout by user name and address.

    Without a proxy it is REMOTE_ADDR. Behind `DJANGO_TRUSTED_PROXY_COUNT` proxies
    (each appending to X-Forwarded-For), it is the address the outermost of them
    saw; anything further left in the header was written by the client and is not
    trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a translated page with the
    wait in whole minutes (axes itself offers only an ISO 8601 duration)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
        "title": gettext("Sign-in blocked"),
    }
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)

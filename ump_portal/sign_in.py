"""What django-axes, which locks out repeated failed sign-ins, takes from the project:
the visitor's address (`AXES_CLIENT_IP_CALLABLE`) and the lockout page
(`AXES_LOCKOUT_CALLABLE`)."""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext


def client_ip(request):
    """The visitor's address, for django-axes' lockout by user name and address.

    Not django-ipware: its proxy count counts the proxies' own addresses in
    X-Forwarded-For and, for a header shorter than it expects, gives no address at
    all, where a lockout needs one.

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

"""`reverse()`, remembered: the links of every object on a page.

Django's `reverse()` matches the name against the URL patterns on every call, and
a page links to dozens of objects (each signatory's city, each meeting). The answer
depends only on the name, its arguments, the active language (the path words and
the prefix are translated), the URL conf and the script prefix, none of which
changes while a process runs, so it is remembered with all of them in the key.
Middlewares ask it where the admin is too (`is_admin`), on every request.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


@functools.lru_cache(maxsize=8192)
def _reverse(viewname, kwargs, language, urlconf, script_prefix):
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def cached_reverse(viewname, **kwargs):
    """`reverse(viewname, kwargs=kwargs)`, remembered (see the module docstring)."""
    return _reverse(
        viewname,
        tuple(sorted(kwargs.items())),
        get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


def is_admin(request):
    """Whether `request` is for the admin: its path, script prefix included, under
    the admin's index, wherever the URL conf mounts it."""
    return request.path.startswith(cached_reverse("admin:index"))

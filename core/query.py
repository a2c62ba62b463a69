"""Which query parameters a page reads, and which ones only track visitors.

A link from a newsletter or a social site carries parameters that no page reads
(`?utm_source=…`, `?fbclid=…`); each such URL is distinct, so the page cache and a
CDN in front would keep a copy per link. A view declares the parameters it reads:

- a class-based view with `query_parameters = ("q",)`;
- a function view with `@uses_query_parameters("p")`.

The page cache middleware (`ump_portal/middleware/page_cache.py`) then keeps only
those in the request before the view runs, so the page rendered, its cache key and
the links it builds from the request (the language switcher, `hreflang`) depend on
nothing else. A view that declares nothing keeps every parameter but the tracking
ones, so forgetting a declaration costs cache entries, never a wrong page.
"""

import functools

from django.http import QueryDict

# Campaign and click identifiers of analytics, advertising and mailing tools.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gad_source",
        "gbraid",
        "gclid",
        "gclsrc",
        "igshid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "s_cid",
        "ttclid",
        "twclid",
        "wbraid",
        "yclid",
    }
)


def is_tracking(name):
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def uses_query_parameters(*names):
    """Declare the query parameters a function view reads (see the module docstring)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.query_parameters = tuple(names)
        return wrapper

    return decorate


def declared_parameters(view):
    """The parameters `view` declares it reads, or None when it declares nothing."""
    declared = getattr(view, "query_parameters", None)
    if declared is None:
        declared = getattr(getattr(view, "view_class", None), "query_parameters", None)
    return None if declared is None else tuple(declared)


def kept_query(query, declared):
    """`query` (a QueryDict) without tracking parameters and, when `declared` is
    not None, with only those, in the declared order: the same parameters in
    another order then give the same URL."""
    names = [name for name in declared if name in query] if declared is not None else query
    kept = QueryDict(mutable=True)
    for name in names:
        if not is_tracking(name):
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept

"""The one security header that neither Django nor a package of ours sets.

Django's SecurityMiddleware sets HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; its clickjacking middleware X-Frame-Options;
django-csp the Content-Security-Policy and django-permissions-policy the
Permissions-Policy (all in settings.py). Django has no setting for
`Cross-Origin-Resource-Policy` (our files are for our own pages), so this module
adds it.
"""


class CrossOriginResourcePolicyMiddleware:
    """`Cross-Origin-Resource-Policy: same-origin` unless the view said otherwise
    (the open-data files say `cross-origin`). Our own: Django sets only COOP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

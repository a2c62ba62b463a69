"""The admin's interface language: one of `ADMIN_LANGUAGES`, never another site language.

The public site speaks every language of `LANGUAGES` (Ukrainian too); the admin is
written and checked for its users in Polish and English only. Django's
`LocaleMiddleware` picks the language of a URL without a language prefix (the admin's)
from the language cookie or the browser's `Accept-Language`, among all of
`LANGUAGES`; on the admin's URLs this middleware, right after it, replaces a language
the admin does not speak by the browser's next preference that it does, else Polish.
A Ukrainian speaker whose browser also asks for English gets the admin in English.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from core.urls import is_admin


def admin_language(request, language):
    """The language for an admin page: `language` (the one Django chose) when the
    admin speaks it, else the first of the browser's preferences that it speaks,
    else the default."""
    if language in settings.ADMIN_LANGUAGES:
        return language
    header = request.headers.get("Accept-Language", "")
    for accepted, _quality in parse_accept_lang_header(header):
        code = accepted.split("-")[0].lower()
        if code in settings.ADMIN_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin(request):
            language = admin_language(request, translation.get_language())
            if language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)

"""Template context shared by every page: the same page in each language."""

from django.conf import settings
from django.urls import translate_url


def language_alternates(request):
    """URLs of the current page in every language, for the switcher and hreflang."""
    path = request.get_full_path()
    alternates = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    return {"language_alternates": alternates}

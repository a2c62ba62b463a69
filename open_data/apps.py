from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """The datasets under /api/v1/ and the page that describes them."""

    name = "open_data"

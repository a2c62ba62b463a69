from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search: its ranking, its view and its URL (docs/ARCHITECTURE.md)."""

    name = "search"

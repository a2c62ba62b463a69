from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: pieces every app uses, importing no app of ours.

    No models of its own: `Publishable` and `HasOriginalLanguage` are abstract and
    become columns of the apps' tables. It is an installed app for its template
    tags (`{% load portal %}`). See docs/ARCHITECTURE.md, "Layers".
    """

    name = "core"

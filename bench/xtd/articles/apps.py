"""Register the article model with xtd's moderator when the site starts."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The benchmark's article app."""

    name = "articles"

    def ready(self) -> None:
        from . import moderation  # noqa: F401  (connects the moderator and the API's authorisation signal)

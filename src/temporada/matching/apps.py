from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "temporada.matching"
    label = "matching"
    verbose_name = _("Emparejamiento")

    def ready(self):
        from . import signals  # noqa: F401  (connects the registry-version receiver)

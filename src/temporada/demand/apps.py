from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "temporada.demand"
    label = "demand"
    verbose_name = _("Demanda laboral")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccupationsConfig(AppConfig):
    name = "temporada.occupations"
    label = "occupations"
    verbose_name = _("Ocupaciones")

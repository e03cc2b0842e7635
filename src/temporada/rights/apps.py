from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "temporada.rights"
    label = "rights"
    verbose_name = _("Derechos")

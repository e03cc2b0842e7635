"""Site navigation and the home page's entry points per user group.

URL names that an app has not defined (yet) are skipped, so the menu only lists what exists.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, show in main menu, entry-point groups)
NAVIGATION = [
    ("programmes:list", _("Programas"), True, ("worker", "employer", "official")),
    ("rights:home", _("Derechos"), True, ("worker",)),
    ("rights:finder", _("Buscador de vías legales"), False, ("worker",)),
    ("rights:verify", _("¿Es real esta oferta?"), False, ("worker",)),
    ("rights:help", _("Dónde pedir ayuda"), False, ("worker",)),
    ("demand:dashboard", _("Demanda"), True, ("employer", "official", "analyst")),
    ("employers:list", _("Empleadores"), False, ("official",)),
    ("supply:list", _("Registro de trabajadores"), False, ("official",)),
    ("supply:gap", _("Brecha oferta-demanda"), False, ("official", "analyst")),
    ("matching:runs", _("Emparejamiento"), False, ("official",)),
    ("indicators:home", _("Estadísticas"), True, ("analyst", "official")),
    ("indicators:catalog", _("Datos abiertos"), False, ("analyst",)),
    ("occupations:explorer", _("Ocupaciones"), True, ("analyst", "employer")),
]


def _resolve(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def nav_items():
    items = []
    for name, label, in_menu, _groups in NAVIGATION:
        url = _resolve(name) if in_menu else None
        if url:
            items.append({"url": url, "label": label})
    return items


def entry_links():
    groups: dict[str, list] = {"worker": [], "employer": [], "official": [], "analyst": []}
    for name, label, _in_menu, entry_groups in NAVIGATION:
        url = _resolve(name)
        if url:
            for group in entry_groups:
                groups[group].append({"url": url, "label": label})
    return groups

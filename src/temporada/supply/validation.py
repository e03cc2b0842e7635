"""Rules for identity documents that both the form and the bulk upload apply.

National id formats of the origin countries (digits/letters only, after removing spaces, dashes and dots):
Guatemala DPI/CUI 13 digits; Honduras DNI 13 digits; El Salvador DUI 9 digits; Nicaragua cédula
13 digits + 1 letter; Costa Rica cédula 9 digits; Dominican Republic cédula 11 digits; Mexico CURP
18 characters. Other countries: 5 to 20 letters or digits.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from .pii import normalise_document

NATIONAL_ID_FORMATS = {
    "GTM": (re.compile(r"^\d{13}$"), _("el DPI/CUI de Guatemala tiene 13 cifras")),
    "HND": (re.compile(r"^\d{13}$"), _("el DNI de Honduras tiene 13 cifras")),
    "SLV": (re.compile(r"^\d{9}$"), _("el DUI de El Salvador tiene 9 cifras")),
    "NIC": (re.compile(r"^\d{13}[A-Z]$"), _("la cédula de Nicaragua tiene 13 cifras y una letra")),
    "CRI": (re.compile(r"^\d{9}$"), _("la cédula de Costa Rica tiene 9 cifras")),
    "DOM": (re.compile(r"^\d{11}$"), _("la cédula de la República Dominicana tiene 11 cifras")),
    "MEX": (
        re.compile(r"^[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d$"),
        _("la CURP de México tiene 18 caracteres (4 letras, 6 cifras, sexo, 5 letras, 2 caracteres)"),
    ),
}
GENERIC_ID = re.compile(r"^[A-Z0-9]{5,20}$")
PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")


def national_id_problem(country: str, value: str) -> str:
    """Why ``value`` cannot be a national id of ``country`` ("" when it can)."""
    number = normalise_document(value)
    if not number:
        return str(_("Falta el número de documento de identidad."))
    rule = NATIONAL_ID_FORMATS.get(country)
    if rule is not None:
        pattern, explanation = rule
        if not pattern.match(number):
            return str(_("Número de documento no válido: %(rule)s.") % {"rule": explanation})
        return ""
    if not GENERIC_ID.match(number):
        return str(_("Número de documento no válido: use de 5 a 20 letras o cifras."))
    return ""


def passport_problem(value: str) -> str:
    number = normalise_document(value)
    if number and not PASSPORT.match(number):
        return str(_("Número de pasaporte no válido: use de 6 a 12 letras o cifras."))
    return ""

"""Languages a worker may declare: ISO 639-1 where it exists, else ISO 639-3 (Mayan, Uto-Aztecan,
Otomanguean, Misumalpan and Arawakan languages spoken in the origin countries are common among
candidates and matter for placement and for interpreters)."""

from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("es", _("español")),
    ("en", _("inglés")),
    ("fr", _("francés")),
    ("pt", _("portugués")),
    ("ht", _("criollo haitiano")),
    ("quc", _("k'iche'")),
    ("mam", _("mam")),
    ("kek", _("q'eqchi'")),
    ("cak", _("kaqchikel")),
    ("kjb", _("q'anjob'al")),
    ("poh", _("poqomchi'")),
    ("ixl", _("ixil")),
    ("tzj", _("tz'utujil")),
    ("acr", _("achi")),
    ("cac", _("chuj")),
    ("jac", _("popti' (jakalteko)")),
    ("yua", _("maya yucateco")),
    ("tzo", _("tsotsil")),
    ("tzh", _("tseltal")),
    ("nah", _("náhuatl")),
    ("mix", _("mixteco")),
    ("zap", _("zapoteco")),
    ("oto", _("otomí")),
    ("miq", _("miskito")),
    ("cab", _("garífuna")),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGES)

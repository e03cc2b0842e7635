"""How to say "in <country>" and "of <country>" for the eleven RCM countries in each language
(articles and prepositions differ: "aux États-Unis", "en la República Dominicana", "in the United States").
Other countries fall back to the plain name."""

from __future__ import annotations

from temporada.core.i18n import current_language

# iso3 -> language -> (in, of)
PHRASES = {
    "BLZ": {"es": ("en Belice", "de Belice"), "en": ("in Belize", "of Belize"), "fr": ("au Belize", "du Belize")},
    "CAN": {"es": ("en Canadá", "de Canadá"), "en": ("in Canada", "of Canada"), "fr": ("au Canada", "du Canada")},
    "CRI": {"es": ("en Costa Rica", "de Costa Rica"), "en": ("in Costa Rica", "of Costa Rica"),
            "fr": ("au Costa Rica", "du Costa Rica")},
    "DOM": {"es": ("en la República Dominicana", "de la República Dominicana"),
            "en": ("in the Dominican Republic", "of the Dominican Republic"),
            "fr": ("en République dominicaine", "de la République dominicaine")},
    "GTM": {"es": ("en Guatemala", "de Guatemala"), "en": ("in Guatemala", "of Guatemala"),
            "fr": ("au Guatemala", "du Guatemala")},
    "HND": {"es": ("en Honduras", "de Honduras"), "en": ("in Honduras", "of Honduras"),
            "fr": ("au Honduras", "du Honduras")},
    "MEX": {"es": ("en México", "de México"), "en": ("in Mexico", "of Mexico"), "fr": ("au Mexique", "du Mexique")},
    "NIC": {"es": ("en Nicaragua", "de Nicaragua"), "en": ("in Nicaragua", "of Nicaragua"),
            "fr": ("au Nicaragua", "du Nicaragua")},
    "PAN": {"es": ("en Panamá", "de Panamá"), "en": ("in Panama", "of Panama"), "fr": ("au Panama", "du Panama")},
    "SLV": {"es": ("en El Salvador", "de El Salvador"), "en": ("in El Salvador", "of El Salvador"),
            "fr": ("au Salvador", "du Salvador")},
    "USA": {"es": ("en los Estados Unidos", "de los Estados Unidos"), "en": ("in the United States", "of the United States"),
            "fr": ("aux États-Unis", "des États-Unis")},
}
FALLBACK = {"es": ("en {}", "de {}"), "en": ("in {}", "of {}"), "fr": ("en {}", "de {}")}


def country_phrases(iso3: str, name: str) -> dict[str, str]:
    lang = current_language()
    if iso3 in PHRASES:
        in_form, of_form = PHRASES[iso3][lang]
    else:
        in_form, of_form = (f.format(name) for f in FALLBACK[lang])
    return {"in": in_form, "of": of_form}

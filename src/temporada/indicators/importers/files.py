"""Parsers for the migration statistics files under data/migration/ (layouts in SOURCES.md).

Each ``parse_*`` function reads one official file as published and returns a ``ParsedFile``; the
database is only written by ``services.load_parsed_file``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from temporada.core.models import Country

from ..models import OTHER_AREA, Area, Indicator, IndicatorValue, MigrantStock, Population, Sex
from .base import (
    ParsedFile,
    RowError,
    area_code,
    choice_value,
    count_value,
    decimal_value,
    float_value,
    parse_csv,
    year_value,
)

STOCK_YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020)
SEXES_STOCK = {"Female": Sex.FEMALE, "Male": Sex.MALE}
SEXES_POPULATION = {"Female": Sex.FEMALE, "Male": Sex.MALE, "Total": Sex.TOTAL}
# ISO 3166-3 withdrawn code still used by some World Bank series (Netherlands Antilles, dissolved 2010).
WITHDRAWN_CODES = {"ANT"}


def known_codes() -> set[str]:
    """Codes the publishers may use: ISO countries, IOM GDI areas (CHI, XKX…) and withdrawn ISO codes."""
    return set(Country.objects.values_list("iso3", flat=True)) | set(Area.objects.values_list("iso3", flat=True)) \
        | WITHDRAWN_CODES


def parse_migrant_stock(path: Path, *, stdout=None, progress: bool = False) -> ParsedFile:
    known = known_codes()
    origins = known | {OTHER_AREA}
    years = set(STOCK_YEARS)

    def parse_row(row, line):
        destination = area_code(row["destination_iso3"], known, "destination_iso3")
        origin = area_code(row["origin_iso3"], origins, "origin_iso3")
        if origin == destination:
            raise RowError(_("El origen y el destino son el mismo país."))
        year = year_value(row["year"], STOCK_YEARS[0], STOCK_YEARS[-1])
        if year not in years:
            raise RowError(_("year: %(year)d no es un año de la serie (cada cinco años de 1990 a 2020).") % {"year": year})
        return MigrantStock(destination=destination, origin=origin, year=year,
                            sex=choice_value(row["sex"], SEXES_STOCK, "sex"),
                            value=count_value(row["migrant_stock"], "migrant_stock"), source_line=line)

    return parse_csv(path, dataset_key="migrant-stock",
                     required=("destination_iso3", "origin_iso3", "year", "sex", "migrant_stock"),
                     parse_row=parse_row, key=lambda o: (o.destination, o.origin, o.year, o.sex),
                     stdout=stdout, progress=progress)


def parse_population(path: Path, *, stdout=None, progress: bool = False) -> ParsedFile:
    known = known_codes()

    def parse_row(row, line):
        return Population(iso3=area_code(row["iso3"], known, "iso3"), year=year_value(row["year"], 1950, 2100),
                          sex=choice_value(row["sex"], SEXES_POPULATION, "sex"),
                          thousands=decimal_value(row["population_thousands"], "population_thousands", 3),
                          source_line=line)

    return parse_csv(path, dataset_key="population", required=("iso3", "year", "sex", "population_thousands"),
                     parse_row=parse_row, key=lambda o: (o.iso3, o.year, o.sex), stdout=stdout, progress=progress)


# The definitions file is in English; names and units in Spanish and French are ours.
INDICATOR_NAMES = {
    "birth": ("Tasa de natalidad", "Taux de natalité", "nacimientos por cada 1000 habitantes",
              "naissances pour 1000 habitants"),
    "depend": ("Tasa de dependencia por edad", "Taux de dépendance par âge",
               "personas que no trabajan por persona en edad de trabajar", "personnes inactives par personne active"),
    "fdiin": ("Inversión extranjera directa recibida", "Investissements directs étrangers reçus", "USD", "USD"),
    "fdiout": ("Inversión extranjera directa enviada", "Investissements directs étrangers sortants", "USD", "USD"),
    "income": ("PIB por habitante", "PIB par habitant", "USD constantes de 2017, PPA", "USD constants de 2017, PPA"),
    "inf": ("Tasa de inflación", "Taux d'inflation", "por ciento", "pour cent"),
    "nmig": ("Migración neta", "Migration nette", "personas", "personnes"),
    "polstb": ("Estabilidad política y ausencia de violencia", "Stabilité politique et absence de violence",
               "desviaciones típicas respecto de la media", "écarts-types par rapport à la moyenne"),
    "pop": ("Población", "Population", "personas", "personnes"),
    "remin": ("Remesas recibidas", "Envois de fonds reçus", "USD", "USD"),
    "remout": ("Remesas enviadas", "Envois de fonds versés", "USD", "USD"),
    "unem": ("Tasa de desempleo", "Taux de chômage", "por ciento", "pour cent"),
}


def parse_indicator_definitions(path: Path, *, stdout=None, progress: bool = False) -> ParsedFile:
    def parse_row(row, line):
        code = row["var"].strip()
        if not code or not code.isascii() or not code.replace("_", "").isalnum() or len(code) > 20:
            raise RowError(_("var: «%(value)s» no es un código de indicador.") % {"value": code[:20]})
        if not row["description"]:
            raise RowError(_("description: falta la descripción."))
        try:
            updated = date.fromisoformat(row["last_updated"]) if row["last_updated"] else None
        except ValueError:
            raise RowError(_("last_updated: «%(value)s» no es una fecha AAAA-MM-DD.") % {"value": row["last_updated"][:20]})
        link = row["link"]
        if link and not link.startswith("https://"):
            raise RowError(_("link: «%(value)s» no es una dirección https.") % {"value": link[:60]})
        es, fr, unit_es, unit_fr = INDICATOR_NAMES.get(code, (row["description"], row["description"],
                                                              row["unit"], row["unit"]))
        return Indicator(code=code, name_es=es[:150], name_en=row["description"][:150], name_fr=fr[:150],
                         unit_es=unit_es[:150], unit_en=row["unit"][:150], unit_fr=unit_fr[:150],
                         source=row["source"][:200], last_updated=updated, link=link[:300], source_line=line)

    return parse_csv(path, dataset_key="indicator-definitions",
                     required=("var", "description", "unit", "source", "last_updated", "link"),
                     parse_row=parse_row, key=lambda o: (o.code,), stdout=stdout, progress=progress)


def parse_country_indicators(path: Path, *, stdout=None, progress: bool = False) -> ParsedFile:
    known = known_codes()
    indicators = set(Indicator.objects.values_list("code", flat=True))

    def parse_row(row, line):
        code = row["indicator"]
        if code not in indicators:
            raise RowError(_("indicator: «%(value)s» no está en las definiciones de indicadores cargadas.")
                           % {"value": code[:20]})
        return IndicatorValue(iso3=area_code(row["iso3"], known, "iso3"), indicator_id=code,
                              year=year_value(row["year"], 1960, 2100), value=float_value(row["value"], "value"),
                              source_line=line)

    return parse_csv(path, dataset_key="country-indicators", required=("iso3", "indicator", "year", "value"),
                     parse_row=parse_row, key=lambda o: (o.iso3, o.indicator_id, o.year), stdout=stdout,
                     progress=progress)


def parse_areas(path: Path, *, stdout=None, progress: bool = False) -> ParsedFile:
    def parse_row(row, line):
        if not row["iso3c"]:
            raise RowError(_("iso3c: fila sin código ISO3 (agrupación, no un país o zona)."))
        iso3 = area_code(row["iso3c"], None, "iso3c")
        iso2 = row["iso2c"].upper()
        if iso2 and (len(iso2) != 2 or not iso2.isalpha()):
            raise RowError(_("iso2c: «%(value)s» no es un código de dos letras.") % {"value": iso2[:20]})
        numeric = row["iso3n"]
        if numeric:
            numeric = str(count_value(numeric, "iso3n")).zfill(3)
            if len(numeric) != 3:
                raise RowError(_("iso3n: «%(value)s» no es un código numérico ISO.") % {"value": row["iso3n"][:20]})
        if not row["name"]:
            raise RowError(_("name: falta el nombre."))
        return Area(iso3=iso3, iso2=iso2, numeric=numeric, name=row["name"][:120], region=row["region"][:60],
                    source_line=line)

    # A handful of rows are groupings without a code (e.g. British overseas territories): they are
    # reported as rejected, so the tolerance is higher than for the statistics files.
    return parse_csv(path, dataset_key="country-codes", required=("iso3n", "iso2c", "iso3c", "name", "region"),
                     parse_row=parse_row, key=lambda o: (o.iso3,), max_reject_share=0.05, stdout=stdout,
                     progress=progress)


PARSERS = {
    "country-codes": parse_areas,
    "indicator-definitions": parse_indicator_definitions,
    "country-indicators": parse_country_indicators,
    "migrant-stock": parse_migrant_stock,
    "population": parse_population,
}

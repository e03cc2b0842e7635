"""What each open dataset is: titles and descriptions (our own words, three languages), publisher,
source page, licence and the official file it is loaded from. Counts and dates are filled by imports."""

from __future__ import annotations

from dataclasses import dataclass, field

CC_BY_3_IGO = ("CC BY 3.0 IGO", "https://creativecommons.org/licenses/by/3.0/igo/")
CC_BY_4 = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
MIT = ("MIT", "https://opensource.org/license/mit")
PUBLIC_DOMAIN_US = ("U.S. Government work (public domain)", "https://creativecommons.org/publicdomain/mark/1.0/")

MIGRATION_DIR = ("migration",)


@dataclass(frozen=True)
class DatasetInfo:
    key: str
    title: dict
    description: dict
    publisher: str
    source_url: str
    licence: tuple[str, str]
    version: str = ""
    file: tuple[str, ...] = ()  # path under data/ of the official file (empty for derived datasets)
    keywords: tuple[str, ...] = ()
    derived: bool = False
    columns: tuple[str, ...] = field(default=())


DATASETS: dict[str, DatasetInfo] = {}


def _add(info: DatasetInfo) -> DatasetInfo:
    DATASETS[info.key] = info
    return info


MIGRANT_STOCK = _add(DatasetInfo(
    key="migrant-stock",
    title={
        "es": "Stock de migrantes internacionales por origen, destino y sexo, 1990–2020",
        "en": "International migrant stock by origin, destination and sex, 1990–2020",
        "fr": "Stock de migrants internationaux par origine, destination et sexe, 1990–2020",
    },
    description={
        "es": "Número de personas nacidas en un país (origen) que viven en otro (destino) a mitad de año, "
              "por sexo, cada cinco años de 1990 a 2020, para todos los países del mundo. Cifras de la "
              "División de Población de las Naciones Unidas (edición 2020), tal como se publican. El origen "
              "«XXX» agrupa a las personas cuyo país de nacimiento no se conoce o no se detalla.",
        "en": "Number of people born in one country (origin) living in another (destination) at mid-year, "
              "by sex, every five years from 1990 to 2020, for every country in the world. Figures from the "
              "United Nations Population Division (2020 revision) as published. Origin \"XXX\" groups people "
              "whose country of birth is unknown or not itemised.",
        "fr": "Nombre de personnes nées dans un pays (origine) qui vivent dans un autre (destination) en "
              "milieu d'année, par sexe, tous les cinq ans de 1990 à 2020, pour tous les pays du monde. "
              "Chiffres de la Division de la population des Nations Unies (révision 2020), tels que publiés. "
              "L'origine « XXX » regroupe les personnes dont le pays de naissance est inconnu ou non détaillé.",
    },
    publisher="United Nations, Department of Economic and Social Affairs, Population Division",
    source_url="https://www.un.org/development/desa/pd/content/international-migrant-stock",
    licence=CC_BY_3_IGO, version="International Migrant Stock 2020",
    file=(*MIGRATION_DIR, "undesa_international_migrant_stock_2020",
          "ims2020_bilateral_by_sex_1990_2020_all_countries.csv"),
    keywords=("migration", "migrant stock", "UN DESA", "corridors"),
    columns=("destination_iso3", "origin_iso3", "year", "sex", "migrant_stock"),
))

POPULATION = _add(DatasetInfo(
    key="population",
    title={
        "es": "Población total por sexo, 1950–2021",
        "en": "Total population by sex, 1950–2021",
        "fr": "Population totale par sexe, 1950–2021",
    },
    description={
        "es": "Población a 1 de julio, en miles, por sexo (mujeres, hombres, total), para los años 1950, 1960, "
              "1970, 1980, 1990, 2000, 2010, 2020 y 2021. Estimaciones de las Perspectivas de la Población "
              "Mundial 2022 de las Naciones Unidas, sumadas sobre las edades simples.",
        "en": "Population at 1 July, in thousands, by sex (female, male, total), for 1950, 1960, 1970, 1980, "
              "1990, 2000, 2010, 2020 and 2021. United Nations World Population Prospects 2022 estimates, "
              "summed over single ages.",
        "fr": "Population au 1er juillet, en milliers, par sexe (femmes, hommes, total), pour 1950, 1960, 1970, "
              "1980, 1990, 2000, 2010, 2020 et 2021. Estimations des Perspectives de la population mondiale "
              "2022 des Nations Unies, additionnées sur les âges simples.",
    },
    publisher="United Nations, Department of Economic and Social Affairs, Population Division",
    source_url="https://population.un.org/wpp/",
    licence=CC_BY_3_IGO, version="World Population Prospects 2022",
    file=(*MIGRATION_DIR, "undesa_wpp2022", "wpp2022_population_by_sex_1950_2021.csv"),
    keywords=("population", "UN DESA", "WPP"),
    columns=("iso3", "year", "sex", "population_thousands"),
))

INDICATOR_DEFINITIONS = _add(DatasetInfo(
    key="indicator-definitions",
    title={
        "es": "Definiciones de los indicadores por país",
        "en": "Country indicator definitions",
        "fr": "Définitions des indicateurs par pays",
    },
    description={
        "es": "Código, descripción, unidad, fuente, fecha de actualización y enlace de cada indicador del "
              "conjunto «Indicadores por país».",
        "en": "Code, description, unit, source, update date and link of each indicator in the "
              "\"Country indicators\" dataset.",
        "fr": "Code, description, unité, source, date de mise à jour et lien de chaque indicateur du jeu "
              "« Indicateurs par pays ».",
    },
    publisher="IOM Global Data Institute (gdiviz), from World Bank World Development Indicators",
    source_url="https://github.com/ksreyes/gdiviz",
    licence=CC_BY_4, version="retrieved 2024-03-28",
    file=(*MIGRATION_DIR, "world_bank_wdi_indicators", "indicator_definitions.csv"),
    keywords=("metadata", "World Bank", "WDI"),
    columns=("var", "description", "unit", "source", "last_updated", "link"),
))

COUNTRY_INDICATORS = _add(DatasetInfo(
    key="country-indicators",
    title={
        "es": "Indicadores por país: remesas, migración neta, desempleo y otros, 1990–2023",
        "en": "Country indicators: remittances, net migration, unemployment and more, 1990–2023",
        "fr": "Indicateurs par pays : envois de fonds, migration nette, chômage et autres, 1990–2023",
    },
    description={
        "es": "Valores anuales por país de doce indicadores: remesas recibidas y enviadas (USD corrientes), "
              "migración neta, tasa de desempleo, población, PIB por habitante (PPA), inflación, inversión "
              "extranjera directa, natalidad, tasa de dependencia y estabilidad política. Mayormente de los "
              "Indicadores del Desarrollo Mundial del Banco Mundial (la fuente de cada indicador figura en sus "
              "definiciones).",
        "en": "Yearly values by country of twelve indicators: remittances received and paid (current USD), "
              "net migration, unemployment rate, population, GDP per capita (PPP), inflation, foreign direct "
              "investment, birth rate, dependency ratio and political stability. Mostly from the World Bank "
              "World Development Indicators (each indicator's source is in its definition).",
        "fr": "Valeurs annuelles par pays de douze indicateurs : envois de fonds reçus et versés (USD "
              "courants), migration nette, taux de chômage, population, PIB par habitant (PPA), inflation, "
              "investissement direct étranger, natalité, taux de dépendance et stabilité politique. "
              "Principalement issus des Indicateurs du développement dans le monde de la Banque mondiale (la "
              "source de chaque indicateur figure dans sa définition).",
    },
    publisher="World Bank (World Development Indicators), via IOM Global Data Institute (gdiviz)",
    source_url="https://databank.worldbank.org/source/world-development-indicators",
    licence=CC_BY_4, version="retrieved 2024-03-28",
    file=(*MIGRATION_DIR, "world_bank_wdi_indicators", "country_indicators_1990_2023_long.csv"),
    keywords=("remittances", "net migration", "unemployment", "World Bank", "WDI"),
    columns=("iso3", "indicator", "year", "value"),
))

AREAS = _add(DatasetInfo(
    key="country-codes",
    title={
        "es": "Códigos y regiones de países y zonas",
        "en": "Country and area codes and regions",
        "fr": "Codes et régions des pays et territoires",
    },
    description={
        "es": "Tabla de países y zonas del Instituto Mundial de Datos de la OIM: códigos ISO, nombre en inglés "
              "y región del Banco Mundial. Sirve para nombrar y agrupar las zonas de los demás conjuntos.",
        "en": "IOM Global Data Institute table of countries and areas: ISO codes, English name and World Bank "
              "region. Used to name and group the areas of the other datasets.",
        "fr": "Table des pays et territoires de l'Institut mondial des données de l'OIM : codes ISO, nom en "
              "anglais et région de la Banque mondiale. Elle sert à nommer et regrouper les zones des autres "
              "jeux de données.",
    },
    publisher="IOM Global Data Institute (gdiviz)",
    source_url="https://github.com/ksreyes/gdiviz",
    licence=MIT, version="gdiviz countrynames",
    file=(*MIGRATION_DIR, "country_codes_iom_gdi.csv"),
    keywords=("reference", "country codes", "regions"),
    columns=("iso3", "iso2", "numeric", "name", "region"),
))

TEMPORARY_POSITIONS = _add(DatasetInfo(
    key="temporary-positions",
    title={
        "es": "Puestos de trabajo temporal por programa, país de destino y año",
        "en": "Temporary job positions by programme, destination country and year",
        "fr": "Postes de travail temporaire par programme, pays de destination et année",
    },
    description={
        "es": "Suma de los puestos solicitados y certificados en las ofertas de empleo temporal cargadas en "
              "Temporada (certificaciones laborales publicadas por los países de destino), por programa, país "
              "de destino y año fiscal, con los países de origen elegibles según el catálogo de programas. "
              "Calculado por Temporada.",
        "en": "Sum of the positions requested and certified in the temporary job orders loaded in Temporada "
              "(labour certifications published by destination countries), by programme, destination country "
              "and fiscal year, with the eligible origin countries from the programme catalogue. Computed by "
              "Temporada.",
        "fr": "Somme des postes demandés et certifiés dans les offres d'emploi temporaire chargées dans "
              "Temporada (certifications de travail publiées par les pays de destination), par programme, pays "
              "de destination et année fiscale, avec les pays d'origine admissibles selon le catalogue des "
              "programmes. Calculé par Temporada.",
    },
    publisher="Temporada, from U.S. Department of Labor (OFLC) and ESDC Canada job-order data",
    source_url="https://www.dol.gov/agencies/eta/foreign-labor/performance",
    licence=PUBLIC_DOMAIN_US, derived=True,
    keywords=("temporary work", "labour demand", "H-2A", "H-2B"),
    columns=("programme", "destination_iso3", "fiscal_year", "source", "positions_requested", "positions_certified",
             "job_orders", "eligible_origins"),
))

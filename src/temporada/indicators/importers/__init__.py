"""`temporada import_data KIND FILE` for the migration statistics (see services.import_file)."""

from temporada.indicators.importers.files import PARSERS

HELP = {
    "country-codes": "IOM GDI country codes and regions (country_codes_iom_gdi.csv)",
    "indicator-definitions": "World Bank/IOM GDI indicator definitions (indicator_definitions.csv)",
    "country-indicators": "World Bank/IOM GDI country indicators, long format (country_indicators_*_long.csv)",
    "migrant-stock": "UN DESA International Migrant Stock 2020, bilateral by sex (ims2020_bilateral_by_sex_*.csv)",
    "population": "UN WPP 2022 population by sex (wpp2022_population_by_sex_*.csv)",
}


def _runner(kind):
    def run(*, path, stdout=None, progress=True, actor=None, force=False):
        from temporada.indicators.services import import_file

        return import_file(actor=actor, dataset_key=kind, path=path, stdout=stdout, progress=progress, force=force)

    return run


IMPORTERS = {kind: {"help": HELP[kind], "run": _runner(kind)} for kind in PARSERS}

"""Default data for `temporada setup`: the migration statistics files in data/migration/, loaded
through the same importers as `temporada import_data` (so the same checks and provenance apply).

Order matters: country codes name the areas the other files use, and indicator values need their
definitions. Each step is skipped when its file is unchanged (``setup --force`` reloads; the importer
itself also skips a file whose bytes and row counts match the current load).
"""

from __future__ import annotations

from pathlib import Path

from temporada.core.bootstrap import Step, data_path
from temporada.core.models import Country
from temporada.core.reference import load_countries

from . import catalogue
from .catalogue import DATASETS

FILE_STEPS = ["country-codes", "indicator-definitions", "country-indicators", "migrant-stock", "population"]


def dataset_file(key: str) -> Path:
    return data_path(*DATASETS[key].file)


def load_catalogue(*, stdout=None) -> int:
    from .services import ensure_datasets

    return len(ensure_datasets(refresh=True))


def _loader(key: str):
    def load(*, stdout=None) -> int:
        from .services import import_file

        if not Country.objects.filter(iso3="USA").exists():
            load_countries()  # area codes are checked against the country list
        summary = import_file(actor=None, dataset_key=key, path=dataset_file(key), stdout=stdout, progress=False)
        return summary["rows_loaded"]

    return load


def steps() -> list[Step]:
    return [Step("indicators.catalogue", [Path(catalogue.__file__)], load_catalogue)] + [
        Step(f"indicators.{key}", [dataset_file(key)], _loader(key)) for key in FILE_STEPS
    ]

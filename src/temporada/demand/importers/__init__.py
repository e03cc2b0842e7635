"""Importers of official labour-demand files. ``IMPORTERS`` is what `temporada import KIND FILE` lists.

Every kind runs through ``base.run_import`` (size cap, one transaction, idempotent upsert, rejected-row
report, ImportBatch record); the modules below only know how to read their files.
"""

from __future__ import annotations

from .addenda import (
    AddendumAImporter,
    AddendumBEmploymentImporter,
    AddendumBHousingImporter,
    H2BAppendixAImporter,
)
from .base import Importer, ImportFailed, run_import
from .lmia import LmiaImporter
from .oflc import H2AImporter, H2BImporter
from .readers import ImportFileError
from .seasonaljobs import SeasonalJobsCsvImporter, SeasonalJobsJsonImporter

IMPORTER_CLASSES: list[type[Importer]] = [
    H2AImporter, H2BImporter, AddendumAImporter, AddendumBEmploymentImporter, AddendumBHousingImporter,
    H2BAppendixAImporter, SeasonalJobsCsvImporter, SeasonalJobsJsonImporter, LmiaImporter,
]
BY_KIND: dict[str, type[Importer]] = {cls.kind: cls for cls in IMPORTER_CLASSES}


def get_importer(kind: str) -> Importer:
    try:
        return BY_KIND[kind]()
    except KeyError:
        raise ImportFileError(f"Unknown kind of file {kind!r}. Known: {', '.join(sorted(BY_KIND))}")


def _cli_runner(kind: str):
    def run(*, path, stdout=None, progress=False):
        batch = run_import(get_importer(kind), path, stdout=None, progress=progress)
        return _summary(batch)

    return run


def _summary(batch) -> str:
    from .base import summary_line

    return f"Import batch {batch.pk}: " + summary_line(batch)


IMPORTERS = {cls.kind: {"help": cls.help, "run": _cli_runner(cls.kind)} for cls in IMPORTER_CLASSES}

__all__ = ["IMPORTERS", "BY_KIND", "ImportFailed", "ImportFileError", "get_importer", "run_import"]

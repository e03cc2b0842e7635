"""Writes to the statistics: file imports (replace a dataset as a whole) and catalogue metadata edits.

Only administrators write (the command line and ``temporada setup`` act as the system, actor None).
Every write is atomic and leaves an audit event; a refused file leaves one too, and changes nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from temporada.core.audit import EventType, record

from .catalogue import DATASETS
from .importers.base import FileRefused, ParsedFile
from .models import (
    Area,
    Dataset,
    ImportBatch,
    Indicator,
    IndicatorValue,
    MigrantStock,
    Population,
    RejectedRow,
    is_admin,
)

BULK_BATCH = 5000
# Model of each file-backed dataset, its area-code column and year column (for coverage).
DATASET_MODELS = {
    "migrant-stock": (MigrantStock, "destination", "year"),
    "population": (Population, "iso3", "year"),
    "country-indicators": (IndicatorValue, "iso3", "year"),
    "indicator-definitions": (Indicator, None, None),
    "country-codes": (Area, "iso3", None),
}
EDITABLE_FIELDS = ("title_es", "title_en", "title_fr", "description_es", "description_en", "description_fr",
                   "licence_name", "licence_url", "source_url", "publisher", "version")


def _check_actor(actor):
    if actor is not None and not is_admin(actor):
        raise PermissionDenied


def ensure_datasets(*, refresh: bool = False) -> dict[str, Dataset]:
    """Create missing catalogue entries from catalogue.py; with ``refresh``, also reset their metadata
    to catalogue.py (setup does so when that file changes). Counts are kept."""
    existing = {d.key: d for d in Dataset.objects.all()}
    out = {}
    for key, info in DATASETS.items():
        values = {"publisher": info.publisher, "source_url": info.source_url, "licence_name": info.licence[0],
                  "licence_url": info.licence[1], "version": info.version, "derived": info.derived}
        for lang in ("es", "en", "fr"):
            values[f"title_{lang}"] = info.title[lang]
            values[f"description_{lang}"] = info.description[lang]
        dataset = existing.get(key)
        if dataset is None:
            dataset = Dataset.objects.create(key=key, **values)
        elif refresh and any(getattr(dataset, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(dataset, k, v)
            dataset.save()
        out[key] = dataset
    return out


def _replace_rows(key: str, objects: list) -> None:
    model = DATASET_MODELS[key][0]
    if key == "indicator-definitions":
        # Values point at definitions: update in place, drop only definitions nothing uses any more.
        codes = [o.code for o in objects]
        fields = [f.name for f in Indicator._meta.concrete_fields if f.name != "code"]
        existing = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
        Indicator.objects.bulk_create([o for o in objects if o.code not in existing])
        Indicator.objects.bulk_update([o for o in objects if o.code in existing], fields)
        Indicator.objects.exclude(code__in=codes).filter(values__isnull=True).delete()
        return
    model.objects.all().delete()
    model.objects.bulk_create(objects, batch_size=BULK_BATCH)


def _refresh_counts(dataset: Dataset) -> None:
    model, area_field, year_field = DATASET_MODELS[dataset.key]
    qs = model.objects.all()
    dataset.rows = qs.count()
    dataset.areas = qs.values(area_field).distinct().count() if area_field else 0
    if year_field:
        bounds = qs.aggregate(low=Min(year_field), high=Max(year_field))
        dataset.coverage_start, dataset.coverage_end = bounds["low"], bounds["high"]
    dataset.last_loaded_at = timezone.now()
    dataset.save(update_fields=["rows", "areas", "coverage_start", "coverage_end", "last_loaded_at"])


@transaction.atomic
def load_parsed_file(*, actor, parsed: ParsedFile, started_at=None, request=None) -> ImportBatch:
    """Replace a dataset's rows by the accepted rows of ``parsed`` and keep the batch and its rejects."""
    _check_actor(actor)
    dataset = ensure_datasets()[parsed.dataset_key]
    _replace_rows(dataset.key, parsed.objects)
    ImportBatch.objects.filter(dataset=dataset, is_current=True).update(is_current=False)
    now = timezone.now()
    batch = ImportBatch.objects.create(
        dataset=dataset, file_name=parsed.path.name, sha256=parsed.sha256, file_size=parsed.size,
        rows_read=parsed.rows_read, rows_loaded=len(parsed.objects), rows_rejected=len(parsed.rejects),
        started_at=started_at or now, finished_at=now,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    RejectedRow.objects.bulk_create([RejectedRow(batch=batch, line=r.line, reason=r.reason, raw=r.raw)
                                     for r in parsed.rejects], batch_size=BULK_BATCH)
    _refresh_counts(dataset)
    record(type=EventType.IMPORT_FINISHED, actor=actor, obj=batch, request=request,
           details={"dataset": dataset.key, "file": parsed.path.name, "sha256": parsed.sha256,
                    "rows_read": parsed.rows_read, "rows_loaded": len(parsed.objects),
                    "rows_rejected": len(parsed.rejects)})
    return batch


def _unchanged(key: str, sha256: str) -> ImportBatch | None:
    """The current batch when it came from the same bytes and the rows are still all there."""
    batch = ImportBatch.objects.filter(dataset_id=key, is_current=True, sha256=sha256).first()
    if batch is None:
        return None
    model = DATASET_MODELS[key][0]
    return batch if model.objects.count() == batch.rows_loaded else None


def import_file(*, actor, dataset_key: str, path, stdout=None, progress: bool = False, force: bool = False,
                request=None) -> dict:
    """Import one official file: parse (no writes), then load atomically. Returns a summary.

    The same file imported twice changes nothing the second time (``status: unchanged``)."""
    from .importers.base import file_digest
    from .importers.files import PARSERS

    _check_actor(actor)
    if dataset_key not in PARSERS:
        raise ValueError(_("Tipo de importación desconocido: %(kind)s.") % {"kind": dataset_key})
    path = Path(path)
    started = time.monotonic()
    started_at = timezone.now()
    if not force and path.is_file():
        batch = _unchanged(dataset_key, file_digest(path)[0])
        if batch is not None:
            return {"dataset": dataset_key, "status": "unchanged", "rows_loaded": batch.rows_loaded,
                    "rows_rejected": batch.rows_rejected, "batch": batch.pk}
    try:
        parsed = PARSERS[dataset_key](path, stdout=stdout, progress=progress)
        batch = load_parsed_file(actor=actor, parsed=parsed, started_at=started_at, request=request)
    except FileRefused as exc:
        record(type=EventType.IMPORT_FAILED, actor=actor, object_type="indicators.dataset", object_id=dataset_key,
               object_repr=path.name, request=request, details={"file": path.name, "error": str(exc)[:1000]})
        raise
    summary = {"dataset": dataset_key, "status": "loaded", "file": path.name, "sha256": batch.sha256,
               "rows_read": batch.rows_read, "rows_loaded": batch.rows_loaded,
               "rows_rejected": batch.rows_rejected, "batch": batch.pk,
               "seconds": round(time.monotonic() - started, 2)}
    if stdout is not None:
        stdout.write(f"    {dataset_key}: {batch.rows_loaded:,} rows loaded, {batch.rows_rejected} rejected "
                     f"({path.name}, sha256 {batch.sha256[:12]}…)")
    return summary


@transaction.atomic
def update_dataset(*, actor, dataset: Dataset, changes: dict, request=None) -> Dataset:
    """An administrator corrects a catalogue entry's description, licence or source."""
    if not Dataset.objects.restrict(actor, "change").filter(pk=dataset.pk).exists():
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Campos no editables: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    previous = {k: getattr(dataset, k) for k in changes}
    for k, v in changes.items():
        setattr(dataset, k, v)
    dataset.full_clean()
    dataset.save()
    record(type=EventType.RECORD_CHANGED, actor=actor, obj=dataset, request=request,
           details={"fields": sorted(changes), "previous": previous})
    return dataset

"""The import engine shared by every kind of demand file.

``run_import`` owns the life of an ImportBatch:
1. refuse files above the size cap before reading them; hash the file;
2. mark the batch running (committed, so officials see it);
3. in ONE transaction: read and validate every row, write job orders (create / update / leave unchanged,
   matched on the job order's identity and a hash of its imported values), the rejected rows, the ISCO
   mapping pass and the employer resolution, then the batch's counts and status;
4. on any error, roll all of that back and record the batch as failed, with the error, in a separate
   transaction.
Progress is reported through ``temporada.demand.progress`` so it is visible while step 3 runs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from temporada.core.audit import EventType, record
from temporada.core.bootstrap import file_sha256

from ..models import ImportBatch, JobOrder, RejectedRow
from ..progress import ProgressChannel
from .readers import ImportFileError, check_size

logger = logging.getLogger(__name__)

CHUNK = 1000
MAX_REPORTED_VALUE = 300


class ImportFailed(ValueError):
    """The import stopped; nothing it read was kept. ``batch`` records the failure."""

    def __init__(self, message: str, batch: ImportBatch | None = None):
        super().__init__(message)
        self.batch = batch


# Fields the importers fill on JobOrder; the row hash covers them (not provenance: a record that is
# unchanged keeps pointing at the file it was first read from).
JOB_ORDER_FIELDS = [
    "source", "source_key", "line", "job_order_number", "programme", "fiscal_year", "quarter",
    "association_role", "is_primary", "primary_rule", "employer_name", "trade_name", "employer_address",
    "employer_city", "employer_state", "employer_postal_code", "country_id", "worksite_subdivision_id",
    "worksite_city", "worksite_county", "worksite_postal_code", "job_title", "occupation_system",
    "occupation_code", "occupation_title", "naics_code", "primary_crop", "positions_requested",
    "positions_certified", "begin_date", "end_date", "wage_rate", "wage_unit", "wage_currency", "wage_hourly",
    "hours_per_week", "experience_months", "education_level", "training_months", "special_requirements",
    "housing_provided", "housing_summary", "case_status", "status_category", "received_date", "decision_date",
    "extra",
]


def _plain(value):
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


_TEXT_LIMITS: dict = {}


def _text_limits(model) -> dict[str, int]:
    """Column widths of the model's text fields, by attribute name (cached)."""
    if model not in _TEXT_LIMITS:
        limits = {}
        for field in model._meta.concrete_fields:
            if getattr(field, "max_length", None):
                limits[field.attname] = field.max_length
        _TEXT_LIMITS[model] = limits
    return _TEXT_LIMITS[model]


def _text_fields(model) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField") and not f.null}


def _truncate_fields(model, values: dict) -> dict:
    """Cut published text to the column widths (a 400-character job title must not stop an import)."""
    for name, limit in _text_limits(model).items():
        value = values.get(name)
        if value.__class__ is str and len(value) > limit:
            values[name] = value[:limit]
    return values


class RowWriter:
    """INSERT / UPDATE many rows of one model, bypassing the ORM's per-value preparation (which costs most of
    an import with bulk_create). SQLite: ``executemany`` of a one-row statement (in-process, no round trips).
    PostgreSQL: ``COPY … FROM STDIN`` for inserts and ``UPDATE … FROM (VALUES …)`` for updates, because every
    statement of an ``executemany`` is a round trip to the server. Values are already what the column takes
    (timestamps adapted by the caller); JSON is serialised."""

    PG_MAX_PARAMS = 30_000

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.columns = columns
        meta = model._meta
        fields = {f.attname: f for f in meta.concrete_fields}
        self.json_indexes = [i for i, c in enumerate(columns) if fields[c].get_internal_type() == "JSONField"]
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.pk = quote(meta.pk.column)
        self.quoted = [quote(fields[c].column) for c in columns]
        self.db_types = [fields[c].db_type(connection) for c in columns]
        self.placeholders = f"({', '.join(['%s'] * len(columns))})"
        self.insert_sql = f"INSERT INTO {self.table} ({', '.join(self.quoted)}) VALUES "  # noqa: S608
        self.update_sql = (f"UPDATE {self.table} SET {', '.join(c + ' = %s' for c in self.quoted)} "  # noqa: S608
                           f"WHERE {self.pk} = %s")
        self.many_rows = connection.vendor == "postgresql"

    def _row(self, values: dict) -> list:
        get = values.get
        row = [get(column) for column in self.columns]
        for index in self.json_indexes:
            value = row[index]
            row[index] = json.dumps(value if value is not None else {}, ensure_ascii=False, default=str)
        return row

    def insert(self, rows: list[dict]) -> None:
        self.insert_rows([self._row(r) for r in rows])

    def update(self, rows: list[tuple[int, dict]]) -> None:
        self.update_rows([[*self._row(r), pk] for pk, r in rows])

    def _chunks(self, rows: list[list], width: int):
        size = max(1, self.PG_MAX_PARAMS // width)
        for start in range(0, len(rows), size):
            yield rows[start:start + size]

    def insert_rows(self, rows: list[list]) -> None:
        """Rows already as value lists in column order (JSON already serialised)."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if not self.many_rows:
                cursor.executemany(self.insert_sql + self.placeholders, rows)
                return
            # COPY streams the rows in one command; values are converted by psycopg's own dumpers.
            raw = cursor.cursor
            with raw.copy(f"COPY {self.table} ({', '.join(self.quoted)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def update_rows(self, rows: list[list]) -> None:
        """Value lists in column order followed by the primary key."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if not self.many_rows:
                cursor.executemany(self.update_sql, rows)
                return
            # UPDATE t SET c = v.c … FROM (VALUES (…), …) AS v(c…, id) WHERE t.id = v.id, with each column cast
            # back to its type (VALUES alone would make every parameter text).
            names = [f"c{i}" for i in range(len(self.columns))]
            sets = ", ".join(f"{column} = v.{name}::{db_type}"
                             for column, name, db_type in zip(self.quoted, names, self.db_types, strict=True))
            row_sql = f"({', '.join(['%s'] * (len(self.columns) + 1))})"
            for chunk in self._chunks(rows, len(self.columns) + 1):
                # Identifiers and types come from the model's metadata; every value is a parameter.
                sql = (f"UPDATE {self.table} AS t SET {sets} FROM (VALUES {', '.join([row_sql] * len(chunk))}) "  # noqa: S608  # nosec B608
                       f"AS v({', '.join(names)}, pk) WHERE t.{self.pk} = v.pk::bigint")
                cursor.execute(sql, [value for row in chunk for value in row])


@dataclass
class SaveCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportContext:
    """What an importer gets: the batch, where to report rejected rows and progress, how to save."""

    def __init__(self, *, batch: ImportBatch, path: Path, source_name: str, channel: ProgressChannel,
                 want_bar: bool = False):
        self.batch = batch
        self.path = path
        self.source_name = source_name
        self.channel = channel
        self.want_bar = want_bar  # a tqdm progress bar on the terminal (CLI), created on first use
        self.bar = None
        self.rejected: list[RejectedRow] = []
        self.warned_rows: set[int] = set()
        self.rejected_rows: set[int] = set()
        self.counts = SaveCounts()
        self.rows_read = 0
        self.summary: dict = {}
        self._bar_done = 0
        self._phase = ("start", time.monotonic())
        self.timings: dict[str, float] = {}

    # -- progress -------------------------------------------------------------------------------------
    def progress(self, done: int, total: int | None = None, phase: str | None = None, force: bool = False):
        changed_phase = bool(phase) and phase != self._phase[0]
        if changed_phase:
            self.end_phase()
            self._phase = (phase, time.monotonic())
        self.channel.update(rows_done=done, rows_total=total, phase=phase, force=force)
        if self.want_bar:
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="rows", leave=False)
            if changed_phase or (total is not None and self.bar.total != total):
                self.bar.reset(total=total)
                self._bar_done = 0
            if phase:
                self.bar.set_description(phase)
            self.bar.update(max(0, done - self._bar_done))
            self._bar_done = done

    def end_phase(self):
        name, since = self._phase
        self.timings[name] = round(self.timings.get(name, 0) + time.monotonic() - since, 3)
        self._phase = (name, time.monotonic())

    # -- rejected rows --------------------------------------------------------------------------------
    def _values(self, header, cells) -> dict:
        from .cells import text

        out = {}
        if header is None or cells is None:
            return out
        for name, value in zip(header, cells, strict=False):
            shown = text(value)
            if shown:
                out[name or "?"] = shown[:MAX_REPORTED_VALUE]
        return out

    def reject(self, row: int, reason: str, *, column: str = "", key: str = "", header=None, cells=None):
        """The row is not imported; the report says why."""
        self.rejected_rows.add(row)
        self.rejected.append(RejectedRow(
            batch=self.batch, row_number=row, source_key=key[:80], column=column[:80], reason=reason[:500],
            values=self._values(header, cells), severity=RejectedRow.Severity.ERROR,
        ))

    def warn(self, row: int, reason: str, *, column: str = "", key: str = "", value=None):
        """The row is imported; one value was impossible and was dropped (or not normalised)."""
        from .cells import text

        self.warned_rows.add(row)
        self.rejected.append(RejectedRow(
            batch=self.batch, row_number=row, source_key=key[:80], column=column[:80], reason=reason[:500],
            values={column or "value": text(value)[:MAX_REPORTED_VALUE]} if value is not None else {},
            severity=RejectedRow.Severity.WARNING,
        ))

    # -- saving job orders ----------------------------------------------------------------------------
    def save_job_orders(self, records: list[dict], *, match_on_year: bool) -> None:
        """Create, update or leave unchanged. ``records`` are dicts of JOB_ORDER_FIELDS plus source_row.
        ``match_on_year``: identity includes the fiscal year (OFLC disclosure files); otherwise a record
        is matched on (source, source_key, line) and may move between years (snapshots)."""
        if not records:
            return
        source = records[0]["source"]
        existing: dict[tuple, tuple[int, str]] = {}
        if match_on_year:
            years = sorted({r["fiscal_year"] for r in records})
            rows = JobOrder.objects.filter(source=source, fiscal_year__in=years).values_list(
                "id", "source_key", "fiscal_year", "line", "row_hash")
            for pk, key, year, line, row_hash in rows.iterator(chunk_size=5000):
                existing[(key, year, line)] = (pk, row_hash)
        else:
            rows = JobOrder.objects.filter(source=source).values_list("id", "source_key", "line", "row_hash")
            for pk, key, line, row_hash in rows.iterator(chunk_size=5000):
                existing[(key, line)] = (pk, row_hash)

        # Rows are built as lists in the column order of the INSERT (no per-row dicts: this loop runs
        # 345,000 times for the LMIA lists). The hash covers the imported values only.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        fields = JOB_ORDER_FIELDS
        text_fields = _text_fields(JobOrder)
        limits = _text_limits(JobOrder)
        blank_if_none = [i for i, f in enumerate(fields) if f in text_fields]
        cut = [(i, limits[f]) for i, f in enumerate(fields) if f in limits]
        extra_at, key_at, year_at, line_at = (fields.index(f) for f in ("extra", "source_key", "fiscal_year", "line"))
        writer = RowWriter(JobOrder, [*fields, "row_hash", "source_file", "source_row", "batch_id", "updated_at",
                                      "is_synthetic", "isco_code", "isco_method", "isco_alternatives"])
        keep_on_update = [i for i, f in enumerate(fields) if f not in ("source", "source_key", "line")]
        updater = RowWriter(JobOrder, [*(fields[i] for i in keep_on_update), "row_hash", "source_file", "source_row",
                                       "batch_id", "updated_at", "isco_code", "isco_method", "isco_alternatives"])
        # ISCO-08 is mapped as rows are written (a second pass would rewrite every row and its indexes).
        from ..services import IscoMapper

        isco_for = IscoMapper()
        system_at, code_at = fields.index("occupation_system"), fields.index("occupation_code")
        batch_id, source_name = self.batch.pk, self.source_name
        total = len(records)
        new, changed = [], []
        self.progress(0, total, "saving", force=True)
        for done, values in enumerate(records, start=1):
            get = values.get
            row = [get(f) for f in fields]
            for i in blank_if_none:
                if row[i] is None:
                    row[i] = ""
            for i, limit in cut:
                value = row[i]
                if value.__class__ is str and len(value) > limit:
                    row[i] = value[:limit]
            if not row[extra_at]:
                row[extra_at] = {}
            row_hash = hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest()
            key = (row[key_at], row[year_at], row[line_at]) if match_on_year else (row[key_at], row[line_at])
            found = existing.get(key)
            row[extra_at] = json.dumps(row[extra_at], ensure_ascii=False, default=str)
            if found is None:
                isco, method, alternatives = isco_for(row[system_at], row[code_at])
                new.append([*row, row_hash, source_name, values["source_row"], batch_id, now, False, isco, method,
                            json.dumps(alternatives)])
                existing[key] = (None, row_hash)
            elif found[1] == row_hash:
                self.counts.unchanged += 1
            elif found[0] is None:
                raise ImportFileError(f"Two rows of this file have the same identity {key}.")
            else:
                isco, method, alternatives = isco_for(row[system_at], row[code_at])
                changed.append([*(row[i] for i in keep_on_update), row_hash, source_name, values["source_row"],
                                batch_id, now, isco, method, json.dumps(alternatives), found[0]])
            if len(new) >= CHUNK:
                writer.insert_rows(new)
                self.counts.created += len(new)
                new = []
            if len(changed) >= CHUNK:
                updater.update_rows(changed)
                self.counts.updated += len(changed)
                changed = []
            if done % 1000 == 0:
                self.progress(done, total)
        writer.insert_rows(new)
        self.counts.created += len(new)
        updater.update_rows(changed)
        self.counts.updated += len(changed)
        self.progress(total, total, force=True)

    # -- saving worksites, housing, crops -------------------------------------------------------------
    def save_children(self, model, records: list[dict], fields: list[str], count_as: str = "") -> None:
        """Upsert Worksite / Housing / Crop rows keyed on (source_file, source_row). Their counts are the batch's
        (addenda files) or, with ``count_as``, go to the batch summary (housing read from a main file)."""
        if not records:
            return
        existing = {
            row["source_row"]: row for row in model.objects.filter(source_file=self.source_name).values(
                "id", "source_row", *fields)
        }
        text_fields = _text_fields(model)
        columns = [*fields, "source_file", "source_row", "batch_id"]
        writer = RowWriter(model, columns)
        new, changed = [], []
        for values in records:
            data = _truncate_fields(model, {f: values.get(f) for f in fields})
            for name in text_fields.intersection(data):
                if data[name] is None:
                    data[name] = ""
            found = existing.get(values["source_row"])
            data.update(source_file=self.source_name, source_row=values["source_row"], batch_id=self.batch.pk)
            if found is None:
                new.append(data)
            elif any(_plain(found[f]) != _plain(data[f]) for f in fields):
                changed.append((found["id"], data))
        for start in range(0, len(new), CHUNK):
            writer.insert(new[start:start + CHUNK])
        for start in range(0, len(changed), CHUNK):
            writer.update(changed[start:start + CHUNK])
        if count_as:
            self.summary[f"{count_as}_created"] = len(new)
            self.summary[f"{count_as}_updated"] = len(changed)
            self.summary[f"{count_as}_unchanged"] = len(records) - len(new) - len(changed)
        else:
            self.counts.created += len(new)
            self.counts.updated += len(changed)
            self.counts.unchanged += len(records) - len(new) - len(changed)


class Importer(ABC):
    """One kind of file. Subclasses set the class attributes and implement ``run(ctx)``."""

    kind = ""
    help = ""
    source = ""
    country = "USA"
    formats: tuple[str, ...] = ()
    # ISO3 countries whose destination officials may upload this kind.

    @abstractmethod
    def run(self, ctx: ImportContext) -> None:
        """Read the file and write its rows through ``ctx``."""


def _source_name(importer: Importer, file_name: str, sha256: str) -> str:
    """The name rows will cite as their source file. The same content uploaded under another name keeps the
    name it was first imported with, so re-importing it cannot create a second copy of its worksites."""
    earlier = (
        ImportBatch.objects.filter(kind=importer.kind, file_sha256=sha256, status=ImportBatch.Status.SUCCEEDED)
        .exclude(file_name=file_name).order_by("created_at").values_list("file_name", flat=True).first()
    )
    return earlier or file_name


def _post_passes(ctx: ImportContext, *, defer_employers: bool = False) -> None:
    """Employer identity for the rows this batch created or changed (their ISCO-08 mapping was written with them)."""
    rows = JobOrder.objects.filter(batch=ctx.batch)
    try:
        from temporada.employers.resolution import resolve_job_orders
    except ImportError:  # the employers app's resolution is not installed: employer stays empty
        ctx.summary["employers"] = "resolution not available"
        return
    if defer_employers:
        # Large default loads: the background worker attaches employers once the rows are committed.
        from ..tasks import resolve_batch_employers

        batch_id = ctx.batch.pk
        transaction.on_commit(lambda: resolve_batch_employers.enqueue(batch_id))
        ctx.summary["employers"] = "queued"
        return
    ctx.progress(0, None, "employers", force=True)
    ctx.summary["employers_changed"] = resolve_job_orders(rows)


def run_import(importer: Importer, path, *, batch: ImportBatch | None = None, user=None, file_name: str = "",
               stdout=None, progress: bool = False, request=None, defer_employers: bool = False) -> ImportBatch:
    """Import ``path`` with ``importer``; returns the finished batch, raises ImportFailed after recording it.
    ``defer_employers``: attach employers in a background task after the import commits (default data)."""
    path = Path(path)
    file_name = (file_name or path.name)[:255]
    started = time.monotonic()
    if batch is None:
        batch = ImportBatch(kind=importer.kind, source=importer.source, country_id=importer.country,
                            file_name=file_name, created_by=user if getattr(user, "is_authenticated", False) else None)
    try:
        if not path.exists():
            raise ImportFileError(f"No such file: {path.name}")
        batch.file_size = check_size(path)
        batch.file_sha256 = file_sha256(path)
    except (ImportFileError, OSError) as exc:
        _fail(batch, str(exc), started, user=user, request=request)
        raise ImportFailed(str(exc), batch)

    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = timezone.now()
    batch.phase = "reading"
    batch.error = ""
    batch.save()
    record(type=EventType.IMPORT_STARTED, actor=user, obj=batch, country=batch.country_id, request=request,
           details={"kind": importer.kind, "file": file_name, "sha256": batch.file_sha256})

    # Progress through a side channel only when this is the outermost transaction (bootstrap wraps imports
    # in its own; nobody is watching those).
    channel = ProgressChannel(batch, enabled=not connection.in_atomic_block)
    ctx = ImportContext(batch=batch, path=path, source_name=_source_name(importer, file_name, batch.file_sha256),
                        channel=channel, want_bar=progress)
    try:
        with transaction.atomic():
            importer.run(ctx)
            RejectedRow.objects.bulk_create(ctx.rejected, batch_size=CHUNK)
            _post_passes(ctx, defer_employers=defer_employers)
            ctx.end_phase()
            ctx.summary["seconds"] = ctx.timings
            channel.close()
            batch.status = ImportBatch.Status.SUCCEEDED
            batch.rows_total = ctx.rows_read
            batch.rows_done = ctx.rows_read
            batch.rows_created = ctx.counts.created
            batch.rows_updated = ctx.counts.updated
            batch.rows_unchanged = ctx.counts.unchanged
            batch.rows_rejected = len(ctx.rejected_rows)
            batch.rows_warned = len(ctx.warned_rows - ctx.rejected_rows)
            batch.summary = ctx.summary
            batch.phase = "done"
            batch.finished_at = timezone.now()
            batch.duration_seconds = round(time.monotonic() - started, 3)
            batch.save()
            record(type=EventType.IMPORT_FINISHED, actor=user, obj=batch, country=batch.country_id, request=request,
                   details={"created": batch.rows_created, "updated": batch.rows_updated,
                            "unchanged": batch.rows_unchanged, "rejected": batch.rows_rejected})
    except Exception as exc:
        channel.close()
        message = str(exc) if isinstance(exc, (ImportFileError, ImportFailed)) else (
            f"Unexpected error while importing ({type(exc).__name__}: {exc}). Nothing was imported.")
        if not isinstance(exc, (ImportFileError, ImportFailed)):
            logger.exception("import of %s failed", file_name)
        _fail(batch, message, started, user=user, request=request, rows_read=ctx.rows_read)
        raise ImportFailed(message, batch) from exc
    finally:
        if ctx.bar is not None:
            ctx.bar.close()
    if stdout is not None:
        stdout.write(summary_line(batch))
    return batch


def _fail(batch: ImportBatch, message: str, started: float, *, user=None, request=None, rows_read: int = 0):
    """Record the failure in its own transaction (the import's was rolled back)."""
    with transaction.atomic():
        batch.status = ImportBatch.Status.FAILED
        batch.error = message[:5000]
        batch.phase = "failed"
        batch.rows_total = rows_read
        batch.rows_done = 0
        batch.rows_created = batch.rows_updated = batch.rows_unchanged = batch.rows_rejected = batch.rows_warned = 0
        batch.finished_at = timezone.now()
        batch.duration_seconds = round(time.monotonic() - started, 3)
        if batch.started_at is None:
            batch.started_at = batch.finished_at
        batch.save()
        record(type=EventType.IMPORT_FAILED, actor=user, obj=batch, country=batch.country_id, request=request,
               details={"error": message[:500]})


def summary_line(batch: ImportBatch) -> str:
    return (
        f"{batch.kind} {batch.file_name}: layout {batch.layout or '?'}, {batch.period_label or 'no period'}"
        f"{' (partial period)' if batch.is_partial_period else ''}; {batch.rows_total} rows read, "
        f"{batch.rows_created} created, {batch.rows_updated} updated, {batch.rows_unchanged} unchanged, "
        f"{batch.rows_rejected} rejected, {batch.rows_warned} with warnings, {batch.duration_seconds:.1f}s"
    )

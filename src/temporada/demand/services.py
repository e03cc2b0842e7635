"""Writes of the demand app: queuing and running imports, the ISCO mapping pass.

Imports themselves live in ``importers`` (one transaction per file, see importers/base.py); these are the
entry points views, tasks and the bootstrap call.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.utils import timezone

from temporada.accounts.roles import Role
from temporada.core.audit import EventType, record

from .models import ImportBatch, JobOrder

logger = logging.getLogger(__name__)

NO_CODE = "no occupation code published"
PENDING = "pending: occupation crosswalks not available yet"


# -- ISCO-08 mapping -----------------------------------------------------------------------------------------

def _mapping_api():
    try:
        from temporada.occupations import queries
    except ImportError:
        return None, None
    return getattr(queries, "isco_mapping_table", None), getattr(queries, "isco_for_occupation_code", None)


def _as_mapping(matches) -> tuple[str, str, list[str]]:
    """(isco code, method, other codes) from the occupations app's list of IscoMatch (best first)."""
    matches = list(matches or [])
    if not matches:
        return "", "", []
    best = matches[0]
    method = best.method if not best.detail else f"{best.method}: {best.detail}"
    alternatives = [m.isco_code for m in matches[1:] if m.isco_code != best.isco_code]
    return best.isco_code[:4], method[:120], alternatives


def _mapping_for(system: str, code: str, table_for, one_code, tables: dict) -> tuple[str, str, list[str]]:
    if not code:
        return "", NO_CODE, []
    if table_for is None and one_code is None:
        return "", PENDING, []
    try:
        if table_for is not None:
            if system not in tables:
                tables[system] = table_for(system)
            matches = tables[system].lookup(code)
        else:
            matches = one_code(system, code)
    except Exception:  # noqa: BLE001 - a crosswalk problem must not stop an import; the method says why
        logger.exception("ISCO mapping failed for %s %s", system, code)
        return "", "mapping failed: see server log", []
    isco, method, alternatives = _as_mapping(matches)
    if not isco:
        method = f"no {system} → ISCO-08 correspondence for {code}"
    return isco, method[:120], alternatives


class IscoMapper:
    """(system, code) -> (isco_code, isco_method, alternatives), one crosswalk lookup per distinct code."""

    def __init__(self):
        self.table_for, self.one_code = _mapping_api()
        self.tables: dict[str, dict] = {}
        self.cache: dict[tuple[str, str], tuple[str, str, list[str]]] = {}

    def __call__(self, system: str, code: str) -> tuple[str, str, list[str]]:
        key = (system or "", code or "")
        if key not in self.cache:
            self.cache[key] = _mapping_for(key[0], key[1], self.table_for, self.one_code, self.tables)
        return self.cache[key]


def remap_isco(job_orders) -> int:
    """Set isco_code / isco_method / isco_alternatives for ``job_orders`` (a queryset) from the occupations
    app's crosswalks: one lookup per distinct published code, then one UPDATE per mapping and chunk of rows
    whose mapping changed. Imports map rows as they write them; this pass is for later (e.g. after the
    crosswalks changed). Returns the number of rows changed."""
    mapper = IscoMapper()
    changes: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}
    rows = job_orders.order_by().values_list(
        "id", "occupation_system", "occupation_code", "isco_code", "isco_method", "isco_alternatives")
    for pk, system, code, isco, method, alternatives in rows.iterator(chunk_size=5000):
        new = mapper(system, code)
        if (isco, method, list(alternatives or [])) != (new[0], new[1], new[2]):
            changes.setdefault((new[0], new[1], tuple(new[2])), []).append(pk)
    changed = 0
    for (isco, method, alternatives), ids in changes.items():
        for start in range(0, len(ids), 900):  # under SQLite's oldest limit of 999 parameters
            changed += JobOrder.objects.filter(pk__in=ids[start:start + 900]).update(
                isco_code=isco, isco_method=method, isco_alternatives=list(alternatives))
    return changed


@transaction.atomic
def remap_all_isco(*, actor=None) -> int:
    """Re-run the ISCO mapping over every job order (after the crosswalks were loaded or changed)."""
    count = remap_isco(JobOrder.objects.all())
    record(type=EventType.RECORD_CHANGED, actor=actor, object_type="demand.joborder", object_id="*",
           object_repr="ISCO-08 mapping pass", details={"rows": count})
    return count


# -- uploads -------------------------------------------------------------------------------------------------

def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads" / "demand"
    path.mkdir(parents=True, exist_ok=True)
    return path


def importable_countries(user) -> set[str] | None:
    """ISO3 countries whose files ``user`` may import (None = any: administrators). Mirrors
    ImportBatch.scope's "create" rule."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.role == Role.ADMIN or user.is_superuser:
        return None
    if user.role == Role.DESTINATION_OFFICIAL:
        return set(user.country_codes)
    return set()


def can_import(user, country: str) -> bool:
    allowed = importable_countries(user)
    return allowed is None or country in allowed


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@transaction.atomic
def queue_upload(*, user, kind: str, uploaded, request=None) -> ImportBatch:
    """Store an uploaded file and queue its import as a background task. The file must already have passed
    the form's checks (size cap, content sniffing)."""
    from .importers import get_importer
    from .tasks import import_batch

    importer = get_importer(kind)
    if not can_import(user, importer.country):
        raise PermissionDenied("not allowed to import files of this country")
    name = os.path.basename(uploaded.name or "upload")[:200]
    stored = upload_dir() / f"{uuid.uuid4().hex}-{_SAFE.sub('_', name)[:100]}"
    with open(stored, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    batch = ImportBatch.objects.create(
        kind=kind, source=importer.source, country_id=importer.country, file_name=name, file_size=uploaded.size,
        created_by=user, stored_file=str(stored), status=ImportBatch.Status.QUEUED, phase="queued",
    )
    record(type=EventType.RECORD_CREATED, actor=user, obj=batch, country=batch.country_id, request=request,
           details={"kind": kind, "file": name, "bytes": uploaded.size, "queued": True})
    batch_id = batch.pk
    transaction.on_commit(lambda: import_batch.enqueue(batch_id))
    return batch


# No import takes anywhere near this long: a batch still "running" after it lost its worker (process killed,
# machine restarted). Its transaction was rolled back with the process, so nothing of the file is in the database.
INTERRUPTED_AFTER = timedelta(hours=6)


def fail_interrupted_batches() -> int:
    """Record as failed the batches left running by a worker that died."""
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING,
                                       started_at__lt=timezone.now() - INTERRUPTED_AFTER)
    count = 0
    for batch in stale:
        with transaction.atomic():
            batch.status = ImportBatch.Status.FAILED
            batch.phase = "failed"
            batch.error = ("Interrupted: the process running this import stopped before it finished. "
                           "Nothing of the file was kept; import it again.")
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "phase", "error", "finished_at"])
            record(type=EventType.IMPORT_FAILED, obj=batch, country=batch.country_id,
                   details={"error": "interrupted"})
        count += 1
    return count


def run_queued_batch(batch_id: int) -> str:
    """Run the import of a queued upload (called by the background task)."""
    from .importers import ImportFailed, get_importer, run_import

    fail_interrupted_batches()
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.QUEUED,):
        return f"batch {batch_id} is {batch.status}: nothing to do"
    path = Path(batch.stored_file)
    try:
        run_import(get_importer(batch.kind), path, batch=batch, user=batch.created_by, file_name=batch.file_name)
        outcome = "succeeded"
        _rebuild_cubes_in_background()
    except ImportFailed:
        outcome = "failed"
    finally:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
        ImportBatch.objects.filter(pk=batch_id).update(stored_file="")
    return f"batch {batch_id} {outcome}"


def _resolve_chunk(rows, resolve_job_orders, attempts: int = 5) -> int:
    """One chunk in its own transaction. A database busy beyond its timeout (SQLite while the web process
    rebuilds the dashboard cubes) rolls the chunk back whole; it is tried again rather than failing the
    task and leaving the rest of the batch without employers."""
    import time

    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return resolve_job_orders(rows)
        except OperationalError:
            if attempt == attempts:
                raise
            logger.warning("employer resolution chunk busy (attempt %s of %s); trying again", attempt, attempts)
            time.sleep(2 * attempt)
    return 0


def resolve_employers_of_batch(batch_id: int, *, chunk: int = 40_000) -> str:
    """Employer identity for the job orders of one batch that have none yet (deferred after a default load).
    Works through the rows in chunks, one short transaction each: on SQLite a single long write would keep
    every other writer (sign-ins, uploads) waiting for minutes."""
    from temporada.employers.resolution import resolve_job_orders

    pending = JobOrder.objects.filter(batch_id=batch_id, employer__isnull=True)
    ids = list(pending.order_by("id").values_list("id", flat=True))
    changed = 0
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        changed += _resolve_chunk(pending.filter(id__gte=part[0], id__lte=part[-1]), resolve_job_orders)
    with transaction.atomic():
        batch = ImportBatch.objects.get(pk=batch_id)
        batch.summary = {**(batch.summary or {}), "employers": "resolved", "employers_changed": changed}
        batch.save(update_fields=["summary"])
        record(type=EventType.RECORD_CHANGED, obj=batch, country=batch.country_id,
               details={"employers_changed": changed, "deferred": True})
    _rebuild_cubes_in_background()
    return f"batch {batch_id}: {changed} job orders attached to employers"


def _rebuild_cubes_in_background() -> None:
    """The worker brings the dashboard cubes up to date after it changed job orders, so no visitor's
    request has to rebuild them."""
    from .aggregates import ensure_cubes

    try:
        ensure_cubes()
    except OperationalError:
        logger.warning("dashboard cubes not rebuilt (database busy); the next dashboard request rebuilds them")

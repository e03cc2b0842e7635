"""Live progress of an import that runs inside one long database transaction.

Rows written by the import stay invisible until it commits, so progress cannot travel with them:
- PostgreSQL: progress is written through a second database connection in autocommit mode. The import
  transaction never updates the batch row before the end (only inserts rows that reference it, which take
  a key-share lock that does not conflict), so the side connection never waits on it.
- SQLite allows a single writer: while the import holds the write lock, no other connection can update
  the batch row. Progress goes to a small JSON file next to the database instead (SQLite means a single
  host, so the web process and the task worker share the folder). Writes are atomic renames.
Readers call ``read_progress(batch)``, which prefers the live file and falls back to the batch row.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from .models import ImportBatch

MIN_INTERVAL = 0.4  # seconds between two writes
# The table name comes from the model, the values are parameters.
_UPDATE_SQL = "UPDATE " + ImportBatch._meta.db_table + " SET rows_done = %s, rows_total = %s, phase = %s WHERE id = %s"  # noqa: S608  # nosec B608


def progress_dir() -> Path:
    path = Path(settings.VAR_DIR) / "import-progress"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_file(batch_id: int) -> Path:
    return progress_dir() / f"batch-{int(batch_id)}.json"


class ProgressChannel:
    """Throttled progress writer for one batch; ``close()`` flushes and releases the side channel."""

    def __init__(self, batch: ImportBatch, *, enabled: bool = True):
        self.batch_id = batch.pk
        self.enabled = enabled and batch.pk is not None
        self.vendor = connection.vendor
        self._side = None
        self._last = 0.0
        self._state = {"rows_done": 0, "rows_total": 0, "phase": ""}
        if self.enabled and self.vendor != "sqlite":
            try:
                self._side = connections.create_connection("default")
                self._side.ensure_connection()
                self._side.set_autocommit(True)
            except Exception:  # noqa: BLE001 - progress is best effort; the import must not fail for it
                self._side = None

    def update(self, *, rows_done: int, rows_total: int | None = None, phase: str | None = None, force=False):
        if rows_total is not None:
            self._state["rows_total"] = int(rows_total)
        if phase is not None:
            changed_phase = phase != self._state["phase"]
            self._state["phase"] = phase
            force = force or changed_phase
        self._state["rows_done"] = min(int(rows_done), self._state["rows_total"] or int(rows_done))
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        self._write()

    def _write(self):
        state = dict(self._state, updated=time.time())
        if self._side is not None:
            try:
                with self._side.cursor() as cursor:
                    cursor.execute(
                        _UPDATE_SQL, [state["rows_done"], state["rows_total"], state["phase"][:20], self.batch_id]
                    )
            except Exception:  # noqa: BLE001
                self._side = None
            return
        target = progress_file(self.batch_id)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".batch-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w") as out:
                json.dump(state, out)
            os.replace(temp, target)
        except OSError:
            try:
                os.unlink(temp)
            except OSError:
                pass

    def close(self):
        if self.enabled:
            self._write()
        if self._side is not None:
            try:
                self._side.close()
            except Exception:  # noqa: BLE001, S110
                pass
            self._side = None
        try:
            progress_file(self.batch_id).unlink(missing_ok=True)
        except OSError:
            pass


def read_progress(batch: ImportBatch) -> dict:
    """rows_done, rows_total, phase and percent of a batch, live while it runs."""
    state = {"rows_done": batch.rows_done, "rows_total": batch.rows_total, "phase": batch.phase}
    if batch.status in (ImportBatch.Status.RUNNING, ImportBatch.Status.QUEUED):
        path = progress_file(batch.pk)
        try:
            state.update({k: v for k, v in json.loads(path.read_text()).items() if k in state})
        except (OSError, ValueError):
            pass
    if batch.status == ImportBatch.Status.SUCCEEDED:
        state["rows_done"] = state["rows_total"]
    total = state["rows_total"] or 0
    state["percent"] = int(100 * state["rows_done"] / total) if total else 0
    return state

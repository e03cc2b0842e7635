"""Progress of an import is visible to other connections while its transaction is still open
(SQLite: a progress file, since the import holds the only write lock; PostgreSQL: a side connection)."""

import threading

import pytest
from django.db import connection, connections

from temporada.demand.importers import base
from temporada.demand.models import ImportBatch, JobOrder
from temporada.demand.progress import progress_file, read_progress

from .conftest import H2A, real, slice_workbook


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(reference, run, tmp_path):
    path = slice_workbook(real(*H2A, "H-2A_Disclosure_Data_FY17.xlsx"), tmp_path / "H-2A_FY17.xlsx", first=1200)
    paused, release = threading.Event(), threading.Event()
    original = base.ImportContext.save_job_orders

    def save_then_wait(self, records, **options):
        original(self, records, **options)  # 1,200 rows written, transaction still open
        self.progress(len(records), len(records), "saving", force=True)
        paused.set()
        release.wait(30)

    errors = []

    def work():
        try:
            run("oflc-h2a", path)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    base.ImportContext.save_job_orders = save_then_wait
    try:
        worker = threading.Thread(target=work)
        worker.start()
        assert paused.wait(60), errors
        batch = ImportBatch.objects.get()  # this thread's own connection
        seen = read_progress(batch)
        assert batch.status == "running"
        assert (seen["phase"], seen["rows_done"], seen["rows_total"], seen["percent"]) == ("saving", 1200, 1200, 100)
        if connection.vendor == "sqlite":
            # The test database is SQLite in memory with a shared cache, where reading a table another
            # connection is writing raises "table is locked" (a file database in WAL mode, as deployed, lets
            # readers through): only the progress file is read here.
            assert progress_file(batch.pk).exists()
        else:
            assert not JobOrder.objects.exists()  # the rows themselves are not committed yet
    finally:
        release.set()
        worker.join(60)
        base.ImportContext.save_job_orders = original
    assert not errors
    batch = ImportBatch.objects.get()
    assert batch.status == "succeeded" and JobOrder.objects.count() == 1200
    assert read_progress(batch)["percent"] == 100 and not progress_file(batch.pk).exists()

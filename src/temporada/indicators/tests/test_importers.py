"""Importers: provenance, idempotence, rejected rows with reasons, whole-file refusals, atomicity."""

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from temporada.core.models import AuditEvent
from temporada.core.testing import make_user
from temporada.indicators.importers.base import FileRefused
from temporada.indicators.models import Dataset, ImportBatch, IndicatorValue, MigrantStock, RejectedRow
from temporada.indicators.services import import_file

from .slices import load_slices, slice_text, write_slice

pytestmark = pytest.mark.django_db


def stock_total(**filters):
    return sum(MigrantStock.objects.filter(**filters).values_list("value", flat=True))


def test_provenance_of_each_load(migration_data, tmp_path):
    for key, summary in migration_data.items():
        path = tmp_path / summary["file"]
        batch = ImportBatch.objects.get(pk=summary["batch"])
        assert batch.is_current and batch.dataset_id == key
        assert batch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert batch.file_size == path.stat().st_size
        data_lines = len(path.read_text(encoding="utf-8").splitlines()) - 1
        assert batch.rows_read == data_lines == batch.rows_loaded + batch.rows_rejected
        dataset = Dataset.objects.get(key=key)
        assert dataset.rows == batch.rows_loaded and dataset.last_loaded_at is not None
        event = AuditEvent.objects.get(type=AuditEvent.Type.IMPORT_FINISHED, object_id=str(batch.pk))
        assert event.details["sha256"] == batch.sha256 and event.details["rows_loaded"] == batch.rows_loaded
    # Every stored row points back to its line in the file.
    row = MigrantStock.objects.get(destination="USA", origin="GTM", year=2020, sex="F")
    lines = (tmp_path / migration_data["migrant-stock"]["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[row.source_line - 1] == f"USA,GTM,2020,Female,{row.value}"


def test_groupings_without_a_code_are_reported_not_loaded(migration_data):
    batch = ImportBatch.objects.get(dataset_id="country-codes", is_current=True)
    reasons = {r.raw.split(",")[1]: r.reason for r in batch.rejects.all()}
    assert set(reasons) == {"UK_OCT", "RNC", "STLS", "UNK"}
    assert all("ISO3" in reason for reason in reasons.values())


def test_second_import_of_the_same_file_changes_nothing(migration_data, tmp_path):
    before = (MigrantStock.objects.count(), ImportBatch.objects.count())
    again = load_slices(tmp_path)
    assert {s["status"] for s in again.values()} == {"unchanged"}
    assert (MigrantStock.objects.count(), ImportBatch.objects.count()) == before


def test_forced_reload_replaces_rows_and_keeps_history(migration_data, tmp_path):
    path = write_slice(tmp_path, "migrant-stock")
    first = migration_data["migrant-stock"]["batch"]
    total = stock_total(destination="USA", year=2020)
    summary = import_file(actor=None, dataset_key="migrant-stock", path=path, force=True)
    assert summary["status"] == "loaded" and summary["batch"] != first
    assert stock_total(destination="USA", year=2020) == total
    assert MigrantStock.objects.count() == summary["rows_loaded"]
    assert list(ImportBatch.objects.filter(dataset_id="migrant-stock").values_list("is_current", flat=True)) == [True,
                                                                                                               False]


def test_wiped_rows_are_reloaded_even_from_the_same_file(migration_data, tmp_path):
    MigrantStock.objects.all().delete()
    summary = import_file(actor=None, dataset_key="migrant-stock", path=write_slice(tmp_path, "migrant-stock"))
    assert summary["status"] == "loaded" and MigrantStock.objects.count() == summary["rows_loaded"]


BAD_ROWS = [
    ("ZZZ,MEX,2020,Female,5", "desconocido"),
    ("USA,MEX,1993,Female,5", "cada cinco años"),
    ("USA,MEX,2020,Other,5", "sex"),
    ("USA,HTI,2020,Male,-4", "entero positivo"),
    ("USA,HTI,2020,Male,12.5", "entero positivo"),
    ("USA,HTI,2020,Male,lots", "no es un número"),
    ("USA,USA,2020,Male,4", "mismo país"),
    ("USA,MEX,2020,Male", "columnas"),
]


def test_bad_rows_are_rejected_with_line_and_reason_and_the_rest_loads(reference_countries, tmp_path):
    load_slices(tmp_path, keys=("country-codes",))
    lines = slice_text("migrant-stock").splitlines()
    duplicate = lines[1]
    text = "\n".join(lines + [row for row, _reason in BAD_ROWS] + [duplicate]) + "\n"
    summary = import_file(actor=None, dataset_key="migrant-stock", path=write_slice(tmp_path, "migrant-stock", text))
    assert summary["rows_loaded"] == len(lines) - 1
    rejects = list(RejectedRow.objects.filter(batch_id=summary["batch"]).order_by("line"))
    assert len(rejects) == len(BAD_ROWS) + 1 == summary["rows_rejected"]
    for reject, (raw, reason) in zip(rejects, BAD_ROWS, strict=False):
        assert reject.raw == raw and reason in reject.reason
        assert text.splitlines()[reject.line - 1] == raw
    assert rejects[-1].raw == duplicate and "línea 2" in rejects[-1].reason


@pytest.mark.parametrize("text,message", [
    ("destination,origin,year,sex,migrant_stock\nUSA,MEX,2020,Female,1\n", "Faltan columnas"),
    ("", "vacío"),
    ("destination_iso3,origin_iso3,year,sex,migrant_stock\n", "no tiene filas"),
])
def test_wrong_files_are_refused_whole_and_leave_the_data_alone(migration_data, tmp_path, text, message):
    before = stock_total()
    path = tmp_path / "wrong.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileRefused, match=message):
        import_file(actor=None, dataset_key="migrant-stock", path=path)
    assert stock_total() == before
    failed = AuditEvent.objects.get(type=AuditEvent.Type.IMPORT_FAILED)
    assert failed.object_id == "migrant-stock" and message in failed.details["error"]


def test_non_utf8_and_mostly_bad_files_are_refused(migration_data, tmp_path):
    before = IndicatorValue.objects.count()
    path = tmp_path / "latin1.csv"
    path.write_bytes("iso3,indicator,year,value\nMEX,remin,2020,1\nPER,remin,2020,Señal\n".encode("latin-1"))
    with pytest.raises(FileRefused, match="UTF-8"):
        import_file(actor=None, dataset_key="country-indicators", path=path)
    lines = slice_text("country-indicators").splitlines()
    bad = [f"GTM,remin,{1900 + i},1" for i in range(len(lines) // 50)]  # 2 % of the rows
    with pytest.raises(FileRefused, match="no se carga nada"):
        import_file(actor=None, dataset_key="country-indicators",
                    path=write_slice(tmp_path, "country-indicators", "\n".join(lines + bad)))
    assert IndicatorValue.objects.count() == before


def test_unknown_indicator_codes_are_rejected(migration_data, tmp_path):
    lines = slice_text("country-indicators").splitlines()
    summary = import_file(actor=None, dataset_key="country-indicators",
                          path=write_slice(tmp_path, "country-indicators", "\n".join(lines + ["GTM,gdp_made_up,2020,1"])))
    reject = RejectedRow.objects.get(batch_id=summary["batch"])
    assert "gdp_made_up" in reject.reason and "definiciones" in reject.reason


def test_a_failure_while_writing_leaves_the_previous_load(migration_data, tmp_path, monkeypatch):
    before = (stock_total(), ImportBatch.objects.filter(dataset_id="migrant-stock").count())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RejectedRow.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        import_file(actor=None, dataset_key="migrant-stock", path=write_slice(tmp_path, "migrant-stock"), force=True)
    assert (stock_total(), ImportBatch.objects.filter(dataset_id="migrant-stock").count()) == before
    assert ImportBatch.objects.get(dataset_id="migrant-stock").is_current


def test_only_administrators_import(reference_countries, tmp_path):
    path = write_slice(tmp_path, "country-codes")
    with pytest.raises(PermissionDenied):
        import_file(actor=make_user("analyst"), dataset_key="country-codes", path=path)
    admin = make_user("admin")
    summary = import_file(actor=admin, dataset_key="country-codes", path=path)
    assert ImportBatch.objects.get(pk=summary["batch"]).imported_by == admin
    assert AuditEvent.objects.get(type=AuditEvent.Type.IMPORT_FINISHED).actor == admin


def test_import_data_command(reference_countries, tmp_path):
    out = StringIO()
    call_command("import_data", stdout=out)
    assert "migrant-stock" in out.getvalue() and "country-indicators" in out.getvalue()
    call_command("import_data", "country-codes", str(write_slice(tmp_path, "country-codes")), "--no-progress", stdout=out)
    assert "'rows_loaded': 238" in out.getvalue()
    with pytest.raises(CommandError, match="Faltan columnas"):
        bad = tmp_path / "bad.csv"
        bad.write_text("a,b\n1,2\n", encoding="utf-8")
        call_command("import_data", "population", str(bad), stdout=out)
    with pytest.raises(CommandError, match="No se encuentra"):
        call_command("import_data", "population", str(tmp_path / "missing.csv"), stdout=out)

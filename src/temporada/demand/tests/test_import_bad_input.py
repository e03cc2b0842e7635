"""Bad input: a clear error or a per-row rejection, and never half a file in the database."""

import gzip
from unittest import mock

import pytest

from temporada.core.models import AuditEvent
from temporada.demand.importers import ImportFailed
from temporada.demand.models import ImportBatch, JobOrder, RejectedRow

from .conftest import H2A, H2A_ADDENDA, SEASONALJOBS, real, sheet, slice_csv, slice_workbook, write_xlsx

pytestmark = pytest.mark.django_db

FY16 = "H-2A_Disclosure_Data_FY16_updated.xlsx"


def _fails(run, kind, path, message):
    with pytest.raises(ImportFailed) as caught:
        run(kind, path)
    assert message in str(caught.value), str(caught.value)
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch.status == "failed" and message in batch.error
    assert not JobOrder.objects.exists() and not RejectedRow.objects.exists()
    assert AuditEvent.objects.filter(type="import.failed", object_id=str(batch.pk)).exists()
    return batch


def test_a_file_that_is_not_a_spreadsheet(reference, run, tmp_path):
    path = tmp_path / "H-2A_FY2016.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    _fails(run, "oflc-h2a", path, "This is not a spreadsheet")


def test_a_truncated_workbook(reference, run, tmp_path):
    source = real(*H2A, FY16)
    path = tmp_path / FY16
    path.write_bytes(source.read_bytes()[:200_000])
    _fails(run, "oflc-h2a", path, "damaged or truncated")


def test_a_csv_in_the_wrong_encoding(reference, run, tmp_path):
    text = slice_csv(real(*SEASONALJOBS), tmp_path / "s.csv", first=30).read_text(encoding="utf-8")
    path = tmp_path / "snapshot_latin1.csv"
    path.write_bytes(text.replace("Snipes Adventures", "Peña Adventures").encode("latin-1"))
    _fails(run, "seasonaljobs-csv", path, "not UTF-8 text near row 2")


def test_an_unknown_layout_says_which_layout_came_closest(reference, run, tmp_path):
    # An Addendum A file imported as a main H-2A file.
    name = "H-2A_Addendum_A_Disclosure_Data_FY2022_Q1.xlsx"
    path = slice_workbook(real(*H2A_ADDENDA, name), tmp_path / name, first=5)
    batch = _fails(run, "oflc-h2a", path, "Unknown layout for oflc-h2a")
    assert "Closest is" in batch.error and "nothing was imported" in batch.error


def test_missing_required_columns_are_named(reference, run, tmp_path):
    name, rows = sheet(real(*H2A, FY16))
    header = list(rows[0])
    drop = header.index("NBR_WORKERS_CERTIFIED")
    path = write_xlsx(tmp_path / FY16, name, header[:drop] + header[drop + 1:],
                      [list(r[:drop]) + list(r[drop + 1:]) for r in rows[1:6]])
    _fails(run, "oflc-h2a", path, "required columns are missing: workers_certified (NBR_WORKERS_CERTIFIED)")


def _edited_fy16(tmp_path, edits: dict[int, dict[str, object]]):
    """The first rows of the FY2016 file with some cells changed: {row index: {column: value}}."""
    name, rows = sheet(real(*H2A, FY16))
    header = list(rows[0])
    body = [list(r) for r in rows[1:8]]
    for index, changes in edits.items():
        for column, value in changes.items():
            body[index][header.index(column)] = value
    return write_xlsx(tmp_path / FY16, name, header, body), body, header


def test_negative_and_non_numeric_counts_reject_their_rows_only(reference, run, tmp_path):
    path, body, header = _edited_fy16(tmp_path, {1: {"NBR_WORKERS_CERTIFIED": -3.0},
                                                 2: {"NBR_WORKERS_REQUESTED": "twelve"}})
    batch = run("oflc-h2a", path)
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(batch=batch, severity="error")}
    assert set(rejected) == {3, 4}
    assert (rejected[3].column, rejected[3].reason) == ("NBR_WORKERS_CERTIFIED", "negative count: -3")
    assert rejected[4].column == "NBR_WORKERS_REQUESTED" and "not a whole number" in rejected[4].reason
    assert rejected[3].source_key == body[1][0] and rejected[3].values["EMPLOYER_NAME"] == body[1][header.index("EMPLOYER_NAME")]
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (7, 5, 2)
    assert not JobOrder.objects.filter(source_key__in=[body[1][0], body[2][0]]).exists()


def test_year_2525_where_the_row_needs_the_date(reference, run, tmp_path):
    """SeasonalJobs takes a job order's fiscal year from its begin date: a begin date in 2525 rejects the row."""
    source = slice_csv(real(*SEASONALJOBS), tmp_path / "s.csv", first=5)
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("2026-01-08T00:00:00Z", "2525-01-08T00:00:00Z", 1)
    path = tmp_path / "snapshot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch = run("seasonaljobs-csv", path)
    rejected = RejectedRow.objects.get(batch=batch, severity="error")
    assert (rejected.row_number, rejected.column) == (3, "begin_date")
    assert "implausible date: 2525-01-08" in rejected.reason
    assert (batch.rows_created, batch.rows_rejected) == (4, 1)


def test_year_2525_in_a_descriptive_date_drops_the_date_not_the_case(reference, run, tmp_path):
    from datetime import datetime

    path, body, header = _edited_fy16(tmp_path, {0: {"REQUESTED_END_DATE_OF_NEED": datetime(2525, 11, 15)}})
    batch = run("oflc-h2a", path)
    job = JobOrder.objects.get(source_key=body[0][0], line=0)
    assert job.end_date is None and job.positions_certified == body[0][header.index("NBR_WORKERS_CERTIFIED")]
    warning = RejectedRow.objects.get(batch=batch, row_number=2)
    assert warning.severity == "warning" and "2525-11-15" in warning.reason
    assert batch.rows_rejected == 0 and batch.rows_warned == 1


def test_duplicated_case_numbers_in_a_one_row_per_case_file(reference, run, tmp_path):
    source = slice_csv(real(*SEASONALJOBS), tmp_path / "s.csv", first=4)
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "snapshot.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    batch = run("seasonaljobs-csv", path)
    rejected = RejectedRow.objects.get(batch=batch)
    assert rejected.row_number == 6 and rejected.reason.startswith("case number repeated (first at row 2)")
    assert JobOrder.objects.count() == 4


def test_missing_case_number_is_rejected(reference, run, tmp_path):
    path, body, _header = _edited_fy16(tmp_path, {3: {"CASE_NUMBER": ""}})
    batch = run("oflc-h2a", path)
    rejected = RejectedRow.objects.get(batch=batch, severity="error")
    assert (rejected.row_number, rejected.column, rejected.reason) == (5, "CASE_NUMBER", "missing case number")


def test_a_file_above_the_size_cap_is_refused_before_it_is_read(reference, run, tmp_path, settings):
    path = tmp_path / "H-2A_huge.xlsx"
    with open(path, "wb") as handle:  # 1 GB, sparse: costs no disk
        handle.truncate(1024 ** 3)
    settings.TEMPORADA_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
    with mock.patch("temporada.demand.importers.base.file_sha256") as hashing, \
            mock.patch("temporada.demand.importers.readers.open_spreadsheet") as reading:
        batch = _fails(run, "oflc-h2a", path, "above the 210 MB limit for imports")
    assert not hashing.called and not reading.called
    assert batch.file_sha256 == "" and "1073.7 MB" in batch.error


def test_a_gzip_bomb_stops_at_the_expansion_limit(reference, run, tmp_path, settings):
    settings.TEMPORADA_MAX_UPLOAD_BYTES = 2000
    header = slice_csv(real(*SEASONALJOBS), tmp_path / "s.csv", first=0).read_bytes()
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(header + b"x" * 200_000))
    _fails(run, "seasonaljobs-csv", path, "expands beyond the size limit")


def test_a_failure_after_rows_were_written_rolls_everything_back(reference, run, tmp_path):
    path = slice_workbook(real(*H2A, FY16), tmp_path / FY16, first=20)
    with mock.patch("temporada.employers.resolution.resolve_job_orders", side_effect=RuntimeError("disk full")):
        batch = _fails(run, "oflc-h2a", path, "Unexpected error while importing (RuntimeError: disk full)")
    assert batch.layout == "oflc-h2a-2016"  # what was learnt before the failure stays on the record
    assert batch.rows_created == 0
    # The same file imports cleanly afterwards.
    assert run("oflc-h2a", path).rows_created == 20


def test_the_wrong_kind_for_a_file_is_an_unknown_layout_not_a_mixed_import(reference, run, tmp_path):
    path = slice_workbook(real(*H2A, FY16), tmp_path / FY16, first=5)
    _fails(run, "oflc-h2b", path, "Unknown layout for oflc-h2b")

"""Fixtures of the demand tests: small slices of the real official files (real header, first rows or
chosen rows), and a shortcut to run an import."""

from __future__ import annotations

import csv
import gzip
import io
from functools import lru_cache
from pathlib import Path

import pytest

from temporada.core.bootstrap import data_path

H2A = ("labor_demand", "us_oflc_h2a", "raw")
H2A_ADDENDA = ("labor_demand", "us_oflc_h2a", "raw_addenda")
H2B = ("labor_demand", "us_oflc_h2b", "raw")
SEASONALJOBS = ("labor_demand", "us_seasonaljobs", "seasonaljobs_h2a_h2b_job_orders_snapshot_2026-01-15.csv.gz")
LMIA = ("labor_demand", "canada_lmia", "lmia_positive_employers_2017q1_2024q4_harmonized.csv.gz")
LMIA_AGRICULTURE = ("labor_demand", "canada_lmia", "lmia_positive_primary_agriculture_2017q1_2024q4.csv")
FIXTURES = Path(__file__).parent / "fixtures"


def real(*parts: str) -> Path:
    path = data_path(*parts)
    assert path.exists(), path
    return path


@lru_cache(maxsize=8)
def sheet(path: Path) -> tuple[str, tuple]:
    """(sheet name, rows) of a real workbook, read once per test session."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.sheet_names[0], tuple(tuple(r) for r in workbook.get_sheet_by_index(0).to_python())


def write_xlsx(dest: Path, sheet_name: str, header, rows) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_name[:31])
    worksheet.append(list(header))
    for row in rows:
        worksheet.append([None if value == "" else value for value in row])
    workbook.save(dest)
    return dest


def slice_workbook(source: Path, dest: Path, *, first: int = 0, where=None, header=None) -> Path:
    """Copy the real header and some rows (the first ``first`` ones, plus those ``where(row_dict)`` selects)
    of an official workbook into a small xlsx, cells keeping their published types."""
    name, rows = sheet(source)
    real_header = rows[0]
    chosen = []
    for index, row in enumerate(rows[1:]):
        record = dict(zip(real_header, row, strict=False))
        if index < first or (where is not None and where(record)):
            chosen.append(row)
    return write_xlsx(dest, name, header or real_header, chosen)


def slice_csv(source: Path, dest: Path, *, first: int = 0, where=None) -> Path:
    """Same for a CSV(.gz): real header, chosen records, written as .csv or .csv.gz after ``dest``'s name."""
    opener = gzip.open if source.name.endswith(".gz") else open
    with opener(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        chosen = []
        for index, row in enumerate(reader):
            if index < first or (where is not None and where(dict(zip(header, row, strict=False)))):
                chosen.append(row)
            elif where is None and index >= first:
                break
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(chosen)
    data = buffer.getvalue().encode("utf-8")
    dest.write_bytes(gzip.compress(data) if dest.name.endswith(".gz") else data)
    return dest


@pytest.fixture
def reference(reference_countries):
    """Real countries and subdivisions (job orders point at them)."""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    """Progress files and uploads of a test go to its own folder."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()


@pytest.fixture
def run():
    """run(kind, path, **options) -> ImportBatch (raises ImportFailed like the CLI)."""
    from temporada.demand.importers import get_importer, run_import

    def _run(kind: str, path, **options):
        return run_import(get_importer(kind), path, **options)

    return _run

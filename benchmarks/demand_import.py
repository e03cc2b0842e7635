"""Import of every vendored OFLC and LMIA file: rows per second, against just reading the same files.

    .venv/bin/python benchmarks/demand_import.py [--no-employers] [--only H-2A_FY2010]
    DATABASE_URL=postgres://temporada@127.0.0.1:5433/x .venv/bin/python benchmarks/demand_import.py

SQLite: a fresh database file in a temporary folder (WAL, as `make run` uses it). PostgreSQL (DATABASE_URL
set): a fresh test database on that server, dropped at the end. Nothing touches your own data.

For each file, in the order a person would import them (main files before their addenda):
1. baseline, the physical floor: open the file with the same reader the importer uses (calamine for
   xlsx/xls, the csv module for CSV/CSV.gz) and walk every cell of every row;
2. the real import (`run_import`: layout detection, validation, upsert in one transaction, rejected-row
   report, ISCO mapping, employer identity unless --no-employers), timed, with its phases;
then prints rows/s for both and the ratio import ÷ baseline, per file and in total.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["TEMPORADA_VAR_DIR"] = tempfile.mkdtemp(prefix="temporada-bench-import-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

DATA = ROOT / "data" / "labor_demand"
H2A, H2A_ADD, H2B = DATA / "us_oflc_h2a" / "raw", DATA / "us_oflc_h2a" / "raw_addenda", DATA / "us_oflc_h2b" / "raw"
FILES = (
    [("oflc-h2a", p) for p in sorted(H2A.iterdir())]
    + [("oflc-h2b", p) for p in sorted(H2B.iterdir()) if "Appendix" not in p.name]
    + [("oflc-h2b-appendix-a", p) for p in sorted(H2B.iterdir()) if "Appendix" in p.name]
    + [("oflc-h2a-addendum-a", p) for p in sorted(H2A_ADD.glob("*Addendum_A*"))]
    + [("oflc-h2a-addendum-b-employment", p) for p in sorted(H2A_ADD.glob("*Addendum_B_Employ*"))]
    + [("oflc-h2a-addendum-b-housing", p) for p in sorted(H2A_ADD.glob("*Addendum_B_Housing*"))]
    + [("lmia", DATA / "canada_lmia" / "lmia_positive_employers_2017q1_2024q4_harmonized.csv.gz")]
)


def read_only(path: Path) -> int:
    """The floor: every cell of every row read by the importer's own reader, nothing else."""
    from temporada.demand.importers.readers import open_csv, open_spreadsheet

    table = open_spreadsheet(path) if path.suffix in (".xlsx", ".xls") else open_csv(path)
    cells = 0
    for _row, values in table.rows:
        for value in values:
            cells += value is not None
    return table.total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-employers", action="store_true", help="leave employer resolution out of the import")
    parser.add_argument("--only", action="append", default=[], help="only files whose name contains this")
    args = parser.parse_args()

    test_db = None
    if connection.vendor != "sqlite":
        from django.test.utils import setup_databases

        test_db = setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0, interactive=False)
    try:
        return run(args)
    finally:
        if test_db is not None:
            from django.test.utils import teardown_databases

            teardown_databases(test_db, verbosity=0)


def run(args) -> int:
    from unittest import mock

    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.demand.importers import get_importer, run_import

    load_countries()
    load_subdivisions()
    # The occupation crosswalks, so that the ISCO-08 pass does its real work.
    from io import StringIO

    from temporada.core.bootstrap import run_steps
    from temporada.occupations.bootstrap import steps as occupation_steps

    started = time.perf_counter()
    run_steps(stdout=StringIO(), only=[step.name for step in occupation_steps()])
    print(f"(occupation crosswalks loaded in {time.perf_counter() - started:.1f} s, not counted)")
    files = [(k, p) for k, p in FILES if not args.only or any(o in p.name for o in args.only)]
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); {len(files)} files; "
          f"employer resolution {'off' if args.no_employers else 'on'}")
    print(f"{'file':48} {'rows':>8} {'read s':>7} {'import s':>9} {'ratio':>6}  phases (s)")
    total_rows = total_read = total_import = 0.0
    patch = mock.patch("temporada.employers.resolution.resolve_job_orders", return_value=0) if args.no_employers \
        else contextlib.nullcontext()
    with patch:
        for kind, path in files:
            started = time.perf_counter()
            rows = read_only(path)
            read_s = time.perf_counter() - started
            started = time.perf_counter()
            batch = run_import(get_importer(kind), path)
            import_s = time.perf_counter() - started
            phases = " ".join(f"{k}={v:.1f}" for k, v in (batch.summary.get("seconds") or {}).items() if v >= 0.05)
            print(f"{path.name[:48]:48} {rows:8d} {read_s:7.2f} {import_s:9.2f} {import_s / read_s:6.1f}  {phases}",
                  flush=True)
            total_rows += rows
            total_read += read_s
            total_import += import_s
    print(f"\nAll files: {int(total_rows):,} rows. Reading only: {total_read:.1f} s = {total_rows / total_read:,.0f} rows/s. "
          f"Import: {total_import:.1f} s = {total_rows / total_import:,.0f} rows/s. "
          f"Ratio import / reading: {total_import / total_read:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())

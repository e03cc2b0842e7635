"""Bulk occupation coding: NOC codes of the real positive-LMIA file mapped to ISCO-08.

Runs on a throw-away SQLite database with the full occupation data. Importers of 100k+ rows should take
``isco_mapping_table(system)`` once and call ``table.lookup(code)`` per row; the baseline is calling
``isco_for_occupation_code`` per row (one cache-validation query each). Both are timed on the same rows
and the ratio printed; the coverage (share of positions that reach ISCO-08, by method) is printed too.

    python benchmarks/occupations_mapping.py
"""

import csv
import gzip
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["TEMPORADA_VAR_DIR"] = tempfile.mkdtemp(prefix="temporada-bench-occmap-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

BASELINE_ROWS = 20_000


def main():
    from temporada.core.bootstrap import data_path
    from temporada.occupations.bootstrap import LMIA_FILE, load_all
    from temporada.occupations.coverage import lmia_coverage, report_lines
    from temporada.occupations.queries import isco_for_occupation_code, isco_mapping_table

    call_command("migrate", verbosity=0)
    load_all()
    with gzip.open(data_path(*LMIA_FILE), "rt", encoding="utf-8", newline="") as handle:
        rows = [("NOC2011" if r["noc_version"] == "NOC 2011" else "NOC2021", r["noc_code"])
                for r in csv.DictReader(handle)]
    print(f"{len(rows):,} LMIA rows")

    start = time.perf_counter()
    tables = {system: isco_mapping_table(system) for system in ("NOC2011", "NOC2021")}
    mapped = sum(1 for system, code in rows if tables[system].lookup(code))
    table_s = time.perf_counter() - start
    per_row_table = table_s / len(rows) * 1e6
    print(f"  isco_mapping_table + lookup: {table_s:6.2f} s for all rows ({per_row_table:5.1f} µs/row), "
          f"{mapped:,} rows mapped")

    sample = rows[:BASELINE_ROWS]
    start = time.perf_counter()
    for system, code in sample:
        isco_for_occupation_code(system, code)
    baseline_s = time.perf_counter() - start
    per_row_baseline = baseline_s / len(sample) * 1e6
    print(f"  isco_for_occupation_code per row (baseline, {len(sample):,} rows): {baseline_s:6.2f} s "
          f"({per_row_baseline:5.1f} µs/row)")
    print(f"  ratio baseline / table: {per_row_baseline / per_row_table:6.1f} ×")
    print()
    for line in report_lines(lmia_coverage()):
        print(line)


if __name__ == "__main__":
    main()

"""Synthetic worker profiles at scale: rows/s of the generator, against Django's bulk_create and a naive
per-object save() run in the same script, plus the supply statistics over the generated registry.

    .venv/bin/python benchmarks/supply_generate.py [--count 1000000] [--sample 20000] [--naive-sample 2000]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/supply_generate.py

By default it works in a scratch SQLite database under a temporary TEMPORADA_VAR_DIR (migrated on the
spot), so nothing of an installation is touched; with DATABASE_URL it uses that database and deletes the
synthetic profiles it created at the end (unless --keep). A "profile" is one worker with its occupations,
languages, consents and past seasons (about 6.5 database rows on average).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")
if "DATABASE_URL" not in os.environ and "TEMPORADA_VAR_DIR" not in os.environ:
    os.environ["TEMPORADA_VAR_DIR"] = tempfile.mkdtemp(prefix="temporada-supply-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def child_rows():
    from temporada.supply.models import Consent, Participation, Worker, WorkerLanguage, WorkerOccupation

    return Worker.objects.count() + sum(m.objects.count() for m in (WorkerOccupation, WorkerLanguage,
                                                                     Participation, Consent))


def timed_generate(count, seed, dist, writer, batch):
    from temporada.supply import synthetic

    before = child_rows()
    started, cpu = time.perf_counter(), time.process_time()
    synthetic.generate(count=count, seed=seed, dist=dist, writer=writer, batch_size=batch)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, child_rows() - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="profiles written with bulk_create")
    parser.add_argument("--naive-sample", type=int, default=2_000, help="profiles written with save()")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.supply import stats, synthetic
    from temporada.supply.bootstrap import load_origin_subdivisions

    load_countries()
    load_subdivisions()
    load_origin_subdivisions()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    dist = synthetic.load_distributions()
    print(f"distributions read in {time.perf_counter() - started:.1f}s from: {'; '.join(dist.sources)}")

    results = {}
    for writer, count, seed in (("naive", args.naive_sample, 1), ("orm", args.sample, 2), ("fast", args.count, 3)):
        seconds, cpu, rows = timed_generate(count, seed, dist, writer, args.batch)
        results[writer] = count / seconds
        print(f"{writer:>5}: {count:>9,} profiles ({rows:,} rows) in {seconds:8.1f}s = {count / seconds:10,.0f} "
              f"profiles/s, {rows / seconds:10,.0f} rows/s (CPU {cpu:.1f}s: {count / max(cpu, 1e-9):,.0f} profiles "
              f"per CPU-second; on SQLite the database work is in this process, so CPU time is what a shared "
              f"machine does not distort)")
    print(f"generator vs naive save(): {results['fast'] / results['naive']:.1f}x; "
          f"vs bulk_create: {results['fast'] / results['orm']:.1f}x; "
          f"1,000,000 profiles would take {1_000_000 / results['fast'] / 60:.1f} min")

    today = timezone.localdate()
    start = stats.add_months(today.replace(day=1), 1)
    for label, call in (
        ("supply cells of the gap, 12 months x USA/CAN, unit groups", lambda: stats.supply_cells(
            start=start, count=12, level="unit", destinations=["USA", "CAN"], include_synthetic=True)),
        ("gap table with suppression, 12 months, sub-major groups", lambda: stats.gap_table(
            start=start, count=12, level="sub_major", destinations=["USA", "CAN"], include_synthetic=True,
            suppress_cells=True)),
        ("indicator tables, 12 months", lambda: stats.indicator_tables(
            start=start, count=12, level="sub_major", include_synthetic=True, suppress_cells=True)),
    ):
        began = time.perf_counter()
        call()
        print(f"{label} over {synthetic.Worker.objects.count():,} profiles: {time.perf_counter() - began:.2f}s")

    if not args.keep:
        deleted = synthetic.delete_synthetic()
        print(f"deleted {deleted:,} synthetic profiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Demand dashboard aggregates: p50/p95 latency over the full history and over a 10× synthetic scale-up.

    TEMPORADA_VAR_DIR=/path/to/var .venv/bin/python benchmarks/demand_dashboard.py [--scale 10] [--keep]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/demand_dashboard.py

It uses the database of the configured installation (SQLite in TEMPORADA_VAR_DIR, or DATABASE_URL), which
should hold the real job orders (import them with `temporada import …`, see the README). Then it:

1. times every query the dashboard page runs (each chart's aggregate, the wage quantiles, the headline
   totals) for a fixed set of filter combinations, over the real data;
2. generates ``scale`` × as many synthetic job orders (``is_synthetic=True``, source "synthetic", a seeded
   generator that resamples the real rows' programme, year, place, occupation, month and wage with noise,
   and spreads them over synthetic employers), and times the same queries twice: the public ones (which
   must ignore the synthetic rows) and the same aggregates computed over the synthetic rows themselves,
   i.e. over ten times the real volume;
3. runs a naive baseline in the same script (fetch the rows, aggregate in Python) for the main queries and
   prints the ratio;
4. deletes the synthetic rows again unless ``--keep`` is given (re-runs with ``--keep`` reuse them).

Target: p95 ≤ 300 ms per query on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from temporada.demand import aggregates as agg  # noqa: E402
from temporada.demand.models import JobOrder  # noqa: E402
from temporada.demand.views_dashboard import chart_defs  # noqa: E402
from temporada.employers.models import Employer  # noqa: E402

SEED = 20240611
SYNTHETIC_FILE = "synthetic-scale-test"
FILTER_SETS = [
    ("all years, all programmes", {}),
    ("H-2A", {"programme": "H-2A"}),
    ("H-2A FY2017", {"programme": "H-2A", "fiscal_year": 2017}),
    ("Georgia", {"subdivision": "US-GA"}),
    ("ISCO 92 labourers", {"occupation": "isco:92"}),
    ("Canada", {"country": "CAN"}),
    ("H-2B FY2019, counting all rows", {"programme": "H-2B", "fiscal_year": 2019, "counting": "all"}),
]
REPEAT = 3


# --- the synthetic generator ---------------------------------------------------------------------------

SAMPLE_FIELDS = ["programme", "fiscal_year", "country_id", "worksite_subdivision_id", "isco_code", "occupation_system",
                 "occupation_code", "occupation_title", "begin_date", "positions_requested", "positions_certified",
                 "wage_hourly", "wage_currency", "is_primary", "association_role", "employer_id"]


def _fallback_rows(rng):
    """When no real job orders are loaded: a small fixed pool of plausible rows."""
    states = ["US-GA", "US-NC", "US-WA", "US-FL", "US-CA", "US-TX", "US-MI", "US-NY", "US-LA", "US-KY"]
    occupations = [("6111", "SOC2010", "45-2092"), ("9211", "SOC2010", "45-2093"), ("9214", "SOC2010", "37-3011"),
                   ("9412", "SOC2010", "35-2021"), ("6121", "SOC2010", "45-2093")]
    rows = []
    for i in range(2000):
        isco, system, code = occupations[i % len(occupations)]
        rows.append({"programme": "H-2A" if i % 3 else "H-2B", "fiscal_year": 2010 + i % 12, "country_id": "USA",
                     "worksite_subdivision_id": states[i % len(states)], "isco_code": isco, "occupation_system": system,
                     "occupation_code": code, "occupation_title": "", "begin_date": dt.date(2010 + i % 12, 1 + i % 12, 1),
                     "positions_requested": 1 + rng.randint(0, 40), "positions_certified": 1 + rng.randint(0, 40),
                     "wage_hourly": Decimal("11.00") + i % 7, "wage_currency": "USD", "is_primary": True,
                     "association_role": "single", "employer_id": i % 150})
    return rows


class _Inserter:
    """INSERTs synthetic job orders with executemany (model instances would cost more than the database)."""

    def __init__(self):
        import json

        from django.utils import timezone

        self.fields = [f for f in JobOrder._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        json_fields = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.defaults = []
        for f in self.fields:
            default = now if f.name == "updated_at" else f.get_default()
            self.defaults.append(json.dumps(default) if f.attname in json_fields else default)
        self.position = {f.attname: i for i, f in enumerate(self.fields)}
        q = connection.ops.quote_name
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        placeholders = ", ".join(f"%s{cast}" if f.attname in json_fields else "%s" for f in self.fields)
        self.sql = (f"INSERT INTO {q(JobOrder._meta.db_table)} ({', '.join(q(f.column) for f in self.fields)}) "
                    f"VALUES ({placeholders})")

    def row(self, **values) -> tuple:
        out = list(self.defaults)
        for name, value in values.items():
            out[self.position[name]] = value
        return tuple(out)

    def insert(self, rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


def generate(scale: int, *, seed: int = SEED, batch_size: int = 5000) -> int:
    """Insert ``scale`` × the real row count of synthetic job orders; returns how many were inserted.

    Each synthetic job order copies a real one chosen at random (programme, year, place, occupation, wage as
    published) with the start date moved by up to 20 days and the positions scaled by 0.5–1.5, and belongs to
    the synthetic twin of the real one's employer: ten times the demand, with the structure of the real data."""
    rng = random.Random(seed)
    real = list(JobOrder.objects.filter(is_synthetic=False).order_by("pk").values(*SAMPLE_FIELDS))
    pool = real or _fallback_rows(rng)
    target = scale * max(len(real), len(pool))
    twins: dict = {}
    originals = sorted({row["employer_id"] for row in pool if row["employer_id"] is not None})
    countries = dict(Employer.objects.filter(pk__in=originals).values_list("pk", "country_id")) if real else {}
    with transaction.atomic():
        created = Employer.objects.bulk_create([
            Employer(name=f"Synthetic twin of employer {pk}", normalized_name=f"SYNTHETIC TWIN {pk}",
                     country_id=countries.get(pk, "USA"), is_synthetic=True) for pk in originals
        ], batch_size=2000)
    twins = {pk: e.pk for pk, e in zip(originals, created, strict=True)}
    inserted = 0
    started = time.perf_counter()
    inserter = _Inserter()
    while inserted < target:
        chunk = []
        for row in rng.choices(pool, k=min(batch_size, target - inserted)):
            n = inserted + len(chunk)
            begin = row["begin_date"]
            if begin:
                begin = begin + dt.timedelta(days=rng.randint(-20, 20))
            factor = rng.uniform(0.5, 1.5)
            requested, certified = row["positions_requested"], row["positions_certified"]
            chunk.append(inserter.row(
                source="synthetic", source_key=f"SYN-{seed}-{n:08d}", programme=row["programme"],
                fiscal_year=row["fiscal_year"], is_primary=row["is_primary"], association_role=row["association_role"],
                employer_id=twins.get(row["employer_id"]), employer_name=f"Synthetic twin of employer {row['employer_id']}",
                country_id=row["country_id"], worksite_subdivision_id=row["worksite_subdivision_id"],
                isco_code=row["isco_code"] or "", occupation_system=row["occupation_system"] or "",
                occupation_code=row["occupation_code"] or "", occupation_title=row["occupation_title"] or "",
                begin_date=begin, positions_requested=None if requested is None else max(1, round(requested * factor)),
                positions_certified=None if certified is None else max(0, round(certified * factor)),
                wage_hourly=row["wage_hourly"], wage_currency=row["wage_currency"] or "", source_file=SYNTHETIC_FILE,
                source_row=n + 2, is_synthetic=True,
            ))
        with transaction.atomic():
            inserter.insert(chunk)
        inserted += len(chunk)
        if inserted % 500_000 < batch_size:
            rate = inserted / (time.perf_counter() - started)
            print(f"  generated {inserted:,}/{target:,} synthetic job orders ({rate:,.0f}/s)", flush=True)
    return inserted


def drop_synthetic() -> None:
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Plain DELETEs: millions of rows, nothing refers to synthetic job orders.
        cursor.execute(f"DELETE FROM {q(JobOrder._meta.db_table)} WHERE is_synthetic = %s AND source = %s",
                       [True, "synthetic"])
        cursor.execute(f"DELETE FROM {q(Employer._meta.db_table)} WHERE is_synthetic = %s AND name LIKE %s",
                       [True, "Synthetic twin of employer %"])
    agg.clear_cubes(synthetic=True)


# --- timing --------------------------------------------------------------------------------------------

def dashboard_queries(filters: agg.Filters):
    """(name, callable) for every query the dashboard page runs with these filters."""
    queries = [("totals", lambda: agg.totals(filters))]
    for d in chart_defs().values():
        f = filters.without(*d.ignore)
        if d.only_country:
            f = agg.Filters(**{**f.__dict__, "country": d.only_country})
        if d.wages:
            queries.append((d.chart_id, lambda f=f, d=d: agg.wage_quantiles(f, d.wages, limit=d.limit)))
        else:
            queries.append((d.chart_id, lambda f=f, d=d: agg.aggregate(f, d.group_by, limit=d.limit, labels=False)))
    return queries


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_suite(label: str, *, synthetic: bool) -> list[float]:
    samples = []
    per_query = defaultdict(list)
    for _name, params in FILTER_SETS:
        filters = agg.Filters(**params, synthetic_only=synthetic)
        for query_name, query in dashboard_queries(filters):
            query()  # warm the page cache once; the figures below are repeated runs
            for _ in range(REPEAT):
                start = time.perf_counter()
                query()
                elapsed = (time.perf_counter() - start) * 1000
                samples.append(elapsed)
                per_query[query_name].append(elapsed)
    print(f"\n{label}: {len(samples)} timed queries; p50 {statistics.median(samples):.1f} ms, "
          f"p95 {p95(samples):.1f} ms, max {max(samples):.1f} ms")
    worst = sorted(per_query.items(), key=lambda kv: -p95(kv[1]))[:5]
    print("  slowest queries (p95): " + ", ".join(f"{name} {p95(v):.0f} ms" for name, v in worst))
    return samples


def naive_by_subdivision(synthetic: bool):
    """Baseline: fetch every row and aggregate in Python (what a dashboard without SQL aggregation does)."""
    sums = defaultdict(int)
    for subdivision, certified, primary in (JobOrder.objects.filter(is_synthetic=synthetic).values_list(
            "worksite_subdivision_id", "positions_certified", "is_primary").iterator(chunk_size=20_000)):
        if primary:
            sums[subdivision] += certified or 0
    return sums


def naive_by_employer(synthetic: bool):
    sums = defaultdict(int)
    for employer, certified, primary in (JobOrder.objects.filter(is_synthetic=synthetic).values_list(
            "employer_id", "positions_certified", "is_primary").iterator(chunk_size=20_000)):
        if primary:
            sums[employer] += certified or 0
    return sorted(sums.items(), key=lambda kv: -kv[1])[:15]


def without_cubes(function):
    """The same aggregate computed from the job-order table (as if the cubes did not exist)."""
    def run():
        ready = agg.cubes_ready
        agg.cubes_ready = lambda synthetic=False: False
        try:
            return function()
        finally:
            agg.cubes_ready = ready
    return run


def compare_baseline(label: str, *, synthetic: bool):
    filters = agg.Filters(synthetic_only=synthetic)
    for name, ours in [
        ("by subdivision", lambda: agg.aggregate(filters, ["worksite_subdivision"], labels=False)),
        ("season heat map", lambda: agg.aggregate(filters, ["month", "isco_major"], labels=False)),
        ("top employers", lambda: agg.aggregate(filters, ["employer"], limit=15, labels=False)),
    ]:
        t_ours = min(_time(ours) for _ in range(REPEAT))
        t_table = _time(without_cubes(ours))
        print(f"  {label} {name}: {t_ours:.0f} ms vs the same SQL on the job-order table {t_table:.0f} ms "
              f"→ {t_table / t_ours:.1f}× faster")
    for name, ours, naive in [
        ("by subdivision", lambda: agg.aggregate(filters, ["worksite_subdivision"], labels=False),
         lambda: naive_by_subdivision(synthetic)),
        ("top employers", lambda: agg.aggregate(filters, ["employer"], limit=15, labels=False),
         lambda: naive_by_employer(synthetic)),
    ]:
        t_ours = min(_time(ours) for _ in range(REPEAT))
        t_naive = _time(naive)
        print(f"  {label} {name}: {t_ours:.0f} ms vs naive Python aggregation {t_naive:.0f} ms "
              f"→ {t_naive / t_ours:.1f}× faster")
        check = {r["worksite_subdivision"]: r["positions_certified"] for r in ours()} if name == "by subdivision" \
            else None
        if check is not None:
            expected = {k: v for k, v in naive().items() if v}
            assert {k: v for k, v in check.items() if v} == expected, "aggregate differs from the naive sum"


def _time(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the synthetic rows for the next run")
    parser.add_argument("--drop", action="store_true", help="only delete synthetic rows left by --keep")
    args = parser.parse_args()
    vendor = connection.vendor
    if args.drop:
        drop_synthetic()
        print("synthetic rows deleted")
        return
    real = JobOrder.objects.filter(is_synthetic=False).count()
    print(f"database: {vendor}; real job orders: {real:,}")
    if not real:
        print("No real job orders: import the official files first (see README); timing the synthetic data only.")
    else:
        started = time.perf_counter()
        if agg.ensure_cubes():
            print(f"real cubes rebuilt in {time.perf_counter() - started:.1f} s")
        run_suite("REAL data (full history)", synthetic=False)
        compare_baseline("real", synthetic=False)

    existing = JobOrder.objects.filter(is_synthetic=True, source="synthetic").count()
    wanted = args.scale * max(real, 2000)
    if existing and abs(existing - wanted) > wanted * 0.01:
        print(f"\nreplacing {existing:,} synthetic rows from another run")
        drop_synthetic()
        existing = 0
    if not existing:
        print(f"\ngenerating {wanted:,} synthetic job orders (seed {SEED}, {args.scale}×)…", flush=True)
        started = time.perf_counter()
        generate(args.scale)
        print(f"  done in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE demand_joborder" if vendor == "postgresql" else "ANALYZE")
    if not agg.cubes_ready(True):
        started = time.perf_counter()
        rows = agg.refresh_cubes(synthetic=True)
        print(f"  synthetic cubes built: {rows:,} rows in {time.perf_counter() - started:.0f} s")
    try:
        if real:
            run_suite(f"REAL data with {args.scale}× synthetic rows present (public queries)", synthetic=False)
        run_suite(f"SYNTHETIC {args.scale}× volume (same aggregates over the synthetic rows)", synthetic=True)
        compare_baseline(f"synthetic {args.scale}×", synthetic=True)
    finally:
        if not args.keep:
            drop_synthetic()
            print("\nsynthetic rows deleted (use --keep to reuse them)")


if __name__ == "__main__":
    main()

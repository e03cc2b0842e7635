"""Employer resolution speed: the indexed rules against a naive pairwise comparison, and the database pass.

    .venv/bin/python benchmarks/employers_resolution.py [--db]

1. Reads every published employer name/address of the official files (OFLC H-2A/H-2B, SeasonalJobs, ESDC
   LMIA: ~520,000 rows) and resolves them in memory with ``resolution.Resolver`` (the code the database pass
   uses): variants per second, and the time for a quarter, half and all of the variants (linear, not
   quadratic).
2. Baseline in the same script: the naive way — compare each new variant with every alias already seen in
   its state using the same pairwise rule — on the first N variants, extrapolated to all of them.
3. With ``--db``: ``resolve_job_orders`` over every job order of the configured database (TEMPORADA_VAR_DIR or
   DATABASE_URL), twice — the second run must change nothing (idempotent) — in rows per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

from employers_merge_precision import read_lmia, read_oflc, read_seasonaljobs  # noqa: E402

from temporada.employers.resolution import Resolver, match_rule  # noqa: E402

NAIVE_SAMPLE = 20_000


def _order(variants):
    return sorted(variants, key=lambda v: (v.synthetic, v.country, v.normalized_name, v.address_key, v.name,
                                          v.trade_name, v.street_raw, v.city_raw, v.postal_raw))


def resolve(variants) -> tuple[float, int]:
    resolver = Resolver()
    started = time.perf_counter()
    for v in variants:
        if v.normalized_name:
            alias = resolver.resolve(v, published_name=v.name, source="")
            resolver.resolve_trade(v, alias, source="")
    return time.perf_counter() - started, len({id(a.employer) for a in resolver.new_aliases})


def naive(variants) -> float:
    """Every new variant against every earlier variant of its state (the rules themselves, no index)."""
    seen = defaultdict(list)
    started = time.perf_counter()
    for v in variants:
        if not v.normalized_name:
            continue
        bucket = seen[(v.country, v.state)]
        for old in bucket:
            if match_rule(v, old):
                break
        bucket.append(v)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="store_true", help="also time resolve_job_orders on the configured database")
    args = parser.parse_args()

    started = time.perf_counter()
    rows = 0
    unique = {}
    for reader in (read_oflc, read_seasonaljobs, read_lmia):
        for _source, _year, variant in reader():
            rows += 1
            unique.setdefault(variant, None)
    variants = _order(unique)
    print(f"read {rows:,} rows ({len(variants):,} distinct published name/address variants) "
          f"in {time.perf_counter() - started:.1f} s")

    for share in (0.25, 0.5, 1.0):
        subset = _order(variants[: int(len(variants) * share)])
        seconds, employers = resolve(subset)
        print(f"  indexed rules, {share:>4.0%} of the variants ({len(subset):,}): {seconds:.2f} s "
              f"({len(subset) / seconds:,.0f} variants/s) → {employers:,} employers")
    full_seconds, _ = resolve(variants)

    sample = _order(variants[:: max(1, len(variants) // NAIVE_SAMPLE)])[:NAIVE_SAMPLE]
    indexed_sample, _ = resolve(sample)
    naive_sample = naive(sample)
    # Pairwise work grows with the square of the variants per state: extrapolate quadratically.
    projected = naive_sample * (len(variants) / len(sample)) ** 2
    print(f"  naive pairwise baseline on {len(sample):,} variants: {naive_sample:.2f} s vs indexed "
          f"{indexed_sample:.2f} s ({naive_sample / indexed_sample:.0f}× slower); projected for all "
          f"{len(variants):,}: ~{projected / 3600:.1f} h vs {full_seconds:.1f} s ({projected / full_seconds:,.0f}×)")

    if args.db:
        import django

        django.setup()
        from temporada.demand.models import JobOrder
        from temporada.employers.resolution import resolve_job_orders

        total = JobOrder.objects.count()
        for attempt in ("first", "second"):
            started = time.perf_counter()
            changed = resolve_job_orders(JobOrder.objects.all())
            seconds = time.perf_counter() - started
            print(f"  database pass ({attempt}): {total:,} job orders in {seconds:.1f} s ({total / seconds:,.0f} rows/s), "
                  f"{changed:,} changed")


if __name__ == "__main__":
    main()

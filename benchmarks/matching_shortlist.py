"""Shortlist latency: top-N candidates for one job order over a registry of SYNTHETIC workers.

    .venv/bin/python benchmarks/matching_shortlist.py                 # 1,000,000 workers
    .venv/bin/python benchmarks/matching_shortlist.py --workers 100000 --queries 50

Prints p50/p95/p99 latency (target: p95 ≤ 150 ms at 1,000,000 workers, top 50) for plain queries
and for queries with filters, the index build time and memory, and the ratio against the
straightforward baseline (pure-Python scan of every profile, no blocking) run in the same script on
``--baseline-workers`` profiles (its per-query time grows linearly with the registry, so it is also
extrapolated to the full size — labelled as such).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from temporada.matching.engine import Filters, WorkerIndex, reference, shortlist  # noqa: E402
from temporada.matching.engine import synthetic as syn  # noqa: E402
from temporada.matching.engine.rules import EligibilityRules  # noqa: E402
from temporada.matching.engine.scoring import Weights  # noqa: E402


def percentiles(samples_ms):
    a = np.asarray(samples_ms)
    return {"p50": np.percentile(a, 50), "p95": np.percentile(a, 95), "p99": np.percentile(a, 99), "max": a.max()}


def show(label, stats):
    print(f"  {label:<28} p50 {stats['p50']:7.1f} ms   p95 {stats['p95']:7.1f} ms   "
          f"p99 {stats['p99']:7.1f} ms   max {stats['max']:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=100_000, help="job orders the queries are drawn from")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--baseline-workers", type=int, default=100_000)
    parser.add_argument("--baseline-queries", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()

    print(f"matching shortlist benchmark — SYNTHETIC data, seed {args.seed}")
    clock = time.perf_counter()
    mix = syn.DemandMix.from_files(ROOT / "data")
    workers = syn.generate_workers(args.workers, mix=mix, seed=args.seed)
    jobs = syn.generate_jobs(args.orders, mix=mix, seed=args.seed)
    print(f"  generated {len(workers):,} workers and {len(jobs):,} job orders in {time.perf_counter() - clock:.1f} s")
    clock = time.perf_counter()
    index = WorkerIndex(workers)
    print(f"  index built in {time.perf_counter() - clock:.2f} s; arrays {workers.nbytes / 1e6:.0f} MB, "
          f"blocks {index.nbytes / 1e6:.0f} MB")

    rng = np.random.default_rng(args.seed)
    rows = rng.choice(len(jobs), size=args.queries, replace=False)
    rules, weights = EligibilityRules(), Weights()
    shortlist(index, jobs, int(rows[0]), n=args.top)  # warm-up (first call builds cached sizes)

    plain, eligible = [], []
    for row in rows:
        start = time.perf_counter()
        result = shortlist(index, jobs, int(row), n=args.top, rules=rules, weights=weights)
        plain.append((time.perf_counter() - start) * 1000)
        eligible.append(result.eligible_count)
    filter_choices = [Filters(sexes=(2,)), Filters(min_age=21, max_age=45),
                      Filters(origins=(syn.COUNTRY_BIT["GTM"],)), Filters(min_good_returns=1)]
    filtered = []
    for k, row in enumerate(rows):
        start = time.perf_counter()
        shortlist(index, jobs, int(row), n=args.top, filters=filter_choices[k % len(filter_choices)])
        filtered.append((time.perf_counter() - start) * 1000)
    print(f"\n  top {args.top} over {len(workers):,} profiles, {args.queries} job orders "
          f"(eligible per order: median {int(np.median(eligible)):,}, max {max(eligible):,})")
    stats_plain, stats_filtered = percentiles(plain), percentiles(filtered)
    show("no filters", stats_plain)
    show("with filters", stats_filtered)
    target = "met" if stats_plain["p95"] <= 150 and stats_filtered["p95"] <= 150 else "NOT met"
    print(f"  target p95 ≤ 150 ms: {target}")

    # Baseline: plain Python over every profile (no blocking, no vectorisation)
    size = min(args.baseline_workers, len(workers))
    sample = workers.take(np.arange(size))
    plain_rows = reference.rows(sample)
    plain_jobs = reference.rows(jobs.take(rows[: args.baseline_queries]))
    small_index = WorkerIndex(sample)
    base_ms, engine_ms = [], []
    for k, job in enumerate(plain_jobs):
        start = time.perf_counter()
        expected = reference.shortlist(plain_rows, job, args.top, rules, weights)
        base_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        got = shortlist(small_index, jobs, int(rows[k]), n=args.top, rules=rules, weights=weights)
        engine_ms.append((time.perf_counter() - start) * 1000)
        if got.rows.tolist() != [r for _, r in expected]:
            print("  WARNING: engine and baseline disagree on job row", int(rows[k]))
    base, engine_small = float(np.mean(base_ms)), float(np.mean(engine_ms))
    print(f"\n  baseline (pure Python scan) on {size:,} profiles: {base:,.0f} ms per query "
          f"(engine on the same {size:,}: {engine_small:.1f} ms) → engine {base / engine_small:,.0f}× faster")
    extrapolated = base * len(workers) / size
    print(f"  baseline extrapolated to {len(workers):,} profiles (linear): {extrapolated / 1000:,.1f} s per query "
          f"→ engine p50 {extrapolated / stats_plain['p50']:,.0f}× faster")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0 if target == "met" else 1


if __name__ == "__main__":
    sys.exit(main())

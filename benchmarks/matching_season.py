"""Season run: assign SYNTHETIC workers to all open job orders at once.

    .venv/bin/python benchmarks/matching_season.py                  # 1,000,000 workers × 100,000 orders
    .venv/bin/python benchmarks/matching_season.py --workers 100000 --orders 10000

Prints (targets at full size: ≤ 120 s, peak memory ≤ 4 GB, objective ≥ 99 % of the exact optimum):

1. the run at full size: wall and CPU time per phase, assignments, objective, peak RSS
   (``resource.getrusage``: the whole process, data included);
2. quality on subsamples (``--exact-workers`` × ``--exact-orders``, fresh seeds): the exact optimum
   over EVERY eligible pair — a min-cost flow without tie-breaking for one order per worker — and
   the run's objective as a share of it. With ``--multiple``, the same for runs that give a worker
   several non-overlapping orders, against the exact integer programme (HiGHS through OR-Tools; if
   it cannot prove optimality in ``--exact-time``, its LP bound, so the ratio is a lower bound) on
   ``--multiple-workers`` × ``--multiple-orders``;
3. the straightforward baseline (pure-Python greedy: orders by start date, each takes its best
   eligible workers still free, no blocking) on ``--baseline-workers`` × ``--baseline-orders``: its
   time and objective against the engine's on the same instance.
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

from temporada.matching.engine import reference  # noqa: E402
from temporada.matching.engine import synthetic as syn  # noqa: E402
from temporada.matching.engine.exact import exact_flow, full_graph, lp_bound, solve_exact  # noqa: E402
from temporada.matching.engine.fairness import FairnessTarget  # noqa: E402
from temporada.matching.engine.season import SeasonParams, check_assignment, season_run  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_run(workers, jobs, params):
    wall, cpu = time.perf_counter(), time.process_time()
    result = season_run(workers, jobs, params=params)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--exact-workers", type=int, default=5_000)
    parser.add_argument("--exact-orders", type=int, default=500)
    parser.add_argument("--exact-seeds", type=int, default=5, help="how many subsamples")
    parser.add_argument("--multiple", action="store_true", help="also measure runs with several orders per worker")
    parser.add_argument("--multiple-workers", type=int, default=2_000)
    parser.add_argument("--multiple-orders", type=int, default=200)
    parser.add_argument("--exact-time", type=float, default=900, help="MIP time limit per subsample (s)")
    parser.add_argument("--baseline-workers", type=int, default=5_000)
    parser.add_argument("--baseline-orders", type=int, default=500)
    parser.add_argument("--fairness", action="store_true", help="also run with a fairness target")
    parser.add_argument("--check", action="store_true", help="verify every constraint of the full run")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    params = SeasonParams(seed=args.seed)
    failures = []

    print(f"matching season benchmark — SYNTHETIC data, seed {args.seed}")
    mix = syn.DemandMix.from_files(ROOT / "data")
    clock = time.perf_counter()
    workers = syn.generate_workers(args.workers, mix=mix, seed=args.seed)
    jobs = syn.generate_jobs(args.orders, mix=mix, seed=args.seed)
    print(f"  generated {len(workers):,} workers, {len(jobs):,} job orders ({int(jobs.positions.sum()):,} positions) "
          f"in {time.perf_counter() - clock:.1f} s; RSS so far {rss_mb():,.0f} MB")

    # 1. full size
    result, wall, cpu = timed_run(workers, jobs, params)
    stats = result.stats
    phases = ", ".join(f"{k} {v:.1f}" for k, v in stats["timings"].items())
    print(f"\n1. season run {len(workers):,} × {len(jobs):,}: {wall:.1f} s wall, {cpu:.1f} s CPU ({phases})")
    print(f"   {stats['classes']} order classes, {stats['edges']:,} candidate edges "
          f"(order side {stats['order_side_edges']:,}, worker side {stats['worker_side_edges']:,}), "
          f"{stats['flow_edges']:,} after the per-worker cap; auction {stats.get('auction_rounds', '-')} rounds; "
          f"second pass added {sum(stats.get('second_pass', [])):,}")
    print(f"   {len(result):,} assignments to {int((result.filled > 0).sum()):,} orders, "
          f"{len(np.unique(result.worker_rows)):,} workers; objective {result.objective / 100:,.0f} points")
    peak = rss_mb()
    print(f"   peak RSS {peak:,.0f} MB (whole process, data included)")
    if wall > 120 or peak > 4096:
        failures.append("time or memory target")
    if args.check:
        problems = check_assignment(workers, jobs, result, params)
        print(f"   constraint check: {problems or 'all constraints hold'}")
    if args.fairness:
        target = FairnessTarget("sex", (syn.SEX_FEMALE,), min_share=0.2, scope="run")
        fair_params = SeasonParams(seed=args.seed, fairness=(target,))
        fair, fair_wall, _ = timed_run(workers, jobs, fair_params)
        women = (workers.sex[fair.worker_rows] == syn.SEX_FEMALE).mean() if len(fair) else 0
        print(f"   with ≥ 20 % women per run: {fair_wall:.1f} s, women {women:.1%}, objective "
              f"{fair.objective / max(result.objective, 1):.2%} of the unconstrained run")
    del result

    # 2. quality against the exact optimum on subsamples
    print(f"\n2. quality on {args.exact_seeds} subsample(s) of {args.exact_workers:,} × {args.exact_orders:,} "
          "(one order per worker; exact = min-cost flow over every eligible pair)")
    ratios = []
    for k in range(args.exact_seeds):
        seed = args.seed + 1 + k
        w = syn.generate_workers(args.exact_workers, mix=mix, seed=seed)
        j = syn.generate_jobs(args.exact_orders, mix=mix, seed=seed)
        run, run_wall, _ = timed_run(w, j, params)
        graph = full_graph(w, j)
        exact = exact_flow(j, graph)
        ratio = run.objective / exact.objective if exact.objective > 0 else 1.0
        ratios.append(ratio)
        print(f"   seed {seed}: {graph.w.size:,} eligible pairs, run uses {run.stats['edges']:,}; exact "
              f"{exact.objective / 100:,.0f} ({exact.seconds:.2f} s), run {run.objective / 100:,.0f} "
              f"({run_wall:.2f} s) → {ratio:.2%}")
    if ratios:
        print(f"   mean {np.mean(ratios):.2%}, min {np.min(ratios):.2%} (target ≥ 99 %)")
        if np.min(ratios) < 0.99:
            failures.append("quality target")
    if args.multiple:
        multi = SeasonParams.for_multiple_orders(seed=args.seed)
        print(f"\n   several non-overlapping orders per worker, {args.multiple_workers:,} × {args.multiple_orders:,} "
              "(exact = integer programme over every eligible pair)")
        for k in range(args.exact_seeds):
            seed = args.seed + 1 + k
            w = syn.generate_workers(args.multiple_workers, mix=mix, seed=seed)
            j = syn.generate_jobs(args.multiple_orders, mix=mix, seed=seed)
            run, run_wall, _ = timed_run(w, j, multi)
            graph = full_graph(w, j)
            exact = solve_exact(w, j, graph, time_limit=args.exact_time)
            if exact.optimal:
                value, label = exact.objective, "exact"
            else:
                value, label = lp_bound(w, j, graph), "LP bound"
            held = np.bincount(run.worker_rows)
            print(f"   seed {seed}: {label} {value / 100:,.0f} ({exact.seconds:.0f} s), run {run.objective / 100:,.0f} "
                  f"({run_wall:.2f} s, {int((held > 1).sum()):,} workers with 2+ orders) → {run.objective / value:.2%}")

    # 3. baseline
    w = syn.generate_workers(args.baseline_workers, mix=mix, seed=args.seed + 100)
    j = syn.generate_jobs(args.baseline_orders, mix=mix, seed=args.seed + 100)
    clock = time.perf_counter()
    greedy = reference.greedy_season(reference.rows(w), reference.rows(j), params.rules, params.weights)
    base_time = time.perf_counter() - clock
    base_value = sum(units for _, _, units in greedy)
    run, run_wall, _ = timed_run(w, j, params)
    print(f"\n3. baseline (pure-Python greedy, no blocking, one order per worker) on {len(w):,} × {len(j):,}: "
          f"{base_time:.1f} s, "
          f"objective {base_value / 100:,.0f}")
    print(f"   engine on the same instance: {run_wall:.2f} s, objective {run.objective / 100:,.0f} → "
          f"{base_time / run_wall:,.0f}× faster, objective {run.objective / max(base_value, 1):.2%} of the baseline's")
    pairs = len(w) * len(j)
    print(f"   baseline time grows with workers × orders: extrapolated to {args.workers:,} × {args.orders:,} "
          f"≈ {base_time * args.workers * args.orders / pairs / 86400:,.0f} days (engine {wall:.0f} s)")
    print("\n" + ("all targets met" if not failures else "NOT met: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

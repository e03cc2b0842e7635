"""Matching through the Django layer: shortlist latency of ``matching.services.create_shortlist`` (registry
snapshot, real job order planned for its next season, engine, run + proposals + audit written) against the
engine alone on the same arrays and orders (the ratio is what the Django layer costs), and a season run
through the background task (``season_run_task``) on a modest scale.

    .venv/bin/python benchmarks/matching_django.py                      # 100,000 synthetic profiles
    .venv/bin/python benchmarks/matching_django.py --profiles 20000 --queries 30
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/matching_django.py

By default it works in a scratch SQLite database under a temporary TEMPORADA_VAR_DIR (migrated on the spot):
reference lists, the programme catalogue, the occupation crosswalks and the real OFLC H-2A FY2017 disclosure
file are loaded through their own loaders and importer, then SYNTHETIC Guatemalan profiles are generated with
the supply generator (their occupations and seasons follow the imported demand). With DATABASE_URL it uses that
database and leaves what it created (use a scratch database).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")
# The season run is queued by the service and run by the task at once (no separate worker process to time).
os.environ["TEMPORADA_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
SCRATCH = None
if "DATABASE_URL" not in os.environ and "TEMPORADA_VAR_DIR" not in os.environ:
    SCRATCH = tempfile.mkdtemp(prefix="temporada-matching-bench-")
    os.environ["TEMPORADA_VAR_DIR"] = SCRATCH

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

COUNTRY = "GTM"
H2A_FY17 = ("labor_demand", "us_oflc_h2a", "raw", "H-2A_Disclosure_Data_FY17.xlsx")


def percentiles(samples):
    a = np.asarray(samples) * 1000
    return {"p50": np.percentile(a, 50), "p95": np.percentile(a, 95), "max": a.max()}


def show(label, stats):
    print(f"  {label:<44} p50 {stats['p50']:8.2f} ms   p95 {stats['p95']:8.2f} ms   max {stats['max']:8.2f} ms")


def load_world(profiles: int, seed: int):
    from temporada.core.bootstrap import data_path
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.demand.importers import get_importer, run_import
    from temporada.demand.models import JobOrder
    from temporada.occupations.bootstrap import import_isco_esco, import_soc
    from temporada.programmes.bootstrap import load_catalogue
    from temporada.supply import synthetic
    from temporada.supply.bootstrap import load_origin_subdivisions

    clock = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_countries()
    load_subdivisions()
    load_origin_subdivisions()
    load_catalogue()
    import_isco_esco()
    import_soc()
    print(f"  reference data, catalogue and crosswalks in {time.perf_counter() - clock:.1f} s")
    if not JobOrder.objects.filter(source="oflc_h2a", fiscal_year=2017).exists():
        clock = time.perf_counter()
        batch = run_import(get_importer("oflc-h2a"), data_path(*H2A_FY17), defer_employers=True)
        print(f"  OFLC H-2A FY2017 imported: {batch.rows_created:,} job orders in {time.perf_counter() - clock:.1f} s")
    have = synthetic.Worker.objects.filter(is_synthetic=True, nationality_id=COUNTRY).count()
    if have < profiles:
        clock = time.perf_counter()
        synthetic.generate(count=profiles - have, seed=seed, dist=synthetic.load_distributions([COUNTRY]))
        print(f"  {profiles - have:,} SYNTHETIC profiles generated in {time.perf_counter() - clock:.1f} s")


def official():
    from temporada.accounts.models import User
    from temporada.core.testing import make_user

    return User.objects.filter(username="bench-origin-gt").first() or make_user(
        "origin_official", [COUNTRY], username="bench-origin-gt")


def params(**extra):
    base = {"origin": COUNTRY, "population": "synthetic", "required_languages": [], "preferred_languages": [],
            "rules": {"availability_slack_days": 0, "min_occupation_level": 1, "experience_level": 2},
            "weights": {"occupation": 40.0, "experience": 20.0, "participation": 15.0, "language": 10.0,
                        "preference": 15.0}}
    return base | extra


def shortlist_benchmark(args, user):
    from temporada.demand.models import JobOrder
    from temporada.matching import engine, orders, services, snapshot
    from temporada.matching.params import engine_settings

    today = timezone.localdate()
    candidates = list(JobOrder.objects.filter(source="oflc_h2a", is_primary=True, status_category="certified")
                      .exclude(isco_code="").order_by("id").values_list("id", flat=True))
    rng = np.random.default_rng(args.seed)
    chosen = JobOrder.objects.in_bulk(rng.choice(candidates, size=min(args.queries, len(candidates)),
                                                replace=False).tolist())
    jobs = list(chosen.values())
    shortlist = params(top=args.top, plan_next_season=True, isco_code="",
                       filters={"sexes": [], "regions": [], "min_age": None, "max_age": None,
                                "min_good_returns": None, "must_speak": []})
    snapshot.clear()
    clock = time.perf_counter()
    run = services.create_shortlist(actor=user, job_order=jobs[0], parameters=shortlist)
    cold = time.perf_counter() - clock
    snap, index = snapshot.current(COUNTRY, "synthetic", today=today)
    print(f"  registry snapshot: {len(snap):,} matchable profiles of {COUNTRY}, built in {snap.build_seconds:.2f} s "
          f"(first shortlist, cold: {cold * 1000:.0f} ms; arrays {snap.workers.nbytes / 1e6:.1f} MB)")

    service_times, eligible = [], []
    for job in jobs:
        clock = time.perf_counter()
        run = services.create_shortlist(actor=user, job_order=job, parameters=shortlist)
        service_times.append(time.perf_counter() - clock)
        eligible.append(run.stats["eligible"])

    settings_ = engine_settings(shortlist, snap)
    plans = [orders.plan_order(job, today=today, project=True) for job in jobs]
    eligibility = {code: orders.eligibility(code, COUNTRY) for code in {p.job.programme for p in plans}}
    arrays = orders.job_arrays(plans, snap, eligible=eligibility, capacity="all")
    engine_times = []
    for row in range(len(plans)):
        clock = time.perf_counter()
        engine.shortlist(index, arrays, row, n=args.top, filters=settings_.filters, rules=settings_.rules,
                         weights=settings_.weights)
        engine_times.append(time.perf_counter() - clock)
    svc, eng = percentiles(service_times), percentiles(engine_times)
    print(f"shortlist top-{args.top} for one real H-2A order (next season), {len(jobs)} orders, "
          f"median {int(np.median(eligible)):,} eligible profiles:")
    show("through the service (snapshot check, run + proposals + audit)", svc)
    show("engine alone, same arrays and orders", eng)
    print(f"  ratio service / engine: p50 {svc['p50'] / eng['p50']:.1f}x, p95 {svc['p95'] / eng['p95']:.1f}x "
          f"(the Django layer adds {svc['p50'] - eng['p50']:.1f} ms at the median)")


def season_benchmark(args, user):
    from datetime import date, timedelta

    from temporada.demand.models import JobOrder
    from temporada.matching import services
    from temporada.matching.models import MatchRun

    first = JobOrder.objects.filter(source="oflc_h2a", fiscal_year=2017).order_by("begin_date").values_list(
        "begin_date", flat=True).first() or date(2017, 1, 1)
    start = date(first.year + 1, 1, 1) if first.month > 6 else first
    window = (start, start + timedelta(days=args.season_days))
    season = params(programme="H-2A", destination="", window_from=window[0].isoformat(),
                    window_to=window[1].isoformat(), fairness=None, multiple_orders=False, solver="auction", seed=0)
    clock = time.perf_counter()
    run = services.start_season_run(actor=user, parameters=season)  # queues season_run_task, which runs now
    total = time.perf_counter() - clock
    run = MatchRun.objects.get(pk=run.pk)
    stats = run.stats
    timings = stats.get("timings", {})
    saving = max(total - timings.get("total", total), 0) + (timings.get("total", 0) - sum(
        timings.get(k, 0) for k in ("profiles", "orders", "engine")))
    print(f"season run through the task: window {window[0]} – {window[1]} (H-2A FY2017 orders planned for their "
          f"next season), status {run.status}{' ' + run.error[:200] if run.error else ''}")
    print(f"  {stats.get('workers', 0):,} profiles × {stats.get('orders', 0):,} orders "
          f"({stats.get('positions_open', 0):,} positions): {run.proposal_count:,} proposals, "
          f"{stats.get('positions_filled', 0):,} positions filled, {stats.get('edges', 0):,} candidate edges")
    print(f"  total {total:.2f} s = profiles {timings.get('profiles', 0):.2f} s + orders {timings.get('orders', 0):.2f} s"
          f" + engine {timings.get('engine', 0):.2f} s + saving/other {saving:.2f} s")
    if timings.get("engine"):
        print(f"  ratio task / engine alone: {total / timings['engine']:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--season-days", type=int, default=91, help="length of the season run's window")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    print(f"matching through Django — SYNTHETIC profiles, database {connection.vendor}")
    try:
        load_world(args.profiles, args.seed)
        user = official()
        shortlist_benchmark(args, user)
        season_benchmark(args, user)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:,.0f} MB")
    finally:
        if SCRATCH and not args.keep:
            shutil.rmtree(SCRATCH, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Migration statistics: load time of the official files and latency of the profile, corridor and explorer
queries, each against a naive baseline measured in the same run.

Runs on a throw-away SQLite database in a temporary folder, loaded with the full official files
(150,570 migrant-stock rows, 73,444 indicator values, 6,372 population rows) through `temporada setup`'s
steps. Figures: p50 and p95 over REPEAT runs (after one warm-up); ratio = naive / ours.

    python benchmarks/indicators_queries.py
"""

import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
VAR = tempfile.mkdtemp(prefix="temporada-bench-indicators-")
os.environ["TEMPORADA_VAR_DIR"] = VAR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

REPEAT = 30
RCM = ["BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"]


def timed(fn, repeat=REPEAT):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def report(label, ours, naive):
    (p50, p95), (b50, b95) = ours, naive
    print(f"{label:38} ours p50 {p50:8.2f} ms  p95 {p95:8.2f} ms | naive p50 {b50:9.2f} ms  p95 {b95:9.2f} ms"
          f" | ratio p50 {b50 / p50:6.1f}x  p95 {b95 / p95:6.1f}x")


# --- Naive baselines: what one would write without aggregation in the database --------------------

def naive_profile_totals(iso3):
    """Emigrants and immigrants per year by walking every stored row in Python."""
    from temporada.indicators.models import MigrantStock

    out, inn = defaultdict(int), defaultdict(int)
    for origin, destination, year, value in MigrantStock.objects.values_list("origin", "destination", "year", "value"):
        if origin == iso3:
            out[year] += value
        if destination == iso3:
            inn[year] += value
    return out, inn


def naive_corridors(year):
    from temporada.indicators.models import MigrantStock

    cells = defaultdict(int)
    for stock in MigrantStock.objects.filter(year=year):
        if stock.origin in RCM and stock.destination in RCM:
            cells[(stock.origin, stock.destination)] += stock.value
    return cells


def naive_series(codes, countries, start, end):
    """One query per cell."""
    from temporada.indicators.models import IndicatorValue

    out = []
    for code in codes:
        for iso3 in countries:
            for year in range(start, end + 1):
                value = IndicatorValue.objects.filter(indicator_id=code, iso3=iso3, year=year).values_list(
                    "value", flat=True).first()
                if value is not None:
                    out.append((code, iso3, year, value))
    return out


def naive_import(path, limit):
    """Row-by-row ORM saves of the first ``limit`` rows (rolled back)."""
    import csv

    from temporada.indicators.models import MigrantStock

    with path.open(encoding="utf-8") as handle, transaction.atomic():
        for n, row in enumerate(csv.DictReader(handle)):
            if n >= limit:
                break
            MigrantStock.objects.create(destination=row["destination_iso3"], origin=row["origin_iso3"],
                                        year=int(row["year"]), sex=row["sex"][0],
                                        value=int(row["migrant_stock"]), source_line=n + 2)
        transaction.set_rollback(True)


def main():
    call_command("migrate", verbosity=0)
    from temporada.core.bootstrap import run_steps
    from temporada.core.models import Country
    from temporada.indicators import explorer, queries
    from temporada.indicators.bootstrap import dataset_file
    from temporada.indicators.models import MigrantStock
    from temporada.indicators.profile import build_profile

    run_steps(stdout=StringIO(), only=["core.countries", "core.subdivisions", "programmes.catalogue"])
    sample = 5000  # the naive baseline saves rows one by one into the still empty table (then rolls back)
    naive_started = time.perf_counter()
    naive_import(dataset_file("migrant-stock"), sample)
    naive_rate = sample / (time.perf_counter() - naive_started)
    started = time.perf_counter()
    run_steps(stdout=StringIO(), only=[f"indicators.{k}" for k in ("catalogue", "country-codes", "indicator-definitions",
                                                                   "country-indicators", "migrant-stock", "population")])
    load_s = time.perf_counter() - started
    rows = MigrantStock.objects.count()
    started = time.perf_counter()
    from temporada.indicators.services import import_file

    import_file(actor=None, dataset_key="migrant-stock", path=dataset_file("migrant-stock"), force=True)
    ours_rate = rows / (time.perf_counter() - started)
    print(f"full load of the five files (setup steps): {load_s:.1f} s; migrant stock {rows:,} rows")
    print(f"{'import throughput (migrant stock)':38} ours {ours_rate:10,.0f} rows/s | naive row-by-row "
          f"{naive_rate:8,.0f} rows/s | ratio {ours_rate / naive_rate:6.1f}x")

    gtm = Country.objects.get(iso3="GTM")
    report("profile totals GTM (emig.+immig.)",
           timed(lambda: (queries.emigrant_series(None, "GTM"), queries.immigrant_series(None, "GTM"))),
           timed(lambda: naive_profile_totals("GTM"), repeat=5))
    report("corridors among RCM, 2020", timed(lambda: queries.corridors(None, year=2020, among=RCM)),
           timed(lambda: naive_corridors(2020), repeat=5))
    choices = {"codes": ["remin", "nmig", "unem"], "countries": RCM, "start": 2000, "end": 2023}
    report("explorer 3 ind. x 11 countries x 24 y",
           timed(lambda: explorer.series_rows(None, indicators=choices["codes"], countries=RCM, start=2000, end=2023)),
           timed(lambda: naive_series(**choices), repeat=3))

    # Whole pages, through the test client (template rendering included), against the static-ish home page.
    client = Client()
    home = timed(lambda: client.get("/es/"), repeat=15)
    print(f"{'baseline page: site home /es/':38} p50 {home[0]:8.2f} ms  p95 {home[1]:8.2f} ms")
    for label, url in [("profile page GTM (10 charts)", "/fr/indicators/countries/GTM/"),
                       ("profile data only GTM", None),
                       ("corridors page (map + matrix)", "/es/indicators/corridors/"),
                       ("explorer page (default query)", "/es/indicators/explorer/"),
                       ("profile API GTM", "/api/v1/indicators/countries/GTM/profile")]:
        if url is None:
            figure = timed(lambda: build_profile(None, gtm), repeat=15)
        else:
            figure = timed(lambda url=url: client.get(url), repeat=15)
        print(f"{label:38} p50 {figure[0]:8.2f} ms  p95 {figure[1]:8.2f} ms | {figure[0] / home[0]:5.1f}x the home page")
    pdf = timed(lambda: client.get("/fr/indicators/countries/GTM/profile.pdf"), repeat=3)
    print(f"{'PDF profile GTM (WeasyPrint)':38} p50 {pdf[0]:8.1f} ms  p95 {pdf[1]:8.1f} ms | {pdf[0] / home[0]:5.1f}x "
          f"the home page")


if __name__ == "__main__":
    main()

"""Programme catalogue: time of the pages a new user walks through (search, compare, channel finder, study).

Runs on a throw-away SQLite database in a temporary folder (real catalogue). Each figure is printed with its
ratio against a baseline measured in the same run: the cheapest catalogue page (the legal-instrument list of
16 records) for the pages, and the 12 real programmes for the scale test, where the catalogue is padded with
SYNTHETIC programmes (labelled synthetic, deleted with the database) to see how search grows.

    python benchmarks/programmes_catalogue.py
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
VAR = tempfile.mkdtemp(prefix="temporada-bench-programmes-")
os.environ["TEMPORADA_VAR_DIR"] = VAR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = 7


def measure(client, url, params=None):
    """Median wall time (ms) over REPEAT requests after one warm-up, and the queries of one request."""
    client.get(url, params or {})
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params or {})
    return statistics.median(times), len(queries)


def pad_with_synthetic(n):
    from temporada.programmes.models import Citation, Programme, PublicationState, Source

    source, _ = Source.objects.get_or_create(url="https://example.invalid/synthetic",
                                             defaults={"title": "SYNTHETIC benchmark data", "publisher": "benchmark"})
    base = Programme.objects.get(slug="us-h2a")
    for k in range(n):
        p = Programme.objects.create(
            slug=f"synthetic-{k}", name_es=f"SINTÉTICO {k}", name_en=f"SYNTHETIC {k}", name_fr=f"SYNTHÉTIQUE {k}",
            acronym_es=f"SYN{k}", destination_id="USA", modality="national", sectors=["agriculture"],
            isco_codes=["92"], max_stay_months=10, status="active", state=PublicationState.PUBLISHED)
        p.eligible_origins.set(base.eligible_origins.all())
        Citation.objects.bulk_create([Citation(programme=p, field=f, source=source, checked_on=date(2026, 1, 1))
                                      for f in ("eligible_origins", "sectors", "max_stay_months")])


def main():
    call_command("migrate", verbosity=0)
    from temporada.core.reference import load_countries
    from temporada.programmes.bootstrap import load_catalogue

    load_countries()
    load_catalogue()
    client = Client()
    baseline, base_queries = measure(client, "/es/programmes/instruments/")
    print(f"baseline  instrument list: {baseline:8.1f} ms  ({base_queries} queries)")
    pages = [
        ("search: Honduran farm worker", "/es/programmes/", {"origin": "HND", "sector": "agriculture"}),
        ("programme page (H-2A)", "/es/programmes/us-h2a/", None),
        ("compare H-2A vs SAWP", "/es/programmes/compare/", {"p": ["us-h2a", "ca-sawp"]}),
        ("instrument page with map", "/es/programmes/instruments/un-icmw-1990/", None),
        ("API channel finder", "/api/v1/programmes/channels", {"nationality": "HND", "sector": "agriculture"}),
        ("CSV export of programmes", "/es/programmes/", {"format": "csv"}),
    ]
    for label, url, params in pages:
        ms, queries = measure(client, url, params)
        print(f"{label:32} {ms:8.1f} ms  ratio {ms / baseline:5.2f}  ({queries} queries)")
    start = time.perf_counter()
    response = client.get("/fr/programmes/study.pdf")
    pdf_ms = (time.perf_counter() - start) * 1000
    print(f"{'PDF study (fr), one run':32} {pdf_ms:8.1f} ms  ratio {pdf_ms / baseline:5.2f}  "
          f"({len(response.content) // 1024} KiB)")

    search = ("/es/programmes/", {"origin": "HND", "sector": "agriculture"})
    real_ms, real_q = measure(client, *search)
    pad_with_synthetic(480)
    big_ms, big_q = measure(client, *search)
    print(f"scale: search over 12 real programmes {real_ms:.1f} ms ({real_q} queries); "
          f"with 480 SYNTHETIC added {big_ms:.1f} ms ({big_q} queries): ratio {big_ms / real_ms:.2f} for 41x rows")


if __name__ == "__main__":
    main()

"""Offer-verification latency on the full real SeasonalJobs snapshot (13,557 job orders).

Run: .venv/bin/python benchmarks/rights_verify.py
Prints the median time per check for: a case number that exists (baseline: an indexed lookup), an employer
name typed by a person (fuzzy search), an unknown number plus a fee (the "not found" path), and the same
checks through the page (form validation, counters, template), each with its ratio to the baseline.
Uses a throw-away SQLite database in a temporary folder; nothing else is touched.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="rights-bench-")
os.environ["TEMPORADA_VAR_DIR"] = TMP
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from temporada.demand.models import JobOrder  # noqa: E402
from temporada.rights.tests import fixtures  # noqa: E402
from temporada.rights.verification import Claim, verify  # noqa: E402

REPEAT = 30


def median_ms(fn, repeat=REPEAT):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    call_command("migrate", verbosity=0)
    fixtures.load_content()
    import csv
    import gzip

    with gzip.open(fixtures.data_path(*fixtures.SNAPSHOT), "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    started = time.perf_counter()
    fixtures._load_directly(Path(fixtures.SNAPSHOT[-1]), rows)
    print(f"loaded {JobOrder.objects.count()} real job orders in {time.perf_counter() - started:.1f}s")

    sample = rows[len(rows) // 2]
    number, name = sample["case_number"], sample["employer_business_name"]
    typed = name.lower().replace(",", " ").replace(".", " ")
    baseline = median_ms(lambda: verify(Claim(case_number=number)))
    cases = {
        "existing case number (baseline)": baseline,
        "employer name typed by a person": median_ms(lambda: verify(Claim(employer_name=typed))),
        "unknown number + fee (not found)": median_ms(lambda: verify(Claim(
            programme="H-2B", case_number="H-400-99999-999999", fee_amount=Decimal("2500"), subdivision="US-TX"))),
    }
    client = Client()
    with override_settings(RIGHTS_VERIFY_RATE_LIMIT=10**9):
        cases["page: number + fee, full request"] = median_ms(lambda: client.post(
            "/es/rights/verify/", {"case_number": number, "fee_amount": "500"}), repeat=15)
    print(f"{'check':40} {'median ms':>10} {'ratio':>7}")
    for label, value in cases.items():
        print(f"{label:40} {value:10.1f} {value / baseline:7.1f}x")


if __name__ == "__main__":
    main()

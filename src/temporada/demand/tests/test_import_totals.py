"""Published totals, on the full official files (slow): what the database holds after an import adds up to
what the publisher says."""

import csv
import gzip
from collections import defaultdict
from unittest import mock

import pytest
from django.db.models import Count, Sum

from temporada.demand.models import JobOrder

from .conftest import H2A, LMIA, SEASONALJOBS, real

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _certified(**filters):
    return JobOrder.objects.filter(**filters).aggregate(n=Sum("positions_certified"))["n"]


def test_h2a_fy2016_and_fy2017_primary_cases_total_the_official_figures(reference, run):
    run("oflc-h2a", real(*H2A, "H-2A_Disclosure_Data_FY16_updated.xlsx"))
    run("oflc-h2a", real(*H2A, "H-2A_Disclosure_Data_FY17.xlsx"))
    # OFLC's published national totals of certified H-2A positions.
    assert _certified(source="oflc_h2a", fiscal_year=2016, is_primary=True) == 165_741
    assert _certified(source="oflc_h2a", fiscal_year=2017, is_primary=True) == 200_049
    # Counting every row would overstate them (association members are repeated).
    assert _certified(source="oflc_h2a", fiscal_year=2016) > 165_741


def test_seasonaljobs_snapshot_totals(reference, run):
    batch = run("seasonaljobs-csv", real(*SEASONALJOBS))
    assert batch.rows_rejected == 0
    totals = {row["programme"]: row for row in JobOrder.objects.filter(source="seasonaljobs").values("programme").annotate(
        orders=Count("id"), positions=Sum("positions_requested"))}
    assert (totals["H-2A"]["orders"], totals["H-2A"]["positions"]) == (10_726, 177_965)
    assert (totals["H-2B"]["orders"], totals["H-2B"]["positions"]) == (2_831, 54_107)


def test_lmia_approved_positions_per_year_equal_the_published_list(reference, run):
    published = defaultdict(int)
    with gzip.open(real(*LMIA), "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            published[int(row["year"])] += int(row["approved_positions"])
    # Employer resolution over 345,000 rows is the employers app's business (and its own tests): left out here.
    with mock.patch("temporada.employers.resolution.resolve_job_orders", return_value=0):
        batch = run("lmia", real(*LMIA))
    assert batch.rows_rejected == 0
    imported = dict(JobOrder.objects.filter(source="lmia").values_list("fiscal_year").annotate(Sum("positions_certified")))
    assert imported == dict(published)
    assert imported[2017] == 87_560 and imported[2024] == 228_870  # the figures quoted with the data

"""Addenda joined to their cases, SeasonalJobs as CSV and as the API's JSON, the ESDC LMIA lists."""

import csv
import gzip
import json
from decimal import Decimal

import pytest

from temporada.demand.models import Crop, Housing, JobOrder, RejectedRow, Worksite

from .conftest import (
    FIXTURES,
    H2A,
    H2A_ADDENDA,
    H2B,
    LMIA,
    LMIA_AGRICULTURE,
    SEASONALJOBS,
    real,
    sheet,
    slice_csv,
    slice_workbook,
)

pytestmark = pytest.mark.django_db

FY22 = "H-2A_Disclosure_Data_FY2022_Q1.xlsx"


@pytest.fixture
def fy22_cases(reference, run, tmp_path):
    """The first 30 cases of the H-2A FY2022 Q1 file, imported."""
    run("oflc-h2a", slice_workbook(real(*H2A, FY22), tmp_path / FY22, first=30))
    return set(JobOrder.objects.values_list("source_key", flat=True))


@pytest.mark.parametrize(("kind", "name", "model"), [
    ("oflc-h2a-addendum-a", "H-2A_Addendum_A_Disclosure_Data_FY2022_Q1.xlsx", Crop),
    ("oflc-h2a-addendum-b-employment", "H-2A_Addendum_B_Employment_Record_FY2022_Q1.xlsx", Worksite),
    ("oflc-h2a-addendum-b-housing", "H-2A_Addendum_B_Housing_FY2022_Q1.xlsx", Housing),
])
def test_addenda_join_their_cases_and_refuse_unknown_ones(kind, name, model, fy22_cases, run, tmp_path):
    source = real(*H2A_ADDENDA, name)
    _sheet, rows = sheet(source)
    known_rows = [r for r in rows[1:] if r[0] in fy22_cases]
    assert known_rows, "the slice must contain addendum rows of imported cases"
    path = slice_workbook(source, tmp_path / name, first=5, where=lambda r: r["CASE_NUMBER"] in fy22_cases)
    before = model.objects.count()  # main-form housing of the same cases
    batch = run(kind, path)
    unknown = [r for r in rows[1:6] if r[0] not in fy22_cases]
    assert batch.rows_total == len(known_rows) + len(unknown)
    refused = RejectedRow.objects.filter(batch=batch, severity="error")
    assert refused.count() == len(unknown) == batch.rows_rejected
    for rejected in refused:
        assert "is not among the imported H-2A job orders of FY2022" in rejected.reason
        assert rejected.column == "CASE_NUMBER"
    children = model.objects.filter(batch=batch)
    assert children.count() == batch.rows_created == len(known_rows) - (batch.rows_total - batch.rows_created
                                                                        - batch.rows_rejected)
    assert model.objects.count() == before + batch.rows_created
    assert all(c.job_order.source_key in fy22_cases and c.job_order.line == 0 for c in children)
    assert {c.source_file for c in children} == {name}
    again = run(kind, path)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, batch.rows_created)


def test_addendum_a_keeps_crops_and_wage_offers(fy22_cases, run, tmp_path):
    name = "H-2A_Addendum_A_Disclosure_Data_FY2022_Q1.xlsx"
    run("oflc-h2a-addendum-a", slice_workbook(real(*H2A_ADDENDA, name), tmp_path / name,
                                              where=lambda r: r["CASE_NUMBER"] in fy22_cases))
    crop = Crop.objects.filter(wage_offer__isnull=False).select_related("job_order").first()
    assert crop.activity and crop.wage_unit and crop.job_order.programme == "H-2A"


def test_h2b_appendix_a_worksites(reference, run, tmp_path):
    main = "H2B_Disclosure_Data_FY2021_Q1.xlsx"
    run("oflc-h2b", slice_workbook(real(*H2B, main), tmp_path / main, first=60))
    cases = set(JobOrder.objects.values_list("source_key", flat=True))
    name = "H2B_Appendix_A_FY2021_Q1.xlsx"
    batch = run("oflc-h2b-appendix-a", slice_workbook(real(*H2B, name), tmp_path / name,
                                                       where=lambda r: r["CASE_NUMBER"] in cases))
    assert batch.rows_created > 0 and batch.rows_rejected == 0
    site = Worksite.objects.filter(batch=batch, positions__isnull=False).first()
    assert site.area and site.subdivision_id and site.subdivision_id.startswith("US-")


def _csv_rows(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_seasonaljobs_csv(reference, run, tmp_path):
    path = slice_csv(real(*SEASONALJOBS), tmp_path / "snapshot.csv.gz", first=40)
    rows = _csv_rows(path)
    batch = run("seasonaljobs-csv", path)
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (40, 40, 0)
    first = JobOrder.objects.get(source_key=rows[0]["case_number"])
    assert (first.source, first.programme, first.fiscal_year) == ("seasonaljobs", "H-2A", 2026)  # begins 2026-01-08
    assert (first.positions_requested, first.positions_certified) == (int(rows[0]["total_positions"]), None)
    assert (first.wage_rate, first.wage_hourly, first.worksite_subdivision_id) == (Decimal("16.08"), Decimal("16.08"),
                                                                                  "US-GA")
    assert first.extra["url_job"] == rows[0]["url_job"] and first.employer_postal_code == "39837"
    by_programme = {p: sum(int(r["total_positions"]) for r in rows if r["visa_class"] == p) for p in ("H-2A", "H-2B")}
    assert batch.summary["positions"] == by_programme


def test_the_api_json_shape_gives_the_same_records_as_the_csv(reference, run, tmp_path):
    document = json.loads((FIXTURES / "seasonaljobs_api_sample.json").read_text())
    cases = {r["case_number"] for r in document["value"]}
    csv_path = slice_csv(real(*SEASONALJOBS), tmp_path / "snapshot.csv.gz", where=lambda r: r["case_number"] in cases)
    from_csv = run("seasonaljobs-csv", csv_path)
    assert from_csv.rows_created == len(cases) == 26
    snapshot = {j.source_key: (j.row_hash, j.source_row) for j in JobOrder.objects.all()}
    from_json = run("seasonaljobs-json", FIXTURES / "seasonaljobs_api_sample.json")
    assert from_json.layout.endswith("(JSON)")
    assert (from_json.rows_created, from_json.rows_updated, from_json.rows_unchanged) == (0, 0, 26)
    assert {j.source_key: (j.row_hash, j.source_row) for j in JobOrder.objects.all()} == snapshot
    # A bare array (no "value" wrapper) is read too.
    bare = tmp_path / "records.json"
    bare.write_text(json.dumps(document["value"][:3]))
    assert run("seasonaljobs-json", bare).rows_unchanged == 3


def test_seasonaljobs_year_2525_is_a_warning_where_the_value_is_only_kept_for_reference(reference, run, tmp_path):
    """The snapshot has one active_date in 2525 (a source error): the job order is kept, the date dropped."""
    path = slice_csv(real(*SEASONALJOBS), tmp_path / "s.csv.gz", where=lambda r: r["active_date"].startswith("2525"))
    batch = run("seasonaljobs-csv", path)
    warning = RejectedRow.objects.get(batch=batch, column="active_date")
    assert (warning.severity, batch.rows_created, batch.rows_rejected) == ("warning", 1, 0)
    assert "2525-02-04" in warning.reason and "active_date" not in JobOrder.objects.get().extra


def test_lmia_lists(reference, run, tmp_path):
    blanks = {"(blank)", "Unspecified"}
    path = slice_csv(real(*LMIA), tmp_path / "lmia.csv.gz", first=200,
                     where=lambda r: r["employer"] in blanks or r["program_stream"] in blanks or r["noc_code"] == "")
    rows = _csv_rows(path)
    batch = run("lmia", path)
    assert batch.rows_rejected == 0 and batch.rows_created == len(rows)
    per_year = {}
    for r in rows:
        per_year[r["year"]] = per_year.get(r["year"], 0) + int(r["approved_positions"])
    assert batch.summary["positions_per_year"] == per_year
    from django.db.models import Sum

    assert {str(y): n for y, n in JobOrder.objects.values_list("fiscal_year").annotate(Sum("positions_certified"))} == per_year
    coastal = JobOrder.objects.get(employer_name="Coastal Shipping Ltd")
    assert (coastal.programme, coastal.worksite_subdivision_id, coastal.quarter) == ("CA-HW", "CA-NL", 4)
    assert (coastal.occupation_system, coastal.occupation_code) == ("NOC2011", "0016")
    assert (coastal.employer_city, coastal.employer_state, coastal.employer_postal_code) == ("Lewisporte", "NL", "A0G 3A0")
    assert JobOrder.objects.filter(programme="CA-UN").count() == 1
    nameless = JobOrder.objects.filter(employer_name="")
    assert nameless.exists() and batch.rows_warned >= nameless.count()
    abroad = JobOrder.objects.filter(extra__head_office_abroad=True).first()
    assert abroad is not None and abroad.worksite_subdivision_id is None
    again = run("lmia", path)
    assert again.rows_unchanged == len(rows) and again.rows_created == again.rows_updated == 0


def test_the_agriculture_subset_maps_onto_the_records_of_the_full_list(reference, run, tmp_path):
    full = slice_csv(real(*LMIA), tmp_path / "full.csv.gz", first=400)
    subset_rows = [r for r in _csv_rows(full) if r["program_stream"] == "Primary Agriculture"]
    assert subset_rows
    subset = slice_csv(real(*LMIA_AGRICULTURE), tmp_path / "agriculture.csv", first=len(subset_rows))
    run("lmia", full)
    batch = run("lmia", subset)
    assert (batch.rows_created, batch.rows_unchanged) == (0, len(subset_rows))

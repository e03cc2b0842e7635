"""OFLC disclosure files: every published layout, association repeats, idempotency, cases across years.
Each test imports a small slice of a real file (its real header, a few of its rows)."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from temporada.demand.importers.layouts import detect
from temporada.demand.importers.oflc import H2A_LAYOUTS, H2B_LAYOUTS
from temporada.demand.models import Housing, ImportBatch, JobOrder, RejectedRow

from .conftest import H2A, H2B, real, sheet, slice_workbook

pytestmark = pytest.mark.django_db

# file, expected layout, fiscal year, partial period label (None = full year)
H2A_FILES = [
    ("H2A_FY2008.xlsx", "oflc-h2a-2008", 2008, None),
    ("H2A_FY2009.xlsx", "oflc-h2a-2009", 2009, None),
    ("H-2A_FY2010.xlsx", "oflc-h2a-2009", 2010, None),
    ("H-2A_FY2011.xlsx", "oflc-h2a-2011", 2011, None),
    ("H-2A_FY2012.xlsx", "oflc-h2a-2011", 2012, None),
    ("H2A_FY2013.xls", "oflc-h2a-2013", 2013, None),
    ("H-2A_FY14_Q4.xlsx", "oflc-h2a-2014", 2014, None),
    ("H-2A_Disclosure_Data_FY15_Q4.xlsx", "oflc-h2a-2015", 2015, None),
    ("H-2A_Disclosure_Data_FY16_updated.xlsx", "oflc-h2a-2016", 2016, None),
    ("H-2A_Disclosure_Data_FY17.xlsx", "oflc-h2a-2017", 2017, None),
    ("H-2A_FY2018_Q2.xlsx", "oflc-h2a-2017", 2018, "FY2018 Q1–Q2"),
    ("H-2A_Disclosure_Data_FY2019_Q2.xlsx", "oflc-h2a-2019", 2019, "FY2019 Q1–Q2"),
    ("H2A_Disclosure_Data_FY2021_Q1.xlsx", "oflc-h2a-9142a-2020", 2021, "FY2021 Q1"),
    ("H-2A_Disclosure_Data_FY2022_Q1.xlsx", "oflc-h2a-9142a-2020", 2022, "FY2022 Q1"),
]
H2B_FILES = [
    ("H-2B_FY14_Q4.xlsx", "oflc-h2b-2014", 2014, None),
    ("H-2B_Disclosure_Data_FY15_Q4.xlsx", "oflc-h2b-2015", 2015, None),
    ("H-2B_Disclosure_Data_FY16.xlsx", "oflc-h2b-2016", 2016, None),
    ("H-2B_FY2017.xlsx", "oflc-h2b-2017", 2017, None),
    ("H-2B_Disclosure_Data_FY2018_EOY.xlsx", "oflc-h2b-2018", 2018, None),
    ("H-2B_Disclosure_Data_FY2019.xlsx", "oflc-h2b-2019", 2019, None),
    ("H2B_Disclosure_Data_FY2021_Q1.xlsx", "oflc-h2b-9142b-2020", 2021, "FY2021 Q1"),
    ("H-2B_Disclosure_Data_FY2022_Q1.xlsx", "oflc-h2b-9142b-2020", 2022, "FY2022 Q1"),
]
CASE = {"CASE_NUMBER", "CASE_NO"}


def _case_column(header):
    return next(h for h in header if h in CASE)


def _first_repeated_case(rows):
    header = rows[0]
    column = header.index(_case_column(header))
    counts = Counter(r[column] for r in rows[1:])
    for row in rows[1:]:
        if counts[row[column]] > 1:
            return row[column]
    return None


@pytest.mark.parametrize(("name", "layout", "year", "partial"), H2A_FILES)
def test_every_h2a_layout_imports_with_its_repeats(name, layout, year, partial, reference, run, tmp_path):
    source = real(*H2A, name)
    _sheet_name, rows = sheet(source)
    header = rows[0]
    assert detect(list(header), H2A_LAYOUTS, kind="oflc-h2a").layout.name == layout
    repeated = _first_repeated_case(rows)
    case_column = _case_column(header)
    path = slice_workbook(source, tmp_path / name.replace(".xls", ".xlsx").replace(".xlsxx", ".xlsx"), first=25,
                          where=lambda r: r[case_column] == repeated)
    batch = run("oflc-h2a", path)
    assert (batch.status, batch.layout, batch.is_partial_period) == ("succeeded", layout, partial is not None)
    assert batch.period_label == (partial or f"FY{year}")
    orders = JobOrder.objects.filter(batch=batch)
    assert set(orders.values_list("fiscal_year", flat=True)) == {year}
    assert orders.count() == batch.rows_created == batch.rows_total - batch.rows_rejected
    first = dict(zip(header, rows[1], strict=False))
    job = orders.get(source_row=2)
    assert job.source_key == first[case_column] and job.employer_name == first["EMPLOYER_NAME"].strip()
    assert job.source_file == path.name and job.programme == "H-2A" and job.country_id == "USA"
    if repeated and "ORGANIZATION_FLAG" not in header:
        # The ETA-9142A files list each case once: a repeat is refused, the first row kept.
        assert orders.filter(source_key=repeated).count() == 1 and batch.rows_rejected == 1
    elif repeated:
        group = orders.filter(source_key=repeated).order_by("line")
        flags = {r.source_row: r for r in group}
        raw = [(n + 2, dict(zip(header, r, strict=False))) for n, r in enumerate(rows[1:])]
        raw = {number: r for number, r in raw if r[case_column] == repeated}
        primary_column = "PRIMARY/SUB" if "PRIMARY/SUB" in header else "PRIORSUB" if "PRIORSUB" in header else None
        for job in group:
            record = next(r for r in raw.values() if r["EMPLOYER_NAME"].strip() == job.employer_name)
            expected = record[primary_column] == "PRI" if primary_column else bool(record["ORGANIZATION_FLAG"])
            assert job.is_primary is expected, (job.source_row, job.employer_name)
        assert group[0].is_primary and group[0].line == 0 and group[0].association_role == "primary"
        assert any(j.association_role == "member" and not j.is_primary for j in group)
        assert len(flags) == group.count()

    again = run("oflc-h2a", path)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, batch.rows_created)
    assert JobOrder.objects.count() == batch.rows_created


@pytest.mark.parametrize(("name", "layout", "year", "partial"), H2B_FILES)
def test_every_h2b_layout_imports(name, layout, year, partial, reference, run, tmp_path):
    source = real(*H2B, name)
    _sheet_name, rows = sheet(source)
    assert detect(list(rows[0]), H2B_LAYOUTS, kind="oflc-h2b").layout.name == layout
    batch = run("oflc-h2b", slice_workbook(source, tmp_path / name, first=30))
    assert (batch.layout, batch.period_label, batch.rows_total) == (layout, partial or f"FY{year}", 30)
    orders = JobOrder.objects.filter(batch=batch)
    assert orders.count() == 30 - batch.rows_rejected
    assert set(orders.values_list("programme", "fiscal_year", "is_primary", "association_role").distinct()) == {
        ("H-2B", year, True, "single")}
    # Every H-2B layout from FY2014 on publishes SOC codes.
    assert not orders.filter(occupation_code="").exists()
    again = run("oflc-h2b", slice_workbook(source, tmp_path / name, first=30))
    assert again.rows_unchanged == orders.count() and again.rows_created == again.rows_updated == 0


def test_values_are_read_as_published_and_normalised(reference, run, tmp_path):
    source = real(*H2A, "H2A_Disclosure_Data_FY2021_Q1.xlsx")
    batch = run("oflc-h2a", slice_workbook(source, tmp_path / "H2A_Disclosure_Data_FY2021_Q1.xlsx", first=3))
    job = JobOrder.objects.get(batch=batch, source_key="H-300-20199-721302")
    # Published: ZIP 97211 as a number, O*NET-SOC code, wage 15.83 per Hour, 40 hours, dates as dates.
    assert (job.employer_postal_code, job.occupation_system, job.occupation_code) == ("97211", "ONETSOC", "45-2092.02")
    assert (job.wage_rate, job.wage_unit, job.wage_hourly, job.wage_currency) == (
        Decimal("15.83"), "Hour", Decimal("15.83"), "USD")
    assert (job.hours_per_week, job.begin_date, job.end_date) == (Decimal("40.0"), date(2020, 8, 31), date(2020, 11, 20))
    assert (job.status_category, job.worksite_subdivision_id, job.job_order_number) == (
        "withdrawn", "US-OR", "JO-A-300-20199-721302")
    assert job.positions_requested == 2 and job.positions_certified is None
    # The housing of the main form becomes a Housing record (counted in the summary, not as job orders).
    housing = Housing.objects.get(job_order=job)
    assert (housing.city, housing.subdivision_id, housing.occupancy) == ("Portland", "US-OR", 3)
    assert batch.rows_created == 3 and batch.summary["housing_created"] == 3


def test_a_monthly_wage_becomes_hourly_with_the_published_hours(reference, run, tmp_path):
    source = real(*H2A, "H-2A_FY14_Q4.xlsx")
    batch = run("oflc-h2a", slice_workbook(source, tmp_path / "H-2A_FY14_Q4.xlsx", first=1))
    job = JobOrder.objects.get(batch=batch)  # 875 per Month, 45 hours a week
    assert (job.wage_rate, job.wage_unit, job.hours_per_week) == (Decimal("875.00"), "Month", Decimal("45.0"))
    assert job.wage_hourly == Decimal("4.49")  # 875 × 12 / 52 / 45


def test_a_case_redecided_in_a_later_year_keeps_each_years_record(reference, run, tmp_path):
    """H-300-16075-032707 was certified in FY2016 (2 workers) and withdrawn in FY2017."""
    case = "H-300-16075-032707"
    fy16 = slice_workbook(real(*H2A, "H-2A_Disclosure_Data_FY16_updated.xlsx"), tmp_path / "FY16.xlsx",
                          where=lambda r: r["CASE_NUMBER"] == case)
    fy17 = slice_workbook(real(*H2A, "H-2A_Disclosure_Data_FY17.xlsx"), tmp_path / "FY17.xlsx",
                          where=lambda r: r["CASE_NUMBER"] == case)
    run("oflc-h2a", fy16)
    run("oflc-h2a", fy17)
    records = {j.fiscal_year: j for j in JobOrder.objects.filter(source_key=case)}
    assert records[2016].positions_certified == 2 and records[2016].status_category == "certified"
    assert records[2017].positions_certified == 0 and records[2017].status_category == "withdrawn"


def test_a_newer_release_of_the_same_year_updates_instead_of_duplicating(reference, run, tmp_path):
    source = real(*H2A, "H-2A_FY2018_Q2.xlsx")
    name, rows = sheet(source)
    header = list(rows[0])
    first = run("oflc-h2a", slice_workbook(source, tmp_path / "H-2A_FY2018_Q2.xlsx", first=5))
    # The same cases in a later release of FY2018, one of them with a changed certified count.
    from .conftest import write_xlsx

    later = [list(r) for r in rows[1:6]]
    later[0][header.index("NBR_WORKERS_CERTIFIED")] = 1.0
    batch = run("oflc-h2a", write_xlsx(tmp_path / "H-2A_FY2018.xlsx", name, header, later))
    assert (batch.period_label, batch.rows_created, batch.rows_updated, batch.rows_unchanged) == ("FY2018", 0, 1, 4)
    job = JobOrder.objects.get(source_key=later[0][0])
    assert job.positions_certified == 1 and job.batch == batch and job.source_file == "H-2A_FY2018.xlsx"
    assert JobOrder.objects.count() == first.rows_created == 5


def test_publisher_duplicates_and_repeated_cases_are_rejected_with_the_row_they_repeat(reference, run, tmp_path):
    # FY2019 Q2 lists H-300-19030-361487 twice, identical in every column.
    twin = "H-300-19030-361487"
    batch = run("oflc-h2a", slice_workbook(real(*H2A, "H-2A_Disclosure_Data_FY2019_Q2.xlsx"), tmp_path / "FY2019_Q2.xlsx",
                                           where=lambda r: r["CASE_NO"] == twin))
    rejected = RejectedRow.objects.get(batch=batch)
    assert (rejected.row_number, rejected.column, rejected.source_key) == (3, "CASE_NO", twin)
    assert rejected.reason == "exact duplicate of row 2 (every value identical)"
    assert rejected.values["EMPLOYER_NAME"] == "Brooks Marlenee Farms"
    # FY2021 Q1 (one row per case) lists H-300-19346-194783 twice with different dates: the second is refused.
    case = "H-300-19346-194783"
    batch = run("oflc-h2a", slice_workbook(real(*H2A, "H2A_Disclosure_Data_FY2021_Q1.xlsx"), tmp_path / "FY2021_Q1.xlsx",
                                           where=lambda r: r["CASE_NUMBER"] == case))
    rejected = RejectedRow.objects.get(batch=batch)
    assert rejected.reason.startswith("case number repeated (first at row 2)")
    assert JobOrder.objects.filter(source_key=case).count() == 1
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (2, 1, 1)


def test_an_impossible_date_is_dropped_but_the_case_still_counts(reference, run, tmp_path):
    """FY2016 row H-300-16130-578334 asks for workers from 2106-06-21 (for 2016): its 40 certified workers
    are in OFLC's FY2016 total, so the case stays and only the date goes, with a warning in the report."""
    case = "H-300-16130-578334"
    batch = run("oflc-h2a", slice_workbook(real(*H2A, "H-2A_Disclosure_Data_FY16_updated.xlsx"), tmp_path / "FY16.xlsx",
                                           where=lambda r: r["CASE_NUMBER"] == case))
    job = JobOrder.objects.get(source_key=case)
    assert job.positions_certified == 40 and job.begin_date is None and job.is_primary
    warning = RejectedRow.objects.get(batch=batch)
    assert (warning.severity, warning.column) == ("warning", "REQUESTED_START_DATE_OF_NEED")
    assert "2106-06-21" in warning.reason and (batch.rows_rejected, batch.rows_warned) == (0, 1)


def test_import_batch_records_file_hash_size_and_both_figures(reference, run, tmp_path):
    from temporada.core.bootstrap import file_sha256

    source = real(*H2A, "H-2A_Disclosure_Data_FY16_updated.xlsx")
    _name, rows = sheet(source)
    repeated = _first_repeated_case(rows)
    path = slice_workbook(source, tmp_path / "H-2A_FY16.xlsx", where=lambda r: r["CASE_NUMBER"] == repeated)
    batch = run("oflc-h2a", path)
    assert batch.file_sha256 == file_sha256(path) and batch.file_size == path.stat().st_size
    assert batch.duration_seconds > 0 and batch.finished_at >= batch.started_at
    members = JobOrder.objects.filter(batch=batch, is_primary=False)
    primary = JobOrder.objects.get(batch=batch, is_primary=True)
    assert batch.summary["positions_certified_primary"] == primary.positions_certified
    assert batch.summary["positions_certified_all_rows"] == primary.positions_certified + sum(
        m.positions_certified or 0 for m in members)
    assert batch.summary["primary_rules"] == {"PRIMARY/SUB column": members.count() + 1}


def test_cli_import(reference, tmp_path):
    from django.core.management import call_command

    path = slice_workbook(real(*H2B, "H-2B_Disclosure_Data_FY2019.xlsx"), tmp_path / "H-2B_FY2019.xlsx", first=4)
    from io import StringIO

    out = StringIO()
    call_command("import_data", "oflc-h2b", str(path), "--no-progress", stdout=out)
    assert "4 created" in out.getvalue() and ImportBatch.objects.get().status == "succeeded"
    listing = StringIO()
    call_command("import_data", stdout=listing)
    for kind in ("oflc-h2a", "oflc-h2b", "oflc-h2a-addendum-a", "seasonaljobs-json", "lmia"):
        assert kind in listing.getvalue()

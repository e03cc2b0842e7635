"""Offer verification on job orders imported through the demand importers from slices of the real OFLC
H-2B disclosure file and the ESDC positive-LMIA list (the SeasonalJobs case is in test_verification)."""

import csv
import gzip
from decimal import Decimal

import pytest

from temporada.core.bootstrap import data_path
from temporada.rights.models import Outcome
from temporada.rights.verification import Claim, verify

importers = pytest.importorskip("temporada.demand.importers", reason="demand importers not installed")

pytestmark = pytest.mark.django_db

H2B_FILE = ("labor_demand", "us_oflc_h2b", "raw", "H-2B_Disclosure_Data_FY2022_Q1.xlsx")
LMIA_FILE = ("labor_demand", "canada_lmia", "lmia_positive_employers_2017q1_2024q4_harmonized.csv.gz")
ROWS = 25


def _xlsx_slice(source, target, rows):
    from openpyxl import Workbook, load_workbook

    book = load_workbook(source, read_only=True)
    sheet = book.worksheets[0]
    out = Workbook(write_only=True)
    copy = out.create_sheet(sheet.title)
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        if number > rows:
            break
        copy.append(row)
    book.close()
    out.save(target)


def _import(kind, path):
    importers.IMPORTERS[kind]["run"](path=path)


def _only_order(**filters):
    from temporada.demand.models import JobOrder

    order = JobOrder.objects.filter(is_primary=True, **filters).exclude(employer_name="").order_by("id").first()
    assert order is not None, filters
    return order


@pytest.fixture
def h2b_orders(content, tmp_path):
    target = tmp_path / H2B_FILE[-1]
    _xlsx_slice(data_path(*H2B_FILE), target, ROWS)
    _import("oflc-h2b", target)


@pytest.fixture
def lmia_orders(content, tmp_path):
    target = tmp_path / "lmia_slice.csv.gz"
    with gzip.open(data_path(*LMIA_FILE), "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row, _ in zip(reader, range(ROWS), strict=False)]
        fields = reader.fieldnames
    with gzip.open(target, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    _import("lmia", target)


def test_oflc_h2b_case_found_consistent_then_with_a_fee(h2b_orders):
    order = _only_order(programme="H-2B", status_category="certified")
    claim = Claim(programme="H-2B", case_number=order.source_key, subdivision=order.worksite_subdivision_id or "")
    assert verify(claim).outcome == Outcome.CONSISTENT
    claim.fee_amount = Decimal("1200")
    result = verify(claim)
    assert result.outcome == Outcome.CONTRADICTIONS and result.failed_checks == ["fee"]


def test_oflc_h2b_case_told_as_h2a_is_a_contradiction(h2b_orders):
    order = _only_order(programme="H-2B")
    result = verify(Claim(programme="H-2A", case_number=order.source_key))
    assert "programme" in result.failed_checks


def test_lmia_employer_found_by_name_and_province(lmia_orders):
    order = _only_order(source="lmia")
    claim = Claim(programme="CA", employer_name=order.employer_name,
                  subdivision=order.worksite_subdivision_id or "")
    result = verify(claim)
    assert result.outcome == Outcome.CONSISTENT
    claim.fee_amount = Decimal("3000")
    result = verify(claim)
    assert result.outcome == Outcome.CONTRADICTIONS and "fee" in result.failed_checks and result.fee_forbidden


def test_lmia_employer_in_the_wrong_province(lmia_orders):
    order = _only_order(source="lmia")
    wrong = "CA-BC" if order.worksite_subdivision_id != "CA-BC" else "CA-ON"
    result = verify(Claim(programme="CA", employer_name=order.employer_name, subdivision=wrong))
    assert result.outcome == Outcome.CONTRADICTIONS and "place" in result.failed_checks

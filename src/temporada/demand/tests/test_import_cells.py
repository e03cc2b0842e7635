"""Reading published cells: codes stay text, counts are whole and non-negative, dates are real dates,
wages become hourly rates only when the unit allows it."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from temporada.demand.importers import cells
from temporada.demand.importers.normalize import SubdivisionLookup, hourly_wage, pay_unit, status_category


@pytest.mark.parametrize(("value", "expected"), [
    (97211.0, "97211"), (1701.0, "01701"), ("01701", "01701"), ("1701", "01701"), (12345678.0, "01234-5678"),
    ("21620-1234", "21620-1234"), ("", ""), ("N/A", ""), (None, ""),
])
def test_us_postal_codes_get_their_leading_zeros_back(value, expected):
    assert cells.us_postal_code(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("45-2092", "45-2092"), ("0016", "0016"), (111998.0, "111998"), ("45-2092.02", "45-2092.02"), ("NA", ""),
])
def test_codes_are_kept_as_published_text(value, expected):
    assert cells.code(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (18.0, 18), ("18", 18), ("1,200", 1200), ("7.0", 7), ("", None), (None, None), ("N/A", None), (0.0, 0),
])
def test_counts(value, expected):
    assert cells.count(value) == expected


@pytest.mark.parametrize("value", [-3, "-3", "abc", 2.5, "12 workers", True, "1e3"])
def test_impossible_counts_are_errors(value):
    with pytest.raises(cells.CellError):
        cells.count(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("$14.94", Decimal("14.94")), (12.62, Decimal("12.62")), ("$20.", Decimal("20.00")), ("1,234.5", Decimal("1234.50")),
    (875.0, Decimal("875.00")), ("", None), ("N/A", None), (2.255, Decimal("2.26")),
])
def test_money(value, expected):
    assert cells.money(value) == expected


@pytest.mark.parametrize("value", ["#################", "-5", "ten dollars"])
def test_unreadable_money_is_an_error(value):
    with pytest.raises(cells.CellError):
        cells.money(value)


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2016, 2, 10, 13, 39, 22), date(2016, 2, 10)), (date(2016, 3, 15), date(2016, 3, 15)),
    ("9/8/2014", date(2014, 9, 8)), ("2026-01-08T00:00:00Z", date(2026, 1, 8)), ("2015-05-22", date(2015, 5, 22)),
    (42370.0, date(2016, 1, 1)), ("", None), (None, None),
])
def test_dates_in_every_published_spelling(value, expected):
    assert cells.a_date(value) == expected


@pytest.mark.parametrize("value", ["2525-02-04T12:00:00Z", date(2106, 6, 21), "1900-01-01", "31/31/2016", "soon"])
def test_impossible_dates_are_errors(value):
    with pytest.raises(cells.CellError):
        cells.a_date(value)


def test_us_fiscal_year_starts_in_october():
    assert cells.us_fiscal_year(date(2016, 9, 30)) == 2016
    assert cells.us_fiscal_year(date(2016, 10, 1)) == 2017


@pytest.mark.parametrize(("rate", "unit", "hours", "expected"), [
    ("12.62", "Hour", None, "12.62"), ("12.62", "HR", "35", "12.62"),
    ("600", "Week", "40", "15.00"), ("600", "WK", None, "15.00"), ("520", "Week", "52", "10.00"),
    ("1200", "Bi-Weekly", None, "15.00"), ("1727.75", "Month", None, "9.97"), ("875", "MTH", "45", "4.49"),
    ("31200", "Year", None, "15.00"), ("120", "Day", None, "15.00"),
])
def test_hourly_wage(rate, unit, hours, expected):
    hourly, why = hourly_wage(Decimal(rate), unit, Decimal(hours) if hours else None)
    assert (hourly, why) == (Decimal(expected), "")


def test_no_hourly_wage_for_piece_rates_unknown_units_or_typos():
    assert hourly_wage(Decimal("2.25"), "Piece Rate", None) == (None, "piece rate: no hourly equivalent")
    assert hourly_wage(Decimal("10"), "Select Pay Range", None) == (None, "no pay unit")
    assert hourly_wage(Decimal("10"), "Fortnightly-ish", None)[1].startswith("unknown pay unit")
    hourly, why = hourly_wage(Decimal("9388"), "HR", None)  # FY2013 publishes 9388 for 9.38
    assert hourly is None and "implausible" in why
    assert pay_unit("MTH") == "month" and pay_unit("Hourly") == "hour"


@pytest.mark.parametrize(("published", "category"), [
    ("DETERMINATION ISSUED - CERTIFICATION", "certified"), ("Certified - Full", "certified"),
    ("Certification Expired", "certified"), ("Certified - Partial", "partial"),
    ("DETERMINATION ISSUED - PARTIAL CERTIFICATION EXPIRED", "partial"), ("Denied", "denied"),
    ("Determination Issued - Rejected", "denied"), ("DETERMINATION ISSUED - WITHDRAWN", "withdrawn"),
    ("Acceptance Issued", "pending"), ("Pending Certification", "pending"), ("", "other"),
])
def test_status_categories(published, category):
    assert status_category(published) == category


@pytest.mark.django_db
def test_states_and_provinces_by_code_or_name(reference):
    us, ca = SubdivisionLookup("US"), SubdivisionLookup("CA")
    assert us("NC") == us("NORTH CAROLINA") == us("North Carolina") == "US-NC"
    assert us("PUERTO RICO") == "US-PR" and us("DC") == "US-DC"
    assert us("AB") is None and us("") is None
    assert ca("Ontario") == "CA-ON" and ca("Newfoundland and Labrador") == "CA-NL" and ca("QC") == "CA-QC"
    assert ca("Employers carrying on business in Canada with Head Office outside of Canada") is None

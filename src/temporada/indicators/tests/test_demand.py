"""Temporary-worker demand in the profiles and the open data, from the demand app's job orders."""

import csv
import io
import itertools

import pytest
from django.test import Client

from temporada.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db
_keys = itertools.count(1)


def job_order(**values):
    from temporada.demand.models import JobOrder

    number = next(_keys)
    defaults = {"source": "oflc_h2a", "source_key": f"H-300-TEST-{number}", "programme": "H-2A", "fiscal_year": 2017,
                "employer_name": f"Test farm {number}", "country_id": "USA", "source_file": "test.xlsx",
                "source_row": number + 1, "is_primary": True, "positions_requested": 10, "positions_certified": 8}
    return JobOrder.objects.create(**{**defaults, **values})


@pytest.fixture
def job_orders(migration_data, catalogue_loaded):
    orders = [job_order(), job_order(positions_requested=5, positions_certified=None),
              job_order(fiscal_year=2016, positions_certified=3),
              job_order(programme="H-2B", source="oflc_h2b", positions_requested=4, positions_certified=4),
              # Not counted: an association member's repeated row and a synthetic scale-test row.
              job_order(is_primary=False, positions_certified=1000),
              job_order(is_synthetic=True, positions_certified=5000),
              job_order(country_id="CAN", programme="CA-AG", source="lmia", fiscal_year=2020,
                        positions_requested=None, positions_certified=12),
              # A posting with no certification decision yet: "not published", never zero.
              job_order(source="seasonaljobs", fiscal_year=2026, positions_requested=7, positions_certified=None)]
    return orders


def test_destination_profile_shows_demand_without_repeated_or_synthetic_rows(job_orders):
    for user in (None, make_user("admin")):  # even administrators, who may see synthetic rows, get real statistics
        response = client_for(user).get("/es/indicators/countries/USA/")
        assert response.context["demand"] == {"loaded": True, "is_destination": True}
        chart = response.context["charts"]["temporary-demand"]
        rows = {(r["programme"], r["fiscal_year"], r["source"]): r for r in chart.raw_rows}
        assert set(rows) == {("H-2A", 2016, "oflc_h2a"), ("H-2A", 2017, "oflc_h2a"), ("H-2B", 2017, "oflc_h2b"),
                             ("H-2A", 2026, "seasonaljobs")}
        h2a = rows[("H-2A", 2017, "oflc_h2a")]
        assert (h2a["positions_requested"], h2a["positions_certified"], h2a["job_orders"]) == (15, 8, 2)
        posting = rows[("H-2A", 2026, "seasonaljobs")]
        assert (posting["positions_requested"], posting["positions_certified"]) == (7, None)
        assert {"fiscal_year": 2026, "programme": "H-2A", "value": None} not in chart.chart.spec["data"]["values"]
        assert [r["positions_certified"] for r in chart.chart.rows if r["fiscal_year"] == 2026] == ["—"]
        assert "temporary-demand-figure" in response.content.decode()


def test_origin_profile_says_it_is_not_a_destination(job_orders):
    response = Client().get("/es/indicators/countries/GTM/")
    assert response.context["demand"] == {"loaded": True, "is_destination": False}
    assert "no contienen órdenes de trabajo para empleos en Guatemala" in response.content.decode()


def test_temporary_positions_dataset_with_eligible_origins(job_orders):
    body = b"".join(Client().get("/api/v1/indicators/datasets/temporary-positions/download?format=csv")
                    .streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    by_key = {(r["programme"], r["destination_iso3"], r["fiscal_year"]): r for r in rows}
    assert set(by_key) == {("H-2A", "USA", "2016"), ("H-2A", "USA", "2017"), ("H-2B", "USA", "2017"),
                           ("CA-AG", "CAN", "2020"), ("H-2A", "USA", "2026")}
    assert (by_key[("CA-AG", "CAN", "2020")]["positions_certified"],
            by_key[("CA-AG", "CAN", "2020")]["positions_requested"]) == ("12", "")
    # H-2A takes the countries on the DHS eligible list (Guatemala among them); the catalogue says so.
    assert "GTM" in by_key[("H-2A", "USA", "2017")]["eligible_origins"].split()
    entry = next(d for d in Client().get("/api/v1/indicators/datasets").json() if d["key"] == "temporary-positions")
    assert (entry["rows"], entry["coverage_start"], entry["coverage_end"]) == (5, 2016, 2026)

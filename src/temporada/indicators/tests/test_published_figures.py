"""The figures the publishers announce (SOURCES.md, migration/) are what the product shows: in the
database, in the API, in the CSV downloads and on the pages."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from temporada.indicators import queries
from temporada.indicators.models import IndicatorValue, MigrantStock, Population

pytestmark = pytest.mark.django_db

# UN DESA International Migrant Stock 2020, Male + Female, mid-2020.
CORRIDORS_2020 = {("MEX", "USA"): 10_853_105, ("GTM", "USA"): 1_226_849, ("SLV", "USA"): 1_410_659,
                  ("NIC", "CRI"): 350_854}
DESTINATION_TOTALS_2020 = {"USA": 50_632_836, "CAN": 8_049_323, "MEX": 1_197_624}
GUATEMALA_REMITTANCES_2022_BN = Decimal("18.2")  # World Bank, current USD
MEXICO_POPULATION_2020_THOUSANDS = 125_989  # UN WPP 2022


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def check_database():
    for (origin, destination), value in CORRIDORS_2020.items():
        stored = MigrantStock.objects.filter(origin=origin, destination=destination, year=2020)
        assert sum(s.value for s in stored) == value
    for destination, value in DESTINATION_TOTALS_2020.items():
        assert sum(MigrantStock.objects.filter(destination=destination, year=2020).values_list("value", flat=True)) \
            == value
    remittances = IndicatorValue.objects.get(iso3="GTM", indicator_id="remin", year=2022).value
    assert round(Decimal(remittances) / 10**9, 1) == GUATEMALA_REMITTANCES_2022_BN
    population = Population.objects.get(iso3="MEX", year=2020, sex="T").thousands
    assert int(population) == MEXICO_POPULATION_2020_THOUSANDS


def check_product(client):
    # Queries behind the pages.
    assert {(r["origin"], r["destination"]): r["value"] for r in queries.corridors(None, year=2020)
            if (r["origin"], r["destination"]) in CORRIDORS_2020} == CORRIDORS_2020
    for destination, value in DESTINATION_TOTALS_2020.items():
        assert queries.immigrant_series(None, destination)[-1] == {**queries.immigrant_series(None, destination)[-1],
                                                                   "year": 2020, "total": value}
    # API: corridors among RCM countries, immigrant totals, series.
    api = {(r["origin"], r["destination"]): r["value"]
           for r in client.get("/api/v1/indicators/corridors", {"year": 2020}).json()}
    assert {k: api[k] for k in CORRIDORS_2020} == CORRIDORS_2020
    for destination, value in DESTINATION_TOTALS_2020.items():
        rows = client.get(f"/api/v1/indicators/countries/{destination}/charts/immigrants").json()["rows"]
        assert rows[-1]["year"] == 2020 and rows[-1]["total"] == value
    series = client.get("/api/v1/indicators/series", {"indicator": "remin", "country": "GTM", "start": 2022,
                                                       "end": 2022}).json()
    assert round(Decimal(series["rows"][0]["value"]) / 10**9, 1) == GUATEMALA_REMITTANCES_2022_BN
    population = client.get("/api/v1/indicators/series", {"indicator": "population", "country": "MEX", "start": 2020,
                                                           "end": 2020}).json()
    assert int(population["rows"][0]["value"]) == MEXICO_POPULATION_2020_THOUSANDS
    # CSV: the corridor download and the CSV behind a profile chart.
    rows = csv_rows(client.get("/es/indicators/corridors/", {"year": 2020, "format": "csv"}))
    assert {(r["origin_iso3"], r["destination_iso3"]): int(r["migrant_stock"]) for r in rows
            if (r["origin_iso3"], r["destination_iso3"]) in CORRIDORS_2020} == CORRIDORS_2020
    rows = csv_rows(client.get("/es/indicators/countries/GTM/charts/remittances.csv"))
    value = next(Decimal(r["remittances_received_usd"]) for r in rows if r["year"] == "2022")
    assert round(value / 10**9, 1) == GUATEMALA_REMITTANCES_2022_BN
    rows = csv_rows(client.get("/es/indicators/countries/USA/charts/origins.csv"))
    assert sum(int(r["migrant_stock"]) for r in rows) == DESTINATION_TOTALS_2020["USA"]
    assert next(int(r["migrant_stock"]) for r in rows if r["partner"] == "MEX") == CORRIDORS_2020[("MEX", "USA")]
    # Pages: the figure as people read it (grouped thousands, whatever the separator).
    page = client.get("/en/indicators/countries/MEX/").content.decode()
    assert "10,853,105" in page.replace("\u202f", ",").replace("\xa0", ",")
    page = client.get("/fr/indicators/countries/GTM/").content.decode()
    assert "18 204,6" in page.replace("\u202f", " ").replace("\xa0", " ")  # million USD, French grouping


def test_published_figures_on_the_rcm_slices(migration_data):
    check_database()
    check_product(Client())


@pytest.mark.slow
def test_published_figures_after_setup_loads_the_full_files(reference_countries):
    """The real `temporada setup` steps on the whole official files."""
    from io import StringIO

    from temporada.core.bootstrap import run_steps

    out = StringIO()
    outcome = run_steps(stdout=out, only=[f"indicators.{k}" for k in ("catalogue", "country-codes",
                                                                      "indicator-definitions", "country-indicators",
                                                                      "migrant-stock", "population")])
    assert set(outcome.values()) == {"loaded"}
    assert (MigrantStock.objects.count(), IndicatorValue.objects.count(), Population.objects.count()) == \
        (150_570, 73_444, 6_372)
    check_database()
    client = Client()
    check_product(client)
    # The whole-dataset downloads carry every row.
    body = b"".join(client.get("/api/v1/indicators/datasets/migrant-stock/download?format=csv").streaming_content)
    assert body.decode("utf-8-sig").count("\n") == 150_570 + 1
    data = json.loads(b"".join(client.get("/api/v1/indicators/datasets/population/download?format=json")
                               .streaming_content))
    assert len(data) == 6_372
    # A second setup skips every unchanged file.
    assert set(run_steps(stdout=out, only=["indicators.population", "indicators.country-codes"]).values()) == \
        {"unchanged"}

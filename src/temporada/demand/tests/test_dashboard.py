"""Dashboard page and chart CSVs: same figures as the aggregates, filters validated, synthetic rows absent."""

import csv
import io

import pytest
from django.urls import reverse

from temporada.demand.models import JobOrder

from .test_aggregates import slice_  # noqa: F401 - the hand-computable slice

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_dashboard_renders_every_chart_with_table_csv_api_source_and_date(client, slice_):  # noqa: F811
    response = client.get(reverse("demand:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    charts = [c for s in response.context["sections"] for c in s["charts"]]
    assert {c.chart_id for c in charts} == {"map-us", "map-rcm", "subdivisions", "isco-major", "isco-submajor", "native",
                                            "season", "trend", "employers", "wages-occupation", "wages-state"}
    for chart in charts:
        assert f'id="{chart.chart_id}-spec"' in body
        assert chart.csv_url.startswith("/es/demand/dashboard/") and chart.api_url.startswith("/api/v1/demand/")
        assert chart.as_of == "2024-05-02", chart.chart_id
        assert "OFLC" in chart.source
    assert response.context["totals"]["positions_certified"] == 137  # synthetic 1000 left out
    assert "1137" not in body and "1.137" not in body
    # The shapes come from our own static files; nothing from another origin.
    assert "/static/core/geo/us_states.geojson" in body and "https://" not in body.split("<footer")[0].replace(
        "https://vega.github.io/schema/vega-lite/v5.json", "")


def test_partial_years_are_labelled(client, slice_):  # noqa: F811
    response = client.get(reverse("demand:dashboard"))
    trend = next(c for s in response.context["sections"] for c in s["charts"] if c.chart_id == "trend")
    periods = {(r["programme"], r["fiscal_year"]): r["period"] for r in trend.rows}
    assert periods[("H-2A", 2016)] == "parcial" and periods[("H-2A", 2017)] == "año completo"
    assert "H-2A_FY2016_Q2.xlsx" in response.content.decode()


def test_filters_apply_to_charts_and_downloads(client, slice_):  # noqa: F811
    params = {"programme": "H-2A", "fiscal_year": "2017"}
    response = client.get(reverse("demand:dashboard"), params)
    assert response.context["totals"]["positions_certified"] == 75
    rows = _csv(client.get(reverse("demand:dashboard_csv", args=["subdivisions"]), params))
    assert {r["worksite_subdivision"]: int(r["positions_certified"]) for r in rows} == {"US-GA": 60, "US-NC": 15}
    ga = next(r for r in rows if r["worksite_subdivision"] == "US-GA")
    assert ga["positions_certified_all_rows"] == "100" and ga["as_of"] == "2024-05-02"
    # The trend keeps every year whatever the year filter.
    trend = _csv(client.get(reverse("demand:dashboard_csv", args=["trend"]), params))
    assert {r["fiscal_year"] for r in trend} == {"2016", "2017"}
    # Choosing Canada drops the US map.
    canada = client.get(reverse("demand:dashboard"), {"country": "CAN"})
    assert "map-us" not in {c.chart_id for s in canada.context["sections"] for c in s["charts"]}
    assert canada.context["totals"]["positions_certified"] == 7


def test_bad_filters_never_fail(client, slice_):  # noqa: F811
    for params in ({"fiscal_year": "2525"}, {"occupation": "<script>"}, {"subdivision": "XX-99"}, {"programme": "H-9"},
                   {"counting": "?"}, {"fiscal_year": "x" * 5000}):
        response = client.get(reverse("demand:dashboard"), params)
        assert response.status_code in (200, 414), params
        if response.status_code == 200:
            assert response.context["form"].errors
            assert response.context["totals"]["positions_certified"] == 137  # falls back to everything
    assert client.get(reverse("demand:dashboard_csv", args=["trend"]), {"fiscal_year": "2525"}).status_code == 400
    assert client.get(reverse("demand:dashboard_csv", args=["nope"])).status_code == 404


def test_counting_all_rows(client, slice_):  # noqa: F811
    response = client.get(reverse("demand:dashboard"), {"counting": "all", "programme": "H-2A", "fiscal_year": "2017"})
    assert response.context["totals"]["positions_certified"] == 115
    assert JobOrder.objects.filter(is_primary=False).count() == 1


@pytest.mark.parametrize("role, countries", [("public", ()), ("worker", ("MEX",)), ("employer", ("USA",)),
                                             ("origin_official", ("GTM",)), ("destination_official", ("CAN",)),
                                             ("consular", ("HND",)), ("analyst", ()), ("admin", ())])
def test_dashboard_is_public_and_never_shows_synthetic_rows(slice_, settings, role, countries):  # noqa: F811
    """Published statistics: every role sees the same figures, administrators included (no synthetic rows)."""
    from temporada.core.testing import client_for, make_user

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = client_for(None if role == "public" else make_user(role, countries))
    page = client.get(reverse("demand:dashboard"))
    assert page.status_code == 200 and page.context["totals"]["positions_certified"] == 137
    api = client.get("/api/v1/demand/aggregates", {"group_by": "programme"}).json()
    assert api["totals"]["positions_certified"] == 137
    assert "synthetic" not in {r["programme"] for r in api["rows"]}
    rows = _csv(client.get(reverse("demand:dashboard_csv", args=["subdivisions"])))
    assert {r["worksite_subdivision"]: r["positions_certified"] for r in rows}["US-GA"] == "60"

"""Profiles, corridors and explorer pages: content, languages, charts with their CSV, bad input."""

import csv
import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from temporada.indicators.profile import PROFILE_CHARTS

pytestmark = pytest.mark.django_db

RCM = ["BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"]


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_every_rcm_country_has_a_profile_with_every_chart(migration_data, catalogue_loaded):
    client = Client()
    for lang, iso3 in zip(["es", "en", "fr"] * 4, RCM, strict=False):
        response = client.get(f"/{lang}/indicators/countries/{iso3}/")
        assert response.status_code == 200, iso3
        charts = response.context["charts"]
        assert set(charts) == set(PROFILE_CHARTS)
        for chart_id, pc in charts.items():
            # Every chart has its table, its CSV and its API endpoint.
            assert pc.chart.columns and pc.chart.csv_url and pc.chart.api_url, chart_id
        assert response.context["figures"][0]["raw"] is not None
    home = client.get("/es/indicators/")
    overview = {row["code"]: row for row in home.context["overview"]}
    assert set(overview) == set(RCM)
    assert overview["GTM"]["emigrants"] == response_total(client, "GTM")
    assert all(reverse("indicators:profile", args=[c]) in home.content.decode() for c in RCM)


def response_total(client, iso3):
    return client.get(f"/api/v1/indicators/countries/{iso3}/charts/emigrants").json()["rows"][-1]["total"]


def test_guatemala_profile_in_french(migration_data, catalogue_loaded):
    response = Client().get("/fr/indicators/countries/GTM/")
    page = response.content.decode()
    assert response.context["name"] == "Guatemala"
    assert 'lang="fr"' in page
    corridors = response.context["charts"]["rcm-corridors"].raw_rows
    assert corridors[0]["partner"] == "USA" and corridors[0]["emigrants_there"] == 1_226_849
    # Women's share of emigrants, from the published female and male counts.
    emigrants = response.context["charts"]["emigrants"].raw_rows[-1]
    assert emigrants["women_share"] == round(100 * emigrants["female"] / emigrants["total"], 1)
    assert emigrants["female"] + emigrants["male"] == emigrants["total"]
    # Programmes from the published catalogue: Guatemala is an eligible origin of H-2A.
    assert "us-h2a" in {p.slug for p in response.context["programmes"]["origin"]}
    # The demand section says the job orders are not loaded rather than showing zeros.
    assert response.context["demand"] == {"loaded": False, "is_destination": False}
    assert "temporary-demand-figure" not in page


def test_profile_chart_csv_matches_the_api(migration_data):
    client = Client()
    for chart_id in ["emigrants", "destinations", "rcm-corridors", "remittances", "immigrant-share"]:
        rows = csv_rows(client.get(reverse("indicators:profile_chart_csv", args=["GTM", chart_id])))
        api = client.get(f"/api/v1/indicators/countries/GTM/charts/{chart_id}").json()
        assert [list(r) for r in rows][0] == api["fields"]
        assert [[str(v) if v is not None else "" for v in r.values()] for r in api["rows"]] == \
            [list(r.values()) for r in rows], chart_id
    # Top destinations plus the "rest" row add up to all emigrants.
    destinations = csv_rows(client.get(reverse("indicators:profile_chart_csv", args=["GTM", "destinations"])))
    emigrants = csv_rows(client.get(reverse("indicators:profile_chart_csv", args=["GTM", "emigrants"])))
    assert sum(int(r["migrant_stock"]) for r in destinations) == int(emigrants[-1]["total"])
    assert destinations[-1]["partner"] == "REST" and len(destinations) == 11


def test_profile_year_choice(migration_data):
    response = Client().get("/es/indicators/countries/GTM/", {"year": 1990})
    assert response.context["year"] == 1990
    top = response.context["charts"]["destinations"].raw_rows[0]
    assert top["partner"] == "USA" and top["year"] == 1990


@pytest.mark.parametrize("url,status", [
    ("/es/indicators/countries/XYZ/", 404),
    ("/es/indicators/countries/COL/", 404),  # a real country, but not an RCM member: no profile
    ("/es/indicators/countries/gtm%3Cscript%3E/", 404),
    ("/es/indicators/countries/GTM/?year=1993", 400),
    ("/es/indicators/countries/GTM/?year=abc", 400),
    ("/es/indicators/countries/GTM/charts/nonsense.csv", 404),
    ("/es/indicators/countries/XYZ/charts/emigrants.csv", 404),
    ("/es/indicators/countries/GTM/profile.pdf?year=1800", 400),
    ("/es/indicators/data/no-such-dataset/", 404),
])
def test_bad_profile_requests(reference_countries, url, status):
    response = Client().get(url)
    assert response.status_code == status
    if status == 400:
        assert "1990, 1995, 2000" in response.content.decode()


def test_corridors_page_filters_and_csv(migration_data):
    client = Client()
    response = client.get("/es/indicators/corridors/")
    rows = response.context["rows"]
    assert all(r["year"] == 2020 and r["sex"] == "total" for r in rows)
    assert rows[0]["origin"] == "MEX" and rows[0]["destination"] == "USA"
    assert 0 < len(rows) <= 11 * 10
    assert all(r["origin"] in RCM and r["destination"] in RCM and r["origin"] != r["destination"] for r in rows)
    assert response.context["map"]["flows"][0]["o"] == "MEX" and len(response.context["map"]["flows"]) <= 25
    female = {(r["origin"], r["destination"]): r["value"]
              for r in client.get("/es/indicators/corridors/", {"sex": "female"}).context["rows"]}
    male = {(r["origin"], r["destination"]): r["value"]
            for r in client.get("/es/indicators/corridors/", {"sex": "male"}).context["rows"]}
    total = {(r["origin"], r["destination"]): r["value"] for r in rows}
    assert {k: female.get(k, 0) + male.get(k, 0) for k in total} == total
    world = client.get("/es/indicators/corridors/", {"scope": "world", "country": "GTM", "year": 2020})
    assert {"GTM"} <= {r["origin"] for r in world.context["rows"]} and \
        any(r["origin"] not in RCM for r in world.context["rows"])
    rows_csv = csv_rows(client.get("/es/indicators/corridors/", {"year": 2020, "sex": "female", "format": "csv"}))
    assert {(r["origin_iso3"], r["destination_iso3"]): int(r["migrant_stock"]) for r in rows_csv} == female


@pytest.mark.parametrize("params,field", [
    ({"year": "1993"}, "year"),
    ({"sex": "other"}, "sex"),
    ({"scope": "galaxy"}, "scope"),
    ({"scope": "world"}, "country"),
    ({"country": "ZZZ"}, "country"),
])
def test_corridors_bad_input(reference_countries, params, field):
    response = Client().get("/es/indicators/corridors/", params)
    assert response.status_code == 400 and field in response.context["form"].errors
    api = Client().get("/api/v1/indicators/corridors", params)
    assert api.status_code in (400, 422) and api.json()["detail"]


def test_explorer_default_chart_and_csv(migration_data):
    client = Client()
    response = client.get("/es/indicators/explorer/")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart.columns[0][0] == "year" and len(chart.columns) == 5  # GTM, HND, SLV, MEX
    query = {"indicator": "remin", "country": ["GTM", "MEX"], "start": 2020, "end": 2022, "format": "csv"}
    rows = csv_rows(client.get("/es/indicators/explorer/", query))
    assert [(r["iso3"], r["year"]) for r in rows] == [(c, str(y)) for c in ("GTM", "MEX") for y in (2020, 2021, 2022)]
    stock = client.get("/es/indicators/explorer/", {"indicator": "emigrants", "country": "GTM"})
    assert [r["year"] for r in stock.context["rows"]] == [1990, 1995, 2000, 2005, 2010, 2015, 2020]


@pytest.mark.parametrize("params,message", [
    ({"indicator": "gdp_made_up", "country": "GTM"}, "Indicador desconocido"),
    ({"indicator": "all", "country": "GTM"}, "todos los indicadores"),
    ({"indicator": "remin", "country": "ZZZ"}, "desconocido"),
    ({"indicator": "remin", "country": ",".join(RCM + ["COL", "PER"])}, "como máximo 12"),
    ({"indicator": "remin", "country": "GTM", "start": 1800}, "fuera de rango"),
    ({"indicator": "remin", "country": "GTM", "start": 2010, "end": 2000}, "anterior"),
    ({"indicator": "remin", "country": "GTM", "start": "x"}, "número entero"),
    ({"indicator": "nmig", "country": "GTM", "start": 1950, "end": 1960}, "No hay datos"),
])
def test_explorer_bad_input_is_a_clear_400(migration_data, params, message):
    response = Client().get("/es/indicators/explorer/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_explorer_caps_the_work_of_one_request(migration_data):
    countries = ",".join(RCM[:12])
    api = Client().get("/api/v1/indicators/series", {"indicator": ["remin", "nmig", "unem", "pop"],
                                                      "country": countries})
    assert api.status_code == 400 and "como máximo 3" in api.json()["detail"]
    # 3 indicators × 11 countries × 74 years = 2,442 cells > 2,000.
    api = Client().get("/api/v1/indicators/series", {"indicator": ["remin", "nmig", "population"],
                                                      "country": countries, "start": 1950, "end": 2023})
    assert api.status_code == 400 and "2000" in api.json()["detail"].replace(".", "").replace(",", "")
    ok = Client().get("/api/v1/indicators/series", {"indicator": ["remin", "nmig", "unem"], "country": countries,
                                                     "start": 2000, "end": 2023})
    assert ok.status_code == 200 and len(ok.json()["rows"]) <= 3 * 11 * 24


def test_french_pdf_profile_made_without_any_network(migration_data, catalogue_loaded, monkeypatch):
    """WeasyPrint must not fetch anything: every fetch is refused and recorded, and none happens."""
    from temporada.indicators import pdf

    calls = []

    def refusing(url, *args, **kwargs):
        calls.append(url)
        raise AssertionError(f"fetch of {url}")

    monkeypatch.setattr(pdf, "local_only_fetcher", refusing)
    with translation.override("fr"):
        url = reverse("indicators:profile_pdf", args=["GTM"])
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and calls == []
    assert response["Content-Disposition"] == 'attachment; filename="temporada-profile-GTM-fr.pdf"'
    assert response.content.startswith(b"%PDF") and len(response.content) > 20_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                              check=True).stdout.decode()
        assert "Guatemala : profil migratoire" in text
        assert "1 226 849" in text.replace("\xa0", " ").replace("\u202f", " ")
        assert "Envois de fonds" in text and "Programmes de travail temporaire" in text


def test_pdf_svg_escapes_labels_and_draws_negative_bars_below_zero():
    from temporada.indicators import svg

    drawing = str(svg.bars(['<script>alert(1)</script>', "Costa Rica"], [10, 5], title='say "hi"'))
    assert "<script>" not in drawing and "&lt;script&gt;" in drawing and 'aria-label="say &quot;hi&quot;"' in drawing
    drawing = str(svg.columns([1990, 2000], [-3, 6], title="net"))
    zero = float(drawing.split('y1="')[1].split('"')[0])
    rects = [(float(r.split('y="')[1].split('"')[0]), float(r.split('height="')[1].split('"')[0]))
             for r in drawing.split("<rect")[1:]]
    # -3 hangs below the zero line, 6 stands on it and is twice as tall (coordinates have one decimal).
    assert rects[0][0] == zero and rects[1][0] + rects[1][1] == pytest.approx(zero, abs=0.15)
    assert rects[1][1] == pytest.approx(2 * rects[0][1], abs=0.15)
    assert svg.columns([1990], [None], title="x") == ""

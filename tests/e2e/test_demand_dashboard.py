"""Browser walk of the demand dashboard: where H-2A demand concentrates and when, the CSV behind a chart,
accessibility, no request to another origin, a 360 px phone and no JavaScript."""

import csv
import datetime as dt
import io

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# (state, month of start, ISCO unit, certified positions): Georgia leads, in April–May.
ROWS = [("US-GA", 4, "6111", 300), ("US-GA", 5, "9211", 220), ("US-GA", 4, "6111", 180), ("US-NC", 5, "6111", 150),
        ("US-NC", 6, "9211", 90), ("US-WA", 8, "6111", 140), ("US-WA", 9, "6111", 60), ("US-FL", 11, "9211", 120),
        ("US-CA", 7, "6111", 80), ("US-MI", 6, "9211", 40)]


@pytest.fixture
def demand_data():
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.demand.models import ImportBatch, JobOrder
    from temporada.employers.resolution import resolve_job_orders
    from temporada.occupations.models import IscoGroup

    load_countries()
    load_subdivisions()
    six = IscoGroup.objects.create(code="6", level=1, title_es="Agricultores y trabajadores calificados agropecuarios, "
                                   "forestales y pesqueros", title_en="Skilled agricultural, forestry and fishery workers",
                                   title_fr="Agriculteurs et ouvriers qualifiés de l’agriculture, de la sylviculture et de la pêche")
    nine = IscoGroup.objects.create(code="9", level=1, title_es="Ocupaciones elementales",
                                    title_en="Elementary occupations", title_fr="Professions élémentaires")
    IscoGroup.objects.create(code="61", level=2, parent=six, title_es="Agricultores y trabajadores calificados de "
                             "explotaciones agropecuarias con destino al mercado",
                             title_en="Market-oriented skilled agricultural workers",
                             title_fr="Agriculteurs et ouvriers qualifiés de l’agriculture commerciale")
    IscoGroup.objects.create(code="92", level=2, parent=nine, title_es="Peones agropecuarios, pesqueros y forestales",
                             title_en="Agricultural, forestry and fishery labourers",
                             title_fr="Manœuvres de l’agriculture, de la pêche et de la sylviculture")
    batch = ImportBatch.objects.create(kind="oflc-h2a", source="oflc_h2a", country_id="USA",
                                       file_name="H-2A_Disclosure_Data_FY17.xlsx", file_sha256="a" * 64,
                                       status="succeeded", period_label="FY2017",
                                       finished_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    for i, (state, month, isco, certified) in enumerate(ROWS):
        JobOrder.objects.create(
            source="oflc_h2a", source_key=f"H-300-17{i:03d}", programme="H-2A", fiscal_year=2017,
            employer_name=f"Farm {i % 4} LLC", employer_state=state[3:], employer_postal_code=f"3{i % 4}000",
            country_id="USA", worksite_subdivision_id=state, begin_date=dt.date(2017, month, 1), isco_code=isco,
            occupation_system="SOC2010", occupation_code="45-2092" if isco == "6111" else "45-2093",
            positions_requested=certified, positions_certified=certified, wage_hourly=10 + i % 3,
            wage_currency="USD", source_file=batch.file_name, source_row=i + 2, batch=batch)
    JobOrder.objects.create(
        source="lmia", source_key="LMIA-1", programme="CA-AG", fiscal_year=2017, employer_name="Ferme Test Inc",
        country_id="CAN", worksite_subdivision_id="CA-ON", isco_code="9211", occupation_system="NOC2011",
        occupation_code="8431", positions_requested=25, positions_certified=25, source_file="lmia.csv", source_row=2)
    resolve_job_orders(JobOrder.objects.all())


def _digits(text):
    return "".join(ch for ch in text if ch.isdigit())


def _csv_rows(download):
    with open(download.path(), encoding="utf-8-sig") as fh:
        return list(csv.DictReader(io.StringIO(fh.read())))


def test_where_and_when_h2a_demand_concentrates(page, live_url, axe_violations, demand_data):
    page.goto(f"{live_url}/es/demand/")
    assert "Demanda de trabajadores temporales" in page.locator("h1").inner_text()
    page.wait_for_selector("#map-us svg path")  # the US states drawn from our own shapes
    page.wait_for_selector("#season svg")
    assert axe_violations(page) == []

    # Only H-2A.
    page.select_option("#id_programme", "H-2A")
    with page.expect_navigation():
        page.click("form.dashboard-filters button[type=submit]")
    assert "programme=H-2A" in page.url
    assert _digits(page.locator("#total-certified").inner_text()) == "1380"

    # Where: Georgia first among the states (table view of the ranked chart).
    figure = page.locator("#subdivisions-figure")
    figure.locator("summary").click()
    first = figure.locator("tbody tr").first.inner_text()
    assert "Georgia" in first and "700" in first
    # When: April is the busiest month.
    season = page.locator("#season-figure")
    season.locator("summary").click()
    april = [r for r in season.locator("tbody tr").all_inner_texts() if r.startswith("abril")]
    assert sum(int(r.split("\t")[2]) for r in april) == 480

    # The CSV behind the chart.
    with page.expect_download() as info:
        figure.get_by_role("link", name="Descargar CSV").click()
    rows = _csv_rows(info.value)
    assert info.value.suggested_filename == "temporada-demand-subdivisions.csv"
    assert rows[0]["worksite_subdivision"] == "US-GA" and rows[0]["positions_certified"] == "700"
    assert rows[0]["as_of"] == "2024-06-01" and "OFLC" in rows[0]["source"]
    assert {r["worksite_subdivision"] for r in rows} == {"US-GA", "US-NC", "US-WA", "US-FL", "US-CA", "US-MI"}
    assert axe_violations(page) == []


def test_dashboard_on_a_phone(mobile_page, live_url, axe_violations, demand_data):
    mobile_page.goto(f"{live_url}/es/demand/")
    mobile_page.wait_for_selector("#map-us svg path")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 380
    assert axe_violations(mobile_page) == []


def test_dashboard_without_javascript(nojs_page, live_url, demand_data):
    nojs_page.goto(f"{live_url}/es/demand/?programme=H-2A&fiscal_year=2017&subdivision=US-GA")
    assert nojs_page.locator("#total-certified").inner_text().strip() == "700"
    # Tables stay available without charts.
    figure = nojs_page.locator("#subdivisions-figure")
    figure.locator("summary").click()  # <details> opens without JavaScript
    assert "Georgia" in figure.locator("table").inner_text()
    # The filter form is a plain GET form.
    nojs_page.select_option("#id_subdivision", "US-NC")
    with nojs_page.expect_navigation():
        nojs_page.click("form.dashboard-filters button[type=submit]")
    assert "subdivision=US-NC" in nojs_page.url
    assert nojs_page.locator("#total-certified").inner_text().strip() == "240"

"""Browser walk of the migration statistics, as a new user would: Guatemala's profile in French, its
corridors and remittances, the PDF profile and the CSV behind a chart; the flow map, the explorer and
the open-data catalogue. Every page passes axe-core (no serious/critical violations) and nothing is
requested from another origin (the ``page`` fixture fails the test otherwise)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def statistics_loaded(tmp_path):
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.indicators.tests.slices import load_slices
    from temporada.programmes.bootstrap import load_catalogue

    load_countries()
    load_subdivisions()
    load_catalogue()
    load_slices(tmp_path)


def _spaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_guatemala_profile_in_french_with_pdf_and_csv(page, live_url, axe_violations, statistics_loaded):
    # 1. From the statistics home, in French, open Guatemala's profile.
    page.goto(f"{live_url}/fr/indicators/")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Guatemala", exact=True).click()
    assert "/fr/indicators/countries/GTM/" in page.url
    assert page.locator("h1").inner_text() == "Guatemala : profil migratoire"
    page.wait_for_selector("#remittances svg")
    page.wait_for_selector("#rcm-corridors svg")
    assert axe_violations(page) == []

    # 2. Its corridors with the region: the United States first, with the UN figure.
    corridors = page.locator("#rcm-corridors-figure")
    corridors.locator("summary").click()
    first_row = _spaces(corridors.locator("tbody tr").first.inner_text())
    assert "États-Unis" in first_row and "1 226 849" in first_row

    # 3. Its remittances: the key figure (million USD, 2022) and the chart's table.
    figures = _spaces(page.locator("ul.figures").inner_text())
    assert "Envois de fonds reçus (millions USD)" in figures and "18 204,6" in figures
    remittances = page.locator("#remittances-figure")
    remittances.locator("summary").click()
    assert "18 204,6" in _spaces(remittances.locator("tbody").inner_text())
    assert axe_violations(page) == []

    # 4. The CSV behind the remittances chart.
    with page.expect_download() as info:
        remittances.locator("a", has_text="CSV").click()
    assert info.value.suggested_filename == "temporada-GTM-remittances.csv"
    text = open(info.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0] == "country,year,remittances_received_usd,remittances_paid_usd"
    assert "GTM,2022,18204553280.0," in text

    # 5. The PDF profile in French.
    with page.expect_download() as info:
        page.get_by_role("link", name="Français (PDF)").click()
    assert info.value.suggested_filename == "temporada-profile-GTM-fr.pdf"
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"%PDF") and len(data) > 20_000

    # 6. All of Guatemala's corridors on the flow map (no tile server: only our shapes).
    with page.expect_navigation():
        page.get_by_role("link", name="Tous les corridors du Guatemala sur la carte").click()
    page.wait_for_selector("#flow-map path.leaflet-interactive")
    assert page.locator("#flow-map path.leaflet-interactive").count() > 11  # country shapes + flows
    assert axe_violations(page) == []


def test_corridor_filters_explorer_and_catalogue(page, live_url, axe_violations, statistics_loaded):
    page.goto(f"{live_url}/es/indicators/corridors/")
    page.select_option("#id_year", "2000")
    page.select_option("#id_sex", "female")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "Corredores migratorios, 2000 (Mujeres)" in page.locator("#corridors-title").inner_text()
    page.wait_for_selector("#corridors svg")
    assert axe_violations(page) == []

    page.goto(f"{live_url}/es/indicators/explorer/")
    page.select_option("#ex-indicator", "unem")
    page.check("#ex-c-CRI")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    page.wait_for_selector("#explorer svg")
    header = page.locator("#explorer-figure thead").text_content()  # inside the closed <details>
    assert "Costa Rica" in header and "Guatemala" in header
    assert axe_violations(page) == []
    # The form's number fields stop 1800 in the browser; a hand-made URL gets the server's message.
    response = page.goto(f"{live_url}/es/indicators/explorer/?indicator=unem&country=GTM&start=1800")
    assert response.status == 400
    assert "Año fuera de rango" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    page.goto(f"{live_url}/en/indicators/data/")
    assert page.locator("table.data-table tbody tr").count() == 6
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Country and area codes and regions", exact=True).click()
    assert "British overseas territories" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_profile_on_a_phone(mobile_page, live_url, axe_violations, statistics_loaded):
    mobile_page.goto(f"{live_url}/es/indicators/countries/HND/")
    mobile_page.wait_for_selector("#emigrants svg")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 380
    assert axe_violations(mobile_page) == []


def test_profile_without_javascript_still_has_the_tables(nojs_page, live_url, statistics_loaded):
    nojs_page.goto(f"{live_url}/es/indicators/countries/GTM/")
    tables = nojs_page.locator("figure.chart-block table")
    assert tables.count() >= 9
    assert "1\xa0226\xa0849" in nojs_page.locator("#rcm-corridors-figure table").inner_text() or \
        "1 226 849" in _spaces(nojs_page.locator("#rcm-corridors-figure table").text_content())

"""Browser walk of the programme catalogue: search → compare H-2A with SAWP → instrument → French PDF."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue_loaded():
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.programmes.bootstrap import load_catalogue

    load_countries()
    load_subdivisions()
    load_catalogue()


def test_search_compare_instrument_and_french_pdf(page, live_url, axe_violations, catalogue_loaded):
    # 1. Which programmes can a Honduran farm worker use?
    page.goto(f"{live_url}/es/programmes/")
    assert axe_violations(page) == []
    page.select_option("#id_origin", "HND")
    page.select_option("#id_sector", "agriculture")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    results = page.locator("table.data-table tbody").inner_text()
    assert "H-2A" in results and "PTTE Honduras" in results
    assert "SAWP" not in results
    assert axe_violations(page) == []

    # 2. Compare H-2A with SAWP side by side.
    page.goto(f"{live_url}/es/programmes/compare/")
    page.check("#sel-us-h2a")
    page.check("#sel-ca-sawp")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    table = page.locator("table.compare")
    assert table.locator("thead th").count() == 3
    assert "8 meses" in table.inner_text() and "36 meses" in table.inner_text()
    assert "No verificado" in table.inner_text()
    assert axe_violations(page) == []

    # 3. Open the legal instrument behind H-2A; its parties are drawn on the map without tiles.
    with page.expect_navigation():
        table.get_by_role("link", name="20 CFR 655 (A/B)").first.click()
    assert "/instruments/us-20cfr655/" in page.url
    page.wait_for_selector("#parties-map path.leaflet-interactive")
    assert "Estados Unidos" in page.locator("table.data-table").last.inner_text() or \
        "Estados Unidos" in page.content()
    assert axe_violations(page) == []

    # 3b. The instrument behind SAWP, reached from the comparison too.
    page.go_back()
    with page.expect_navigation():
        page.locator("table.compare").get_by_role("link", name="Acuerdo SAWP Canadá–México 2013").first.click()
    assert "/instruments/ca-mx-sawp-2013/" in page.url
    assert "México" in page.locator("table.data-table").last.inner_text()

    # 3c. The comparison downloads as CSV with a source column per programme.
    page.goto(f"{live_url}/es/programmes/compare/?p=us-h2a&p=ca-sawp")
    link = page.get_by_role("link", name="CSV", exact=True)
    with page.expect_download() as info:
        link.click()
    header = open(info.value.path(), encoding="utf-8-sig").readline()
    assert header.strip() == "attribute,us-h2a,us-h2a_source,ca-sawp,ca-sawp_source"

    # 4. Download the study in French.
    page.goto(f"{live_url}/fr/programmes/")
    with page.expect_download(timeout=120_000) as info:  # the study is laid out on demand (about 35 pages)
        page.get_by_role("link", name="Étude en PDF").click(timeout=120_000)
    path = info.value.path()
    data = open(path, "rb").read()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert info.value.suggested_filename == "temporada-study-fr.pdf"


def test_catalogue_usable_on_a_phone(mobile_page, live_url, axe_violations, catalogue_loaded):
    mobile_page.goto(f"{live_url}/es/programmes/us-h2a/")
    assert "H-2A" in mobile_page.locator("h1").inner_text()
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380  # wide tables scroll inside their own box
    assert axe_violations(mobile_page) == []


@pytest.mark.parametrize("path", ["/es/programmes/us-h2a/", "/fr/programmes/instruments/", "/en/programmes/timeline/",
                                  "/es/programmes/procedures/", "/es/programmes/practices/",
                                  "/es/programmes/instruments/un-icmw-1990/", "/es/programmes/compare/?p=us-h2a&p=ca-sawp",
                                  "/fr/programmes/instruments/ilo-c097/", "/es/programmes/compare/?p=nope&p=us-h2a"])
def test_catalogue_pages_are_accessible(page, live_url, axe_violations, catalogue_loaded, path):
    page.goto(f"{live_url}{path}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_editor_drafts_with_a_source_and_reviewer_publishes(page, live_url, login, axe_violations, catalogue_loaded):
    from temporada.core.testing import make_user

    editor = make_user("destination_official", ("USA",))
    reviewer = make_user("analyst", is_content_reviewer=True)
    login(page, editor)
    page.goto(f"{live_url}/es/programmes/us-h2b/edit/")
    assert axe_violations(page) == []
    page.fill("#id_meals_es", "Texto de prueba sobre comidas")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_source_url + .errorlist, .errorlist").count() >= 1  # a new fact needs its source
    page.fill("#id_source_url", "https://www.dol.gov/agencies/whd/fact-sheets/78-h2b-overview")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/programmes/us-h2b/")
    assert "Borrador" in page.locator("main").inner_text()
    page.context.clear_cookies()
    response = page.goto(f"{live_url}/es/programmes/us-h2b/")
    assert response.status == 404  # the public waits for the reviewer
    login(page, reviewer)
    page.goto(f"{live_url}/es/programmes/us-h2b/")
    with page.expect_navigation():
        page.get_by_role("button", name="Publicar").click()
    page.context.clear_cookies()
    page.goto(f"{live_url}/es/programmes/us-h2b/")
    body = page.locator("main").inner_text()
    assert "Texto de prueba sobre comidas" in body and "78-h2b-overview" in page.content()

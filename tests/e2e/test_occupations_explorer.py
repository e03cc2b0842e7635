"""Browser walk of the occupation explorer: French search, ISCO hierarchy down to an ESCO occupation,
crosswalk links both ways, the code converter, the no-JavaScript path, axe-core and no foreign request."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def occupations_loaded(settings, tmp_path):
    from temporada.occupations.bootstrap import load_all
    from temporada.occupations.queries import clear_caches
    from temporada.occupations.tests.slices import build_slice

    settings.DATA_DIR = build_slice(tmp_path)
    load_all()
    clear_caches()
    yield
    clear_caches()


def test_french_search_hierarchy_and_crosswalk(page, live_url, axe_violations, occupations_loaded):
    # 1. A French speaker looks for farm labourers, without accents or ligature.
    page.goto(f"{live_url}/fr/occupations/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert axe_violations(page) == []
    page.fill("#id_q", "manoeuvres agriculture")
    page.press("#id_q", "Enter")
    results = page.locator("#occ-results table")
    results.wait_for()
    assert "Manœuvres de l’agriculture" in results.inner_text()
    page.wait_for_url(re.compile(r"q=manoeuvres"))
    assert axe_violations(page) == []

    # 2. The ISCO unit group shows where its links come from and how they were made.
    with page.expect_navigation():
        results.locator("a[href='/fr/occupations/isco/9211/']").click()
    assert page.url.endswith("/fr/occupations/isco/9211/")
    assert "Manœuvres de l’agriculture" in page.locator("h1").inner_text()
    links = page.locator("main").inner_text()
    assert "45-2092" in links and "85101" in links
    assert "Dérivée via la SOC 2010 (non officielle)" in links and "Affectation manuelle motivée" in links
    assert axe_violations(page) == []

    # 3. Browse down the hierarchy from the major group to an ESCO occupation.
    page.goto(f"{live_url}/fr/occupations/")
    for code in ("9", "92", "921", "9211"):
        with page.expect_navigation():
            page.locator(f"main a[href='/fr/occupations/isco/{code}/']").first.click()
        assert page.url.endswith(f"/isco/{code}/")
    assert page.locator("nav.occ-path li").count() == 3
    with page.expect_navigation():
        page.locator("main a[href^='/fr/occupations/esco/']").first.click()
    assert "ESCO" in page.locator("h1").inner_text()
    assert page.locator("ul[lang=fr]").count() + page.locator("ul[lang=es]").count() >= 1
    assert axe_violations(page) == []

    # 4. The SOC code links back to ISCO; the NOC group says which titles are not in the data.
    page.goto(f"{live_url}/fr/occupations/soc/45-2092/")
    assert page.locator("a[href='/fr/occupations/isco/9211/']").count() >= 1
    assert axe_violations(page) == []
    page.goto(f"{live_url}/fr/occupations/noc/2021/85101/")
    assert "Absent des données" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    # 5. A messy spreadsheet code converted to ISCO-08.
    page.goto(f"{live_url}/fr/occupations/crosswalk/")
    page.select_option("#id_system", "NOC2011")
    page.fill("#id_code", "8431.0")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    table = page.locator("main table").inner_text()
    assert "9211" in table and "9212" in table and "manual" in table
    assert axe_violations(page) == []


def test_search_works_without_javascript_on_a_phone(nojs_page, live_url, occupations_loaded):
    nojs_page.goto(f"{live_url}/es/occupations/")
    nojs_page.fill("#id_q", "agricola")
    with nojs_page.expect_navigation():
        nojs_page.click("main form button[type=submit]")
    assert "Peones de explotaciones agrícolas" in nojs_page.locator("#occ-results").inner_text()
    nojs_page.fill("#id_q", "a" * 100 + "b")  # the field stops at 100 characters
    assert len(nojs_page.input_value("#id_q")) == 100
    nojs_page.goto(f"{live_url}/es/occupations/?q=" + "a" * 300)
    assert "demasiado larga" in nojs_page.locator("[role=alert]").inner_text()


def test_explorer_is_light_and_accessible_on_a_phone(mobile_page, live_url, axe_violations, transferred_bytes,
                                                     occupations_loaded):
    mobile_page.goto(f"{live_url}/es/occupations/?q=cocineros")
    assert "Cocineros" in mobile_page.locator("#occ-results").inner_text()
    mobile_page.wait_for_load_state("networkidle")
    assert transferred_bytes(mobile_page) < 150_000  # page, CSS and htmx
    assert axe_violations(mobile_page) == []

"""Done-when walk of the workers' portal, on a phone-sized browser, in Spanish: a Salvadoran offered an
H-2B job for a fee finds the legal channel, learns the fee is illegal and that the job order does not
exist in the official files, then downloads the leaflet."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_data(tmp_path):
    from temporada.rights.tests.fixtures import load_content, load_job_orders

    load_content()
    load_job_orders(tmp_path)


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 380


def test_salvadoran_offered_h2b_job_for_a_fee(mobile_page, live_url, axe_violations, portal_data):
    page = mobile_page
    # 1. From the home page to the workers' portal.
    page.goto(f"{live_url}/es/")
    with page.expect_navigation():
        page.get_by_role("link", name="Derechos", exact=True).first.click()
    assert page.locator("h1").inner_text().startswith("Sus derechos")
    _fits_the_phone(page)
    assert axe_violations(page) == []

    # 2. Which legal channels are open to a Salvadoran who wants to work in the United States?
    with page.expect_navigation():
        page.get_by_role("link", name="¿Qué programas están abiertos para mí?").click()
    page.select_option("#id_nationality", "SLV")
    page.select_option("#id_destination", "USA")
    page.click("form.rights-form button[type=submit]")
    page.wait_for_selector("#finder-results")
    results = page.locator("#finder-results").inner_text()
    assert "H-2B" in results and "Migración Laboral" in results
    _fits_the_phone(page)
    assert axe_violations(page) == []

    # 3. The recruiter's offer: an H-2B job in Texas, "case H-400-25999-123456", for 3,000 dollars.
    page.goto(f"{live_url}/es/rights/verify/")
    page.select_option("#id_programme", "H-2B")
    page.fill("#id_case_number", "H-400-25999-123456")
    page.fill("#id_employer_name", "Hoteles Estrella del Norte")
    page.select_option("#id_subdivision", "US-TX")
    page.fill("#id_fee_amount", "3000")
    page.select_option("#id_contacted_by", "recruiter")
    page.click("form.rights-form button[type=submit]")
    page.wait_for_selector("#verify-result")
    verdict = page.locator("#verify-result").inner_text()
    assert "No encontramos esta oferta" in verdict
    assert "H-400-25999-123456 no aparece" in verdict
    assert "es ilegal" in verdict and "No pague" in verdict
    # The fee rule links to its source.
    assert page.locator("#verify-result .findings a[href^='http']").count() >= 1
    _fits_the_phone(page)
    assert axe_violations(page) == []

    # 4. The leaflet of the H-2B programme, in Spanish.
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar el folleto (PDF)").click()
    assert info.value.suggested_filename == "temporada-us-h2b-es.pdf"
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

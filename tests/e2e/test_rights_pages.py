"""Workers' portal in the browser: page weight on first load, accessibility, phone width, use without JavaScript."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIGHT_PAGES = ["/es/rights/", "/es/rights/finder/", "/es/rights/verify/"]


@pytest.fixture
def portal_data(tmp_path):
    from temporada.rights.tests.fixtures import load_content, load_job_orders

    load_content()
    load_job_orders(tmp_path)


@pytest.mark.parametrize("path", LIGHT_PAGES)
def test_first_load_is_at_most_150_kb(mobile_page, live_url, transferred_bytes, portal_data, path):
    mobile_page.goto(f"{live_url}{path}", wait_until="networkidle")
    size = transferred_bytes(mobile_page)
    print(f"{path}: {size} bytes on first load")  # reported with -s
    assert 0 < size <= 150 * 1024, size


@pytest.mark.parametrize("path", LIGHT_PAGES + ["/es/rights/us-h2a/", "/en/rights/ca-sawp/", "/fr/rights/help/",
                                                "/es/rights/finder/?nationality=HTI"])
def test_accessible_and_fits_a_phone(mobile_page, live_url, axe_violations, portal_data, path):
    mobile_page.goto(f"{live_url}{path}")
    assert mobile_page.locator("h1").count() == 1
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 380
    assert axe_violations(mobile_page) == []


def test_help_map_draws_from_vendored_shapes(page, live_url, axe_violations, portal_data):
    page.goto(f"{live_url}/es/rights/help/?nationality=SLV")
    page.wait_for_selector("#help-map path.leaflet-interactive")
    assert page.locator("#help-map path.leaflet-interactive").count() >= 2
    assert axe_violations(page) == []


def test_finder_and_verification_work_without_javascript(nojs_page, live_url, portal_data):
    page = nojs_page
    page.goto(f"{live_url}/es/rights/finder/")
    page.select_option("#id_nationality", "MEX")
    page.select_option("#id_destination", "CAN")
    with page.expect_navigation():
        page.click("form.rights-form button[type=submit]")
    assert "nationality=MEX" in page.url
    assert "PTAT" in page.locator("#finder-results").inner_text()

    page.goto(f"{live_url}/es/rights/verify/")
    page.fill("#id_case_number", "H-400-25317-406903")
    page.select_option("#id_programme", "H-2B")
    page.fill("#id_fee_amount", "0")
    with page.expect_navigation():
        page.click("form.rights-form button[type=submit]")
    verdict = page.locator("#verify-result").inner_text()
    assert "Encontramos" in verdict and "H-400-25317-406903" in verdict

    page.goto(f"{live_url}/es/rights/us-h2b/")
    assert page.locator("section.topic").count() >= 10

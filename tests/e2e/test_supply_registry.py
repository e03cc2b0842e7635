"""Done-when walk of the registry, in Spanish: a Guatemalan labour official registers a worker through the
form and more through a bulk file (seeing the per-row report of a bad file first), then looks at the gap
between the coming season's job orders and the registered workers. axe-core on every page; no request
leaves the site."""

from datetime import date

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _season():
    today = timezone.localdate()
    return date(today.year + 1, 3, 1)


@pytest.fixture
def official():
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.core.testing import make_user
    from temporada.demand.models import JobOrder
    from temporada.supply.bootstrap import load_origin_subdivisions

    load_countries()
    load_subdivisions()
    load_origin_subdivisions()
    start = _season()
    for n, (isco, positions) in enumerate([("9211", 40), ("6111", 6)]):
        JobOrder.objects.create(
            source="seasonaljobs", source_key=f"H-300-E2E-{n}", programme="H-2A", fiscal_year=start.year,
            employer_name="Granja de prueba", country_id="USA", source_file="e2e.csv", source_row=n + 2,
            isco_code=isco, begin_date=start, end_date=start.replace(month=9, day=30), positions_certified=positions,
            positions_requested=positions, status_category="certified", is_primary=True,
        )
    return make_user("origin_official", ["GTM"])


def _csv(rows):
    from temporada.supply.importers.workers import columns

    lines = [",".join(columns())]
    for values in rows:
        lines.append(",".join(values.get(c, "") for c in columns()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _row(national_id, given, **extra):
    start = _season()
    values = {"given_names": given, "family_names": "Ixcoy Tzoc", "birth_date": "1991-08-09", "sex": "M",
              "nationality": "GTM", "national_id": national_id, "residence_subdivision": "GT-12",
              "language_1": "es", "level_1": "native", "isco_1": "9211", "years_1": "5",
              "available_from": start.replace(month=2).isoformat(), "available_until": start.replace(month=10).isoformat(),
              "consent_registry": "sí", "consent_matching": "sí", "consent_date": timezone.localdate().isoformat(),
              "documents_verified": "sí"}
    values.update(extra)
    return values


def test_guatemalan_official_registers_workers_and_sees_the_gap(page, live_url, login, axe_violations, official,
                                                                tmp_path):
    login(page, official)
    page.goto(f"{live_url}/es/supply/")
    assert page.locator("h1").inner_text() == "Registro de trabajadores"
    assert axe_violations(page) == []

    # 1. One worker through the form.
    with page.expect_navigation():
        page.get_by_role("link", name="Registrar un perfil").first.click()
    assert axe_violations(page) == []
    start = _season()
    page.fill("#id_given_names", "Rosa Amalia")
    page.fill("#id_family_names", "Chen Caal")
    page.fill("#id_birth_date", "1993-04-02")
    page.select_option("#id_sex", "F")
    page.fill("#id_national_id", "3012 45678 1601")
    page.select_option("#id_residence_subdivision", "GT-16")
    page.select_option("#id_language_1", "es")
    page.select_option("#id_level_1", "native")
    page.select_option("#id_language_2", "kek")
    page.select_option("#id_level_2", "native")
    page.fill("#id_isco_1", "9211")
    page.fill("#id_years_1", "7")
    page.fill("#id_experience_1", "Corte de cardamomo y café")
    page.fill("#id_available_from", start.replace(month=2).isoformat())
    page.fill("#id_available_until", start.replace(month=10).isoformat())
    page.check("#id_consent_registry")
    page.check("#id_consent_matching")
    page.check("#id_documents_verified")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    body = page.locator("main").inner_text()
    assert "Rosa Amalia Chen Caal" in body and "···1601" in body and "301245678" not in body
    assert "Verificado" in body
    assert axe_violations(page) == []

    # 2. A bulk file with a repeated document and an unknown occupation: all-or-nothing saves nothing.
    bad = tmp_path / "perfiles.csv"
    bad.write_bytes(_csv([_row("3000000000101", "Juan"), _row("3000000000202", "Pedro"),
                          _row("3000000000202", "Pablo"), _row("3000000000303", "Mario", isco_1="9999")]))
    page.goto(f"{live_url}/es/supply/upload/")
    assert axe_violations(page) == []
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    report = page.locator("main").inner_text()
    assert "Rechazada: no se guardó nada" in report
    assert "aparece también en la fila 4" in report and "9999" in report
    assert axe_violations(page) == []

    # 3. The corrected file goes in whole.
    good = tmp_path / "perfiles-corregidos.csv"
    good.write_bytes(_csv([_row(f"30000000{n:03d}01", name) for n, name in
                           enumerate(["Juan", "Pedro", "Pablo", "Mario", "Luis", "José"], start=1)]))
    page.goto(f"{live_url}/es/supply/upload/")
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Guardada completa" in page.locator("main").inner_text()
    page.goto(f"{live_url}/es/supply/")
    assert "7 perfiles" in page.locator("main").inner_text()

    # 4. The gap for the coming season.
    page.goto(f"{live_url}/es/supply/gap/")
    page.fill("#id_start", f"{start.year}-03")
    page.fill("#id_months", "3")
    page.select_option("#id_level", "unit")
    with page.expect_navigation():
        page.click("main form.filters button[type=submit]")
    table = page.locator("#gap-table-title + p + .table-scroll table, section[aria-labelledby=gap-table-title] table").first
    text = table.inner_text()
    assert "9211" in text and "Déficit" in text
    row = page.locator("section[aria-labelledby=gap-table-title] tbody tr", has_text="9211").first.inner_text()
    assert "40" in row and "7" in row and "-33" in row  # 40 positions, 7 Guatemalan workers
    page.wait_for_selector("#gap-chart svg, #gap-chart canvas")
    assert axe_violations(page) == []


def test_gap_page_works_without_javascript_on_a_phone(nojs_page, live_url, login, official):
    login(nojs_page, official)
    nojs_page.goto(f"{live_url}/es/supply/gap/?start={_season().year}-03&months=2&level=major")
    assert "9" in nojs_page.locator("section[aria-labelledby=gap-table-title]").inner_text()
    assert nojs_page.evaluate("document.documentElement.scrollWidth") <= 380

"""Browser walk: a destination official finds two spellings of one grower and merges them, with confirmation."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_spellings():
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.demand.models import JobOrder
    from temporada.employers.models import Employer
    from temporada.employers.resolution import resolve_job_orders

    load_countries()
    load_subdivisions()
    for i, (name, city, postal, year) in enumerate([("Rio Grande Growers", "Mission", "78572", 2016),
                                                     ("R G Growers", "McAllen", "78501", 2017)]):
        JobOrder.objects.create(
            source="oflc_h2a", source_key=f"H-300-{i}", programme="H-2A", fiscal_year=year, employer_name=name,
            employer_city=city, employer_state="TX", employer_postal_code=postal, country_id="USA",
            positions_requested=10 + i, positions_certified=10 + i, source_file="H-2A.xlsx", source_row=i + 2)
    resolve_job_orders(JobOrder.objects.all())
    return Employer.objects.get(normalized_name="RIO GRANDE GROWERS"), Employer.objects.get(normalized_name="R G GROWERS")


def test_official_merges_two_spellings(page, live_url, login, axe_violations, two_spellings):
    from temporada.core.models import AuditEvent
    from temporada.core.testing import make_user
    from temporada.employers.models import Employer

    target, other = two_spellings
    official = make_user("destination_official", ["USA"])
    login(page, official)

    page.goto(f"{live_url}/es/employers/?q=growers")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Rio Grande Growers").click()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Fusionar con otro empleador").click()

    page.fill("#merge-q", "R G")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    page.check(f"#other-{other.pk}")
    page.fill("#id_note", "Same grower in Mission and McAllen")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Revisar la fusión").click()

    # Nothing has changed until the official confirms.
    assert "Confirmar la fusión" in page.locator("h1").inner_text()
    assert Employer.objects.get(pk=other.pk).merged_into_id is None
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmar la fusión").click()

    assert f"/es/employers/{target.pk}/" in page.url
    assert "Fusión registrada" in page.locator(".messages").inner_text()
    assert "R G Growers" in page.locator("main").inner_text()  # its alias now listed here
    assert Employer.objects.get(pk=other.pk).merged_into_id == target.pk
    event = AuditEvent.objects.get(type="employer.merged", object_id=str(target.pk))
    assert event.actor == official and event.details["note"] == "Same grower in Mission and McAllen"

"""Done-when walk of matching, in Spanish, on real job orders (a slice of OFLC's H-2A FY2017 disclosure file
imported through the demand importer) and profiles registered through the supply form and services.

A Guatemalan labour official (password + TOTP) opens the gap page, picks a real H-2A job order, plans its next
season, runs a shortlist, reads why each candidate ranks where it does, accepts two candidates (htmx) and rejects
one with a reason; a US destination official sees the accepted ones under pseudonyms only; once the Guatemalan
official releases them, the US official sees their names. axe-core on every page; no request leaves the site."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(tmp_path, monkeypatch):
    from temporada.core.bootstrap import data_path
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.core.testing import make_user
    from temporada.demand.importers import get_importer, run_import
    from temporada.demand.models import JobOrder
    from temporada.demand.tests.conftest import slice_workbook
    from temporada.matching.orders import plan_order
    from temporada.matching.tests.conftest import H2A_FY17, _Table, bls_crosswalk, profile_data
    from temporada.occupations import queries
    from temporada.programmes.bootstrap import load_catalogue
    from temporada.supply import services
    from temporada.supply.bootstrap import load_origin_subdivisions
    from temporada.supply.forms import WorkerForm

    load_countries()
    load_subdivisions()
    load_origin_subdivisions()
    load_catalogue()
    monkeypatch.setattr(queries, "isco_mapping_table",
                        lambda system: _Table(bls_crosswalk() if system == "SOC2010" else {}))
    wanted = {"n": 0}

    def crop_cases(row):
        if str(row.get("SOC_CODE") or "").startswith("45-2092") and row.get("PRIMARY/SUB") == "PRI" \
                and wanted["n"] < 3:
            wanted["n"] += 1
            return True
        return False

    run_import(get_importer("oflc-h2a"), slice_workbook(data_path(*H2A_FY17), tmp_path / "H-2A_FY17.xlsx",
                                                         where=crop_cases))
    job = JobOrder.objects.filter(source="oflc_h2a", isco_code="6310").order_by("id").first()
    plan = plan_order(job, today=timezone.localdate(), project=True)
    official = make_user("origin_official", ["GTM"])
    people = [("Rosa Amalia", "Chen Caal", "F", "8", "yes"), ("Juan", "Ixcoy Tzoc", "M", "5", "yes"),
              ("Pedro", "Batz Cojtí", "M", "3", ""), ("Mario", "Xol Pop", "M", "1", "")]
    for n, (given, family, sex, years, returned) in enumerate(people):
        extra = {"past_programme_1": "us-h2a", "past_destination_1": "USA", "past_season_1": "2024",
                 "past_returned_1": returned} if returned else {}
        data = profile_data(given_names=given, family_names=family, sex=sex, isco_1="6310", years_1=years,
                            national_id=f"30000000{n:03d}01", passport_number=f"P{n:07d}",
                            passport_expiry=(plan.end + timedelta(days=400)).isoformat(), **extra)
        form = WorkerForm(data, nationalities={"GTM"})
        assert form.is_valid(), form.errors
        services.create_worker(actor=official, data=form.cleaned_data)
    return {"job": job, "plan": plan, "official": official, "us": make_user("destination_official", ["USA"])}


def _names(page):
    return page.locator("ol.candidates").inner_text()


def test_guatemalan_official_shortlists_explains_accepts_and_releases(page, mobile_page, live_url, login,
                                                                     axe_violations, world):
    job, plan = world["job"], world["plan"]
    login(page, world["official"])

    # 1. The gap page, then the job orders that can be planned for the coming season.
    page.goto(f"{live_url}/es/supply/gap/")
    assert "Brecha" in page.locator("h1").inner_text()
    page.goto(f"{live_url}/es/matching/")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Elegir una orden de trabajo").click()
    page.fill("#id_occupation", "6310")
    with page.expect_navigation():
        page.click("main form.filters button[type=submit]")
    row = page.locator("tbody tr", has_text=job.source_key)
    assert plan.begin.isoformat() in row.inner_text() and "proyección" in row.inner_text()
    assert axe_violations(page) == []

    # 2. The real H-2A order: it began in 2017, so the form offers its next season.
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(job.source_key)).click()
    body = page.locator("main").inner_text()
    assert "La orden ya empezó." in body and job.employer_name in body and "6310" in body
    assert axe_violations(page) == []
    page.fill("#id_top", "10")
    with page.expect_navigation():
        page.click("main form.run-form button[type=submit]")
    assert "empezó el" in page.locator("#refusal").inner_text()  # refused without the projection
    page.check("#id_plan_next_season")
    with page.expect_navigation():
        page.click("main form.run-form button[type=submit]")

    # 3. Why each candidate ranks where it does.
    assert "/matching/runs/" in page.url
    main = page.locator("main").inner_text()
    assert "PROYECCIÓN de la orden" in main and plan.begin.isoformat() in main
    names = _names(page)
    assert names.index("Rosa Amalia Chen Caal") < names.index("Juan Ixcoy Tzoc") < names.index("Pedro Batz Cojtí")
    first = page.locator("li.candidate").first
    assert "mismo grupo primario CIUO-08 6310" in first.inner_text() and "8 años" in first.inner_text()
    assert "1 de 1 temporada anterior con regreso a tiempo" in first.inner_text()
    first.locator("details.factors summary").click()
    table = first.locator("details.factors table").inner_text()
    assert "Ocupación" in table and "Experiencia" in table and "Total" in table
    funnel = page.locator("table.funnel").inner_text()
    assert "disponibles durante todo el periodo" in funnel
    assert axe_violations(page) == []

    # 4. Accept the two best (htmx: the card changes in place), reject the third with a reason.
    url = page.url
    for index in (0, 1):
        card = page.locator("li.candidate").nth(index)
        card.get_by_role("button", name="Aceptar").click()
        page.locator("li.candidate").nth(index).locator(".badge.state", has_text="Aceptado").wait_for()
    assert page.url == url
    third = page.locator("li.candidate").nth(2)
    third.locator("input[name=reason]").fill("Prefiere la temporada de Canadá")
    third.get_by_role("button", name="Rechazar").click()
    page.locator("li.candidate").nth(2).locator(".badge.state", has_text="Rechazado").wait_for()
    assert axe_violations(page) == []
    run_url = page.url.split("#")[0]

    # 5. The US official (on a phone) sees the accepted candidates under pseudonyms only.
    us = mobile_page
    login(us, world["us"])
    us.goto(run_url)
    seen = us.locator("main").inner_text()
    assert "Rosa Amalia" not in seen and "Chen Caal" not in seen and "Batz Cojtí" not in seen
    assert len(re.findall(r"C-[A-Z2-7]{5}-[A-Z2-7]{5}", _names(us))) == 2
    assert "seudónimo" in seen
    assert axe_violations(us) == []
    assert us.evaluate("document.documentElement.scrollWidth") <= 380

    # 6. The Guatemalan official releases them; the US official now sees their names.
    page.goto(run_url)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Liberar al país de destino los 2 candidatos")).click()
    assert "liberado" in page.locator(".messages").inner_text()
    us.reload()
    names = _names(us)
    assert "Rosa Amalia Chen Caal" in names and "Juan Ixcoy Tzoc" in names and "Pedro Batz" not in names
    assert axe_violations(us) == []


def test_decisions_work_without_javascript_on_a_phone(nojs_page, live_url, login, world):
    from temporada.matching import services
    from temporada.matching.tests.conftest import shortlist_params

    run = services.create_shortlist(actor=world["official"], job_order=world["job"], parameters=shortlist_params())
    login(nojs_page, world["official"])
    nojs_page.goto(f"{live_url}/es/matching/runs/{run.pk}/")
    with nojs_page.expect_navigation():
        nojs_page.locator("li.candidate").first.get_by_role("button", name="Aceptar").click()
    assert "Candidato aceptado." in nojs_page.locator(".messages").inner_text()
    assert "Aceptado" in nojs_page.locator("li.candidate").first.inner_text()
    assert nojs_page.evaluate("document.documentElement.scrollWidth") <= 380


@pytest.fixture
def task_worker():
    """start() runs the database task backend's worker in a thread of this process, as `temporada serve` runs it
    beside the web server (started after signing in: fewer moments where both write the in-memory database)."""
    import threading
    import time

    from django.db import OperationalError, connections
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0.5, batch=False, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="e2e-matching", excluded_queue_names=[])

    def loop():
        # The live server's in-memory SQLite answers "table is locked" instead of waiting when two threads write:
        # the worker's polling transaction then starts again, as a restarted worker process would.
        try:
            while worker.running:
                try:
                    worker.run()
                except OperationalError:
                    time.sleep(0.05)
        finally:
            connections.close_all()

    threads = []

    def start():
        threads.append(threading.Thread(target=loop, daemon=True))
        threads[0].start()

    yield start
    worker.running = False
    for thread in threads:
        thread.join(30)


def test_season_run_with_a_fairness_target_runs_in_the_background(page, live_url, login, axe_violations, world,
                                                                  task_worker):
    login(page, world["official"])
    task_worker()
    page.goto(f"{live_url}/es/matching/season/new/")
    assert axe_violations(page) == []
    page.select_option("#id_programme", "H-2A")
    page.select_option("#id_fairness_attribute", "sex")
    page.select_option("#id_fairness_values", ["F"])
    page.fill("#id_fairness_min_share", "25")
    with page.expect_navigation():
        page.click("main form.run-form button[type=submit]")
    assert "/matching/runs/" in page.url
    # htmx polls the progress and reloads the page when the background task has finished
    page.locator("section[aria-labelledby=shares-title]").wait_for(timeout=30_000)
    main = page.locator("main").inner_text()
    assert "Terminada" in main and "Reparto de las propuestas" in main and "PROYECCIÓN: 3 órdenes" in main
    cards = page.locator("li.candidate")
    assert cards.count() >= 1 and "PROYECCIÓN de la orden" in cards.first.inner_text()
    women = page.locator("section[aria-labelledby=shares-title] table").first.inner_text()
    assert "Mujeres" in women
    assert axe_violations(page) == []

"""Browser walk of an import: a US destination official uploads an official OFLC file, watches the background
import progress to completion, sees the counts and downloads the rejected-rows report. Accessible, and no
request leaves the site."""

import re
import threading

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def task_worker(settings):
    """start() runs the database task backend's worker in a thread of this process (it sees the live server's
    database), as `temporada serve` runs it beside the web server."""
    import time

    from django.db import OperationalError, connections
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0.2, batch=False, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="e2e-worker", excluded_queue_names=[])
    threads = []

    def loop():
        # The live server's in-memory SQLite (shared cache) answers "database table is locked" at once instead of
        # waiting when the page's polling reads while the worker claims a task: the worker's polling transaction
        # then starts again, as a restarted worker process would. (A file database with WAL, as `temporada
        # serve` uses, waits instead.)
        try:
            while worker.running:
                try:
                    worker.run()
                except OperationalError:
                    time.sleep(0.05)
        finally:
            connections.close_all()

    def start():
        threads.append(threading.Thread(target=loop, daemon=True))
        threads[0].start()

    def stop():
        # The idle worker still polls in exclusive transactions, which lock the whole in-memory database
        # ("database schema is locked") for the page requests that follow: stopped once its work is done.
        worker.running = False
        for thread in threads:
            thread.join(30)

    start.stop = stop
    yield start
    stop()


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_official_uploads_a_file_and_watches_it_import(page, live_url, login, axe_violations, task_worker, settings,
                                                         tmp_path):
    from temporada.core.bootstrap import data_path
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.core.testing import make_user
    from temporada.demand.models import ImportBatch, JobOrder

    settings.VAR_DIR = tmp_path
    load_countries()
    load_subdivisions()
    official = make_user("destination_official", ["USA"])
    source = data_path("labor_demand", "us_oflc_h2b", "raw", "H-2B_Disclosure_Data_FY2022_Q1.xlsx")

    login(page, official)
    page.goto(f"{live_url}/es/demand/imports/new/")
    assert page.locator("h1").inner_text() == "Importar un archivo oficial"
    assert axe_violations(page) == []
    page.select_option("#id_kind", "oflc-h2b")
    page.set_input_files("#id_file", str(source))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/es/demand/imports/\d+/$", page.url), page.url

    # Queued until a worker takes it: the page shows it waiting, with its progress bar, and polls.
    assert page.locator("#import-status").inner_text() == "En cola"
    assert page.locator("#import-progress-bar").count() == 1
    assert axe_violations(page) == []
    task_worker()
    # The page follows the worker (running, rows done) and reloads itself on the finished batch.
    page.wait_for_function("document.querySelector('#import-status').textContent.trim() === 'Terminada'",
                           timeout=120_000)
    page.wait_for_selector("#count-created", timeout=30_000)
    task_worker.stop()
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.layout, batch.period_label) == ("succeeded", "oflc-h2b-9142b-2020", "FY2022 Q1")
    assert _number(page.locator("#count-total").inner_text()) == 1097
    assert _number(page.locator("#count-created").inner_text()) == JobOrder.objects.count() == 1097
    assert "FY2022 Q1" in page.content() and "periodo parcial" in page.content()
    assert axe_violations(page) == []

    # The report of rows imported with warnings / rejected is a download of this site.
    with page.expect_download() as download:
        page.click("text=Descargar el informe completo")
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "row,severity,source_key,column,reason,values"
    assert len(report.splitlines()) - 1 == batch.rejected.count()

    # Officials see the imported job orders with their provenance.
    job = JobOrder.objects.order_by("source_row").first()
    page.goto(f"{live_url}/es/demand/job-orders/{job.pk}/")
    assert job.source_key in page.content() and "H-2B_Disclosure_Data_FY2022_Q1.xlsx" in page.content()
    assert axe_violations(page) == []


def test_job_order_list_filters_and_is_accessible_on_a_phone(mobile_page, live_url, axe_violations, tmp_path):
    from temporada.core.bootstrap import data_path
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.demand.importers import get_importer, run_import

    load_countries()
    load_subdivisions()
    run_import(get_importer("seasonaljobs-csv"),
               data_path("labor_demand", "us_seasonaljobs", "seasonaljobs_h2a_h2b_job_orders_snapshot_2026-01-15.csv.gz"))
    page = mobile_page
    page.goto(f"{live_url}/es/demand/job-orders/")
    assert "13.557 órdenes de trabajo" in page.content() or "13557 órdenes de trabajo" in page.content()
    page.select_option("#id_programme", "H-2B")
    page.fill("#id_subdivision", "US-TX")
    with page.expect_navigation():
        page.click("main form.filters button[type=submit]")
    heading = page.locator("#results-title").inner_text()
    from temporada.demand.models import JobOrder

    expected = JobOrder.objects.filter(programme="H-2B", worksite_subdivision_id="US-TX").count()
    assert _number(heading) == expected > 0
    assert axe_violations(page) == []
    page.goto(f"{live_url}/es/demand/job-orders/?fiscal_year=abc")
    assert page.locator("[role=alert]").count() >= 1

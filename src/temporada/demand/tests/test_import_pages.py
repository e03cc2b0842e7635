"""Upload page, import batches and job-order pages: who sees what (every role, by id, report download and
API), the upload running as a background task, and the forms refusing bad files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from temporada.accounts.roles import PUBLIC
from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user
from temporada.demand.models import ImportBatch, JobOrder

from .conftest import H2B, real, slice_workbook

pytestmark = pytest.mark.django_db

ROLES = [
    (PUBLIC, ()), ("worker", ("GTM",)), ("employer", ("USA",)), ("origin_official", ("GTM",)),
    ("origin_official", ("USA",)), ("destination_official", ("USA",)), ("destination_official", ("CAN",)),
    ("consular", ("MEX",)), ("analyst", ()), ("admin", ()),
]
FY19 = "H-2B_Disclosure_Data_FY2019.xlsx"


@pytest.fixture
def us_batch(reference, run, tmp_path):
    """A finished US import with one rejected row (a negative count)."""
    from .conftest import sheet, write_xlsx

    name, rows = sheet(real(*H2B, FY19))
    header = list(rows[0])
    body = [list(r) for r in rows[1:6]]
    body[2][header.index("NBR_WORKERS_CERTIFIED")] = -1.0
    return run("oflc-h2b", write_xlsx(tmp_path / "H-2B_FY2019_slice.xlsx", name, header, body))


def test_import_batches_are_seen_only_by_officials_of_their_country_and_admins(us_batch):
    marker = us_batch.file_sha256
    matrix = PermissionMatrix(obj=us_batch, probes=[
        Probe("detail", lambda b: reverse("demand:import_detail", args=[b.pk]), marker=lambda b: marker),
        Probe("progress", lambda b: reverse("demand:import_progress", args=[b.pk]), marker=lambda b: b.get_status_display()),
        # (the CSV is streamed, which the matrix cannot read: the same report as JSON)
        Probe("report", lambda b: reverse("demand:import_report", args=[b.pk]) + "?format=json",
              marker=lambda b: "negative count"),
        Probe("list", lambda b: reverse("demand:imports"), marker=lambda b: b.file_name),
        Probe("api", lambda b: f"/api/v1/demand/imports/{b.pk}", marker=lambda b: marker),
        Probe("api-list", lambda b: "/api/v1/demand/imports", marker=lambda b: marker),
        Probe("api-rejected", lambda b: f"/api/v1/demand/imports/{b.pk}/rejected", marker=lambda b: "negative count"),
    ])
    allowed = {("destination_official", ("USA",)), ("admin", ())}
    matrix.check({role: role in allowed for role in ROLES})


def _streamed(response):
    return b"".join(response.streaming_content).decode("utf-8-sig") if response.streaming else response.content.decode()


def test_the_rejected_rows_report_lists_every_row_with_reason_column_and_values(us_batch):
    official = make_user("destination_official", ["USA"])
    response = client_for(official).get(reverse("demand:import_report", args=[us_batch.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = _streamed(response).splitlines()
    assert lines[0] == "row,severity,source_key,column,reason,values"
    errors = [line for line in lines[1:] if ",error," in line]
    assert len(errors) == 1 and errors[0].startswith("4,error,H-400-")
    assert ",NBR_WORKERS_CERTIFIED,negative count: -1," in errors[0] and "EMPLOYER_NAME=" in errors[0]
    assert len(lines) - 1 == us_batch.rejected.count()  # warnings are listed too
    assert client_for(official).get(reverse("demand:import_report", args=[us_batch.pk]) + "?format=xml").status_code == 400


def test_synthetic_job_orders_are_for_administrators_only(us_batch):
    job = JobOrder.objects.filter(batch=us_batch).first()
    job.is_synthetic = True
    job.employer_name = "SYNTHETIC EMPLOYER 0001"
    job.save()
    matrix = PermissionMatrix(obj=job, probes=[
        Probe("detail", lambda j: reverse("demand:joborder_detail", args=[j.pk]), marker=lambda j: j.employer_name),
        Probe("list", lambda j: reverse("demand:joborders"), marker=lambda j: j.employer_name),
        Probe("export", lambda j: reverse("demand:joborders") + "?format=json", marker=lambda j: j.employer_name),
        Probe("api", lambda j: f"/api/v1/demand/job-orders/{j.pk}", marker=lambda j: j.employer_name),
        Probe("api-list", lambda j: "/api/v1/demand/job-orders?limit=100", marker=lambda j: j.employer_name),
    ])
    matrix.check({role: role == ("admin", ()) for role in ROLES})


def test_published_job_orders_are_public_with_their_provenance(us_batch):
    job = JobOrder.objects.filter(batch=us_batch).first()
    response = client_for(None).get(reverse("demand:joborder_detail", args=[job.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (job.source_key, job.employer_name, job.source_file, str(job.source_row), "oflc-h2b" if False else job.isco_method):
        assert str(text) in body
    # The link to the batch is only there for those who may see the batch.
    assert reverse("demand:import_detail", args=[us_batch.pk]) not in body
    official = client_for(make_user("destination_official", ["USA"]))
    assert reverse("demand:import_detail", args=[us_batch.pk]) in official.get(
        reverse("demand:joborder_detail", args=[job.pk])).content.decode()


def test_job_order_list_filters_totals_and_exports(us_batch, client):
    url = reverse("demand:joborders")
    response = client.get(url, {"programme": "H-2B", "fiscal_year": 2019})
    assert response.status_code == 200 and response.context["page"].paginator.count == 4
    assert client.get(url, {"fiscal_year": "abc"}).context["page"].paginator.count == 0
    assert client.get(url, {"subdivision": "not a code"}).context["form"].errors
    assert client.get(url, {"format": "pdf"}).status_code == 400
    export = client.get(url, {"programme": "H-2B", "format": "csv"})
    rows = _streamed(export).splitlines()
    assert rows[0].startswith("id,source,source_key,line,fiscal_year") and len(rows) == 5
    data = client.get(url, {"format": "json", "fiscal_year": 2019}).content
    assert b'"source_file": "H-2B_FY2019_slice.xlsx"' in data


def test_upload_page_offers_only_the_kinds_of_the_officials_countries(reference):
    us = client_for(make_user("destination_official", ["USA"])).get(reverse("demand:import_new"))
    kinds = [value for value, _label in us.context["form"].fields["kind"].choices]
    assert "oflc-h2a" in kinds and "lmia" not in kinds
    ca = client_for(make_user("destination_official", ["CAN"])).get(reverse("demand:import_new"))
    assert [value for value, _label in ca.context["form"].fields["kind"].choices] == ["lmia"]
    admin = client_for(make_user("admin")).get(reverse("demand:import_new"))
    assert len(admin.context["form"].fields["kind"].choices) == 9
    for role, countries in [("origin_official", ["GTM"]), ("analyst", []), ("employer", ["USA"])]:
        assert client_for(make_user(role, countries)).get(reverse("demand:import_new")).status_code == 404
    assert client_for(None).get(reverse("demand:import_new")).status_code == 302


def test_an_official_of_another_country_cannot_import_for_the_united_states(reference, tmp_path):
    path = slice_workbook(real(*H2B, FY19), tmp_path / FY19, first=3)
    client = client_for(make_user("destination_official", ["CAN"]))
    response = client.post(reverse("demand:import_new"), {
        "kind": "oflc-h2b", "file": SimpleUploadedFile(FY19, path.read_bytes())})
    assert response.status_code == 400 and "kind" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_upload_runs_as_a_background_task_and_the_batch_page_shows_the_result(reference, tmp_path, settings,
                                                                            django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = slice_workbook(real(*H2B, FY19), tmp_path / FY19, first=6)
    official = make_user("destination_official", ["USA"])
    client = client_for(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("demand:import_new"), {
            "kind": "oflc-h2b", "file": SimpleUploadedFile(FY19, path.read_bytes())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("demand:import_detail", args=[batch.pk])
    assert (batch.status, batch.rows_created, batch.file_name, batch.created_by) == ("succeeded", 6, FY19, official)
    assert batch.stored_file == "" and not any((settings.VAR_DIR / "uploads" / "demand").iterdir())
    page = client.get(response["Location"]).content.decode()
    assert "oflc-h2b-2019" in page and "FY2019" in page and 'id="count-created">6<' in page


def test_upload_permission_matrix_every_role(reference, tmp_path):
    """Only the destination country's labour officials and administrators can upload a US file: every other
    role (and the Canadian official) neither sees the US kinds nor gets a batch queued by posting one."""
    content = slice_workbook(real(*H2B, FY19), tmp_path / FY19, first=2).read_bytes()
    url = reverse("demand:import_new")
    allowed = {("destination_official", ("USA",)), ("admin", ())}
    expected = {role: role in allowed for role in ROLES}
    PermissionMatrix(obj=None, probes=[
        Probe("form", lambda _: url, marker=lambda _: 'value="oflc-h2b"'),
    ]).check(expected)
    PermissionMatrix(obj=None, allowed_statuses=(302,), probes=[
        Probe("upload", lambda _: url, method="post",
              data=lambda _: {"kind": "oflc-h2b", "file": SimpleUploadedFile(FY19, content)}),
    ]).check(expected)
    # One queued batch per allowed role, none from the others.
    assert sorted(ImportBatch.objects.values_list("created_by__role", "status")) == [
        ("admin", "queued"), ("destination_official", "queued")]


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.7 not a workbook", "se esperaba xlsx / xls"),
    (b"", "vac"),
])
def test_upload_refuses_files_that_are_not_what_the_kind_expects(reference, content, message):
    client = client_for(make_user("destination_official", ["USA"]))
    response = client.post(reverse("demand:import_new"), {
        "kind": "oflc-h2a", "file": SimpleUploadedFile("H-2A_FY2017.xlsx", content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_refuses_a_latin1_csv_for_a_csv_kind(reference):
    client = client_for(make_user("destination_official", ["USA"]))
    content = "case_id,case_number\n1,H-300-1 Peña\n".encode("latin-1")
    response = client.post(reverse("demand:import_new"), {
        "kind": "seasonaljobs-csv", "file": SimpleUploadedFile("jobs.csv", content)})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()


def test_uploads_above_the_cap_are_refused_before_they_are_read(reference, settings):
    settings.TEMPORADA_MAX_UPLOAD_BYTES = 1000
    client = client_for(make_user("destination_official", ["USA"]))
    # The form's own check (for uploads whose size is only known once received)…
    response = client.post(reverse("demand:import_new"), {
        "kind": "oflc-h2a", "file": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 2000)})
    assert response.status_code in (400, 413)
    # …and the request guard, from the declared length, before any parsing.
    response = client.generic("POST", reverse("demand:import_new"), b"x", CONTENT_TYPE="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(1024 ** 3))
    assert response.status_code == 413
    assert not ImportBatch.objects.exists()


def test_a_batch_left_running_by_a_dead_worker_is_recorded_as_failed(us_batch):
    from datetime import timedelta

    from django.utils import timezone

    from temporada.demand.services import fail_interrupted_batches

    dead = ImportBatch.objects.create(kind="oflc-h2a", source="oflc_h2a", country_id="USA", file_name="x.xlsx",
                                      status="running", started_at=timezone.now() - timedelta(hours=7))
    alive = ImportBatch.objects.create(kind="oflc-h2a", source="oflc_h2a", country_id="USA", file_name="y.xlsx",
                                       status="running", started_at=timezone.now() - timedelta(minutes=5))
    assert fail_interrupted_batches() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and dead.error.startswith("Interrupted") and alive.status == "running"
    us_batch.refresh_from_db()
    assert us_batch.status == "succeeded"

"""Bulk upload: every bad input gets its reason, nothing is half-saved, re-uploading is harmless."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from temporada.core.models import AuditEvent
from temporada.supply.importers.workers import columns, upload_workers
from temporada.supply.models import BulkUpload, UploadRejection, Worker

from .conftest import profile_data

pytestmark = pytest.mark.django_db


def row(**overrides):
    data = profile_data(**overrides)
    out = {}
    for column in columns():
        values = data.getlist(column)
        out[column] = ";".join(values) if column.startswith("preferred_") else (values[0] if values else "")
    out["consent_registry"] = "sí" if out["consent_registry"] else ""
    out["consent_matching"] = "sí" if out["consent_matching"] else ""
    return out


def csv_bytes(rows, header=None):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header or columns(), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload(actor, content, mode="all", name="perfiles.csv", country="GTM"):
    return upload_workers(actor=actor, country=country, file_name=name, content=content, mode=mode)


def reasons(result):
    return {(r.row_number, r.column): r.reason for r in result.rejections.all()}


GOOD = [
    {"national_id": "1000000000101", "given_names": "Ana"},
    {"national_id": "1000000000202", "given_names": "Luis", "sex": "M"},
]
BAD = [  # file rows (the header is row 1, GOOD are rows 2 and 3)
    {"national_id": "1000000000303"},                                   # 4 duplicated with row 5
    {"national_id": "1000-00000-0303"},                                 # 5 (same number, other spelling)
    {"national_id": "1000000000404", "birth_date": "1990-02-31"},       # 6 impossible date
    {"national_id": "1000000000505", "isco_1": "9999"},                 # 7 unknown ISCO code
    {"national_id": "0801199012345", "nationality": "HND", "residence_subdivision": "HN-CR"},  # 8 another country
    {"national_id": "2000000000101"},                                   # 9 already in the registry
]


@pytest.fixture
def existing(make_worker):
    return make_worker(national_id="2000000000101")


def test_all_or_nothing_saves_nothing_and_reports_every_bad_row(gt_official, existing):
    before = Worker.objects.count()
    result = upload(gt_official, csv_bytes([row(**r) for r in GOOD + BAD]))
    assert result.status == BulkUpload.Status.REJECTED
    assert (result.rows_total, result.rows_created, result.rows_rejected) == (8, 0, 6)
    assert Worker.objects.count() == before
    found = reasons(result)
    assert "fila 5" in found[(4, "national_id")] and "fila 4" in found[(5, "national_id")]
    assert (6, "birth_date") in found
    assert "9999" in found[(7, "isco_1")]
    assert "otro país" in found[(8, "nationality")]
    assert "Ya hay un perfil" in found[(9, "national_id")]
    assert {number for number, _column in found} == {4, 5, 6, 7, 8, 9}  # the good rows are not blamed
    event = AuditEvent.objects.get(type=AuditEvent.Type.WORKER_BULK_UPLOADED)
    assert event.details["created"] == 0 and event.details["rejected"] == 6


def test_valid_rows_mode_saves_only_the_good_rows(gt_official, existing):
    result = upload(gt_official, csv_bytes([row(**r) for r in GOOD + BAD]), mode="valid")
    assert result.status == BulkUpload.Status.PARTIAL
    assert (result.rows_created, result.rows_rejected) == (2, 6)
    saved = Worker.objects.filter(upload=result)
    assert sorted(saved.values_list("given_names", flat=True)) == ["Ana", "Luis"]
    assert all(w.origin == Worker.Origin.UPLOAD and w.status == Worker.Status.REGISTERED for w in saved)
    assert all(w.consents.filter(method="upload").exists() for w in saved)


def test_clean_file_is_saved_and_uploading_it_again_creates_nothing(gt_official, origins):
    content = csv_bytes([row(**r) for r in GOOD])
    first = upload(gt_official, content)
    assert first.status == BulkUpload.Status.SAVED and first.rows_created == 2
    second = upload(gt_official, content, mode="valid")
    assert second.rows_created == 0 and second.rows_rejected == 2
    assert Worker.objects.count() == 2


def test_xlsx_with_numbers_and_dates_as_excel_stores_them(gt_official, origins):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns())
    values = row(national_id="1000000000707")
    cells = []
    for column in columns():
        value = values[column]
        if column == "national_id":
            value = 1000000000707  # Excel turned the id into a number
        elif column == "birth_date":
            from datetime import datetime
            value = datetime(1994, 5, 17)
        cells.append(value)
    sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = upload(gt_official, buffer.getvalue(), name="perfiles.xlsx")
    assert result.status == BulkUpload.Status.SAVED, reasons(result)
    worker = Worker.objects.get(upload=result)
    assert worker.national_id_last4 == "0707" and str(worker.birth_date) == "1994-05-17"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("perfiles.pdf", b"%PDF-1.4", "Tipo de archivo"),
    ("perfiles.csv", "given_names\nÁna".encode("latin-1"), "UTF-8"),
    ("perfiles.csv", b"", "vac"),
    ("perfiles.xlsx", b"not a zip", "XLSX"),
    ("perfiles.csv", b"given_names,family_names,apodo\nAna,Lopez,Anita\n", "desconocidas"),
    ("perfiles.csv", b"given_names,family_names\nAna,Lopez\n", "obligatorias"),
])
def test_unreadable_files_are_rejected_whole_with_a_reason(gt_official, origins, name, content, message):
    result = upload(gt_official, content, name=name)
    assert result.status == BulkUpload.Status.REJECTED and result.rows_created == 0
    assert message in result.error
    assert not Worker.objects.exists()


def test_official_cannot_upload_for_another_country(hn_official, origins):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(hn_official, csv_bytes([row(**GOOD[0])]), country="GTM")
    assert not BulkUpload.objects.exists()


def test_rejections_keep_no_cell_values(gt_official, origins):
    result = upload(gt_official, csv_bytes([row(national_id="1000000000303", birth_date="1990-02-31")]))
    stored = " ".join(UploadRejection.objects.filter(upload=result).values_list("reason", flat=True))
    assert "1000000000303" not in stored and "López" not in stored


def test_template_download_is_accepted_back(gt_official, origins):
    from temporada.core.testing import client_for

    client = client_for(gt_official)
    response = client.get("/es/supply/upload/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == columns()
    csv_template = b"".join(client.get("/es/supply/upload/template.csv").streaming_content).decode("utf-8-sig")
    assert csv_template.strip().split(",") == columns()

"""The registry pages as an official and a worker use them (forms, list, profile, queue, consent)."""

import pytest
from django.urls import reverse

from temporada.core.models import AuditEvent
from temporada.core.testing import client_for, make_user
from temporada.supply.models import Worker

from .conftest import profile_data, tiny_distributions

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    data = profile_data(**overrides)
    return {k: data.getlist(k) if k.startswith("preferred_") else data[k] for k in data}


def test_official_registers_a_worker_through_the_form(gt_official):
    client = client_for(gt_official)
    page = client.get(reverse("supply:create"))
    assert page.status_code == 200 and "Registrar un perfil" in page.content.decode()
    response = client.post(reverse("supply:create"), post_data(documents_verified="on",
                                                               preferred_destinations=["USA", "CAN"]))
    worker = Worker.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supply:detail", args=[worker.pk])
    assert set(worker.preferred_destinations.values_list("iso3", flat=True)) == {"USA", "CAN"}
    detail = client.get(response["Location"]).content.decode()
    assert "Ana María" in detail and "···0101" in detail and "2567812340101" not in detail
    assert AuditEvent.objects.filter(type=AuditEvent.Type.WORKER_VIEWED, object_id=str(worker.pk)).exists()


def test_invalid_form_shows_errors_and_saves_nothing(gt_official):
    response = client_for(gt_official).post(reverse("supply:create"), post_data(birth_date="1994-02-30", isco_1="9999"))
    body = response.content.decode()
    assert response.status_code == 200 and "no se guardó" in body and "9999" in body
    assert not Worker.objects.exists()


def test_reveal_shows_the_number_once_and_audits(gt_official, make_worker):
    worker = make_worker(national_id="2567812340101")
    client = client_for(gt_official)
    assert client.get(reverse("supply:reveal", args=[worker.pk])).status_code == 405
    body = client.post(reverse("supply:reveal", args=[worker.pk])).content.decode()
    assert "2567812340101" in body
    assert AuditEvent.objects.filter(type=AuditEvent.Type.PROTECTED_READ, object_id=str(worker.pk)).count() == 1


def test_registry_list_filters_badges_and_export(gt_official, make_worker):
    from temporada.supply import synthetic

    make_worker(given_names="Real", isco_1="9211")
    make_worker(given_names="Otra", isco_1="6111", isco_2="", years_2="")
    synthetic.generate(count=3, seed=1, dist=tiny_distributions())
    client = client_for(gt_official)
    body = client.get(reverse("supply:list")).content.decode()
    assert "5 perfiles" in body and "SINTÉTICO" in body
    body = client.get(reverse("supply:list"), {"occupation": "92", "synthetic": "real"}).content.decode()
    assert "Real" in body and "Otra" not in body
    assert client.get(reverse("supply:list"), {"available_in": "2027-13"}).status_code == 200
    export = b"".join(client.get(reverse("supply:list"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    lines = export.strip().splitlines()
    assert len(lines) == 6 and sum("SINTÉTICO" in line for line in lines) == 3
    assert "2567812340101" not in export
    assert AuditEvent.objects.filter(type=AuditEvent.Type.EXPORT, details__rows=5).exists()
    assert client.get(reverse("supply:list"), {"format": "pdf"}).status_code == 400


def test_export_neutralises_formulas(gt_official, make_worker):
    make_worker(given_names="=HYPERLINK(\"http://x\")", family_names="+SUM(A1)")
    export = b"".join(client_for(gt_official).get(reverse("supply:list"), {"format": "csv"}).streaming_content)
    text = export.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+SUM" in text


def test_withdrawn_profiles_leave_the_list_but_remain_as_legal_record(gt_official, make_worker):
    worker = make_worker(given_names="Retirada")
    client = client_for(gt_official)
    response = client.post(reverse("supply:consent", args=[worker.pk]), {"purpose": "registry", "reason": "ya no"})
    assert response.status_code == 302
    assert "Retirada" not in client.get(reverse("supply:list")).content.decode()
    assert "Retirada" in client.get(reverse("supply:list"), {"consent": "withdrawn"}).content.decode()
    assert "constancia legal" in client.get(reverse("supply:detail", args=[worker.pk])).content.decode()


def test_verification_queue(gt_official, make_worker):
    pending = make_worker(verified=False, given_names="Pendiente")
    client = client_for(gt_official)
    assert "Pendiente" in client.get(reverse("supply:queue")).content.decode()
    client.post(reverse("supply:verify", args=[pending.pk]), {"next": "queue"})
    pending.refresh_from_db()
    assert pending.status == Worker.Status.VERIFIED
    assert "Pendiente" not in client.get(reverse("supply:queue")).content.decode()


def test_self_registration_page_then_official_verifies(gt_official, origins):
    from django.test import Client

    client = Client()
    data = post_data(username="juan.perez", password1="milpa-Cosecha-2026!", password2="milpa-Cosecha-2026!",
                     given_names="Juan", sex="M")
    response = client.post(reverse("supply:register"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    worker = Worker.objects.get()
    assert worker.status == Worker.Status.PENDING and worker.account.username == "juan.perez"
    me = client.get(reverse("supply:me"))  # the worker is signed in and sees their own profile
    assert me.status_code == 302 and me["Location"] == reverse("supply:detail", args=[worker.pk])
    assert "Juan" in client.get(reverse("supply:detail", args=[worker.pk])).content.decode()
    assert "Juan" in client_for(gt_official).get(reverse("supply:queue")).content.decode()


def test_self_registration_bad_password_and_duplicate_username(origins):
    from django.test import Client

    make_user("worker", username="taken")
    response = Client().post(reverse("supply:register"), post_data(username="taken", password1="short",
                                                                   password2="other"))
    body = response.content.decode()
    assert response.status_code == 200 and "ya existe" in body and "no coinciden" in body
    assert not Worker.objects.exists()


def test_bulk_upload_page_flow(gt_official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_upload import GOOD, csv_bytes, row

    client = client_for(gt_official)
    assert client.get(reverse("supply:upload")).status_code == 200
    file = SimpleUploadedFile("perfiles.csv", csv_bytes([row(**r) for r in GOOD]), content_type="text/csv")
    response = client.post(reverse("supply:upload"), {"file": file, "mode": "all", "country": "GTM"})
    assert response.status_code == 302
    report = client.get(response["Location"]).content.decode()
    assert "Guardada completa" in report and Worker.objects.count() == 2


def test_pages_in_english_and_french(gt_official, make_worker):
    worker = make_worker()
    client = client_for(gt_official)
    for lang in ("en", "fr"):
        for url in (f"/{lang}/supply/", f"/{lang}/supply/{worker.pk}/", f"/{lang}/supply/new/",
                    f"/{lang}/supply/upload/", f"/{lang}/supply/gap/", f"/{lang}/supply/indicators/"):
            assert client.get(url).status_code == 200, url

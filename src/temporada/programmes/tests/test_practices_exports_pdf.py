import csv
import io
import json
import shutil
import subprocess

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation

from temporada.core.testing import client_for, make_user
from temporada.programmes.models import BestPractice
from temporada.programmes.study import ExternalResourceRefused, local_only_fetcher

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> Buena práctica'


def submit(client, **overrides):
    data = {"country": "GTM", "topic": "documentation", "language": "es", "title": "Ventanilla única",
            "text": HOSTILE, "evidence": "", "evidence_url": ""}
    data.update(overrides)
    return client.post(reverse("programmes:practice_submit"), data)


def test_hostile_best_practice_is_stored_as_text_and_rendered_escaped(catalogue):
    official = make_user("origin_official", ("GTM",))
    response = submit(client_for(official))
    assert response.status_code == 302
    practice = BestPractice.objects.get()
    assert practice.state == "draft" and practice.text.startswith("<script>")  # stored as typed, plain text
    from temporada.core.models import AuditEvent

    assert AuditEvent.objects.filter(type="practice.submitted", object_id=str(practice.pk)).exists()
    assert "<script>" not in Client().get(reverse("programmes:practices")).content.decode()  # not public yet
    reviewer = make_user("analyst", is_content_reviewer=True)
    assert client_for(reviewer).post(reverse("programmes:practice_review", args=[practice.pk]),
                                     {"decision": "publish"}).status_code == 302
    body = Client().get(reverse("programmes:practices")).content.decode()
    assert "&lt;script&gt;" in body and "<script>alert" not in body and "<img src=x" not in body
    exported = Client().get(reverse("programmes:practices") + "?format=json")
    assert json.loads(exported.content)[0]["text"].startswith("<script>")


def test_too_long_or_foreign_country_submissions_are_refused(catalogue):
    official = make_user("origin_official", ("GTM",))
    response = submit(client_for(official), text="x" * (BestPractice.TEXT_MAX + 1))
    assert response.status_code == 200 and response.context["form"].errors
    response = submit(client_for(official), country="HND")
    assert response.status_code == 200 and "country" in response.context["form"].errors
    response = submit(client_for(official), language="de")
    assert response.status_code == 200 and "language" in response.context["form"].errors
    response = submit(client_for(official), evidence_url="javascript:alert(1)")
    assert response.status_code == 200 and "evidence_url" in response.context["form"].errors
    response = submit(client_for(official), title="t" * (BestPractice.TITLE_MAX + 1))
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert not BestPractice.objects.exists()
    assert client_for(make_user("worker", ())).get(reverse("programmes:practice_submit")).status_code == 404
    assert Client().get(reverse("programmes:practice_submit")).status_code == 302


def test_only_reviewers_review(catalogue):
    official = make_user("origin_official", ("GTM",))
    submit(client_for(official))
    practice = BestPractice.objects.get()
    url = reverse("programmes:practice_review", args=[practice.pk])
    assert client_for(official).post(url, {"decision": "publish"}).status_code == 404
    practice.refresh_from_db()
    assert practice.state == "draft"


def test_csv_and_json_exports_parse(catalogue):
    client = Client()
    response = client.get(reverse("programmes:list"), {"format": "csv", "origin": "HND"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"us-h2a", "hn-ptte"} <= {r["slug"] for r in rows}
    for name in ("programmes:instruments", "programmes:procedures", "programmes:practices"):
        data = json.loads(client.get(reverse(name), {"format": "json"}).content)
        assert isinstance(data, list)
    instruments = json.loads(client.get(reverse("programmes:instruments"), {"format": "json"}).content)
    assert len(instruments) >= 10


def test_api_pagination_and_filters(catalogue):
    client = Client()
    page = client.get("/api/v1/programmes/programmes", {"limit": 2, "offset": 0}).json()
    assert page["count"] >= 12 and len(page["items"]) == 2
    assert client.get("/api/v1/programmes/programmes", {"origin": "ZZZ"}).status_code == 422
    found = {p["slug"] for p in client.get("/api/v1/programmes/programmes",
                                            {"origin": "HND", "sector": "agriculture", "limit": 50}).json()["items"]}
    assert "us-h2a" in found and "ca-sawp" not in found
    assert client.get("/api/v1/programmes/programmes/does-not-exist").status_code == 404
    detail = client.get("/api/v1/programmes/instruments/ca4-2006").json()
    assert detail["modality"] == "regional_free_mobility" and len(detail["parties"]) == 4


def test_pdf_fetcher_refuses_every_url():
    # the PDF renderer must never fetch anything: another origin (a reserved example domain), a local file, the host
    for url in ("https://example.org/font.woff", "file:///etc/passwd", "http://127.0.0.1/x.png"):
        with pytest.raises(ExternalResourceRefused):
            local_only_fetcher(url)


def test_pdf_study_in_french(catalogue):
    with translation.override("fr"):
        url = reverse("programmes:study_pdf")
    assert url.startswith("/fr/")
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 20_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
        flat = " ".join(text.split())
        assert "Programmes de travailleurs temporaires et leurs cadres juridiques" in flat
        assert "H-2A" in flat and "Sources" in flat


@pytest.mark.parametrize("lang,title,origin_label", [
    ("es", "Programas de trabajadores temporales y sus marcos jurídicos", "Como país de origen:"),
    ("en", "Temporary worker programmes and their legal frameworks", "As origin country:"),
    ("fr", "Programmes de travailleurs temporaires et leurs cadres juridiques", "Comme pays d'origine :"),
])
def test_study_has_its_sections_in_each_language(catalogue, rf, lang, title, origin_label):
    from temporada.programmes.models import Programme
    from temporada.programmes.study import render_study_html

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override(lang):
        html = render_study_html(request)
    assert title in html and origin_label in html
    assert html.count('<section class="programme">') == Programme.objects.filter(state="published").count()
    # Sources list: instrument parties (UN Treaty Collection) and procedure steps (Honduran call) are cited.
    sources = html.split("5. ", 1)[1] if lang == "es" else html
    assert "treaties.un.org" in sources and "elheraldo.hn" in sources
    assert "1991-05-22" in html  # Mexico's signature of the ICMW


def test_public_study_is_cached_until_the_catalogue_changes(catalogue, monkeypatch):
    from temporada.programmes import study
    from temporada.programmes.models import Programme

    calls = []
    monkeypatch.setattr(study, "render_study_pdf", lambda request: calls.append(request.user) or b"%PDF-fake")
    client = Client()
    url = reverse("programmes:study_pdf")
    assert client.get(url).content == b"%PDF-fake" and client.get(url).content == b"%PDF-fake"
    assert len(calls) == 1
    Programme.objects.filter(slug="us-h2a").first().save()  # any change of the catalogue
    client.get(url)
    assert len(calls) == 2
    reviewer = client_for(make_user("analyst", is_content_reviewer=True))
    reviewer.get(url)
    reviewer.get(url)
    assert len(calls) == 4  # signed-in users may see drafts: never shared through the cache

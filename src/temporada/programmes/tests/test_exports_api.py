"""Exports of every list (CSV/JSON), the comparison as data, API detail endpoints, and drafts never leaking."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from temporada.core.testing import client_for, make_user
from temporada.programmes.models import BestPractice, Procedure, Programme

pytestmark = pytest.mark.django_db


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_programme_export_has_every_attribute_and_each_fact_source(catalogue):
    rows = {r["slug"]: r for r in csv_rows(Client().get(reverse("programmes:list"), {"format": "csv"}))}
    h2a = rows["us-h2a"]
    assert h2a["wage_rule"].startswith("El empleador") and "dol.gov" in h2a["wage_rule_source"]
    assert h2a["wage_rule_checked_on"] and h2a["eligible_list_partial"] == "true"
    assert h2a["insurance"] == "" and h2a["insurance_source"] == ""  # not verified: empty, no source
    assert int(h2a["facts_verified"]) + int(h2a["facts_not_verified"]) == len(Programme.FACT_FIELDS)


def test_instrument_export_has_signature_and_ratification_dates(catalogue):
    data = json.loads(Client().get(reverse("programmes:instruments"), {"format": "json"}).content)
    icmw = next(i for i in data if i["slug"] == "un-icmw-1990")
    assert "MEX signature=1991-05-22 ratification=1999-03-08 (ratification)" in icmw["parties"]
    assert "HND signature= ratification=2005-08-09 (accession)" in icmw["parties"]
    assert "treaties.un.org" in icmw["parties_source"]


def test_comparison_export_and_api(catalogue):
    client = Client()
    rows = csv_rows(client.get(reverse("programmes:compare"), {"p": ["us-h2a", "ca-sawp"], "format": "csv"}))
    by_field = {r["attribute"]: r for r in rows}
    assert by_field["max_stay_months"]["us-h2a"] == "36 meses" and by_field["max_stay_months"]["ca-sawp"] == "8 meses"
    assert by_field["insurance"]["us-h2a"] == "" and by_field["insurance"]["ca-sawp_source"]
    api = client.get("/api/v1/programmes/compare", {"p": ["us-h2a", "ca-sawp"]}).json()
    assert api["programmes"] == ["us-h2a", "ca-sawp"]
    wage = next(r for r in api["rows"] if r["field"] == "wage_rule")
    assert wage["values"][0]["verified"] and not wage["values"][1]["verified"]
    for bad in ([], ["us-h2a"], ["us-h2a"] * 2, ["us-h2a", "ca-sawp", "us-h2b", "mx-ptat", "gt-ptte"]):
        assert client.get("/api/v1/programmes/compare", {"p": bad}).status_code == 422, bad
    assert client.get("/api/v1/programmes/compare", {"p": ["us-h2a", "nope"]}).status_code == 404


def test_compare_page_names_the_unknown_ids_with_a_404(catalogue):
    response = Client().get(reverse("programmes:compare"), {"p": ["us-h2a", "<script>x</script>"]})
    assert response.status_code == 404
    body = response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>x</script>" not in body
    assert response.context["selected"] == ["us-h2a"]


def test_instrument_and_other_api_filters_validate(catalogue):
    client = Client()
    assert client.get("/api/v1/programmes/instruments", {"modality": "galactic"}).status_code == 422
    assert client.get("/api/v1/programmes/instruments", {"country": "XX"}).status_code == 422
    assert client.get("/api/v1/programmes/instruments", {"kind": "treaty"}).status_code == 422
    found = client.get("/api/v1/programmes/instruments", {"country": "gtm", "limit": 50}).json()["items"]
    assert "un-icmw-1990" in {i["slug"] for i in found}
    party = next(p for i in found if i["slug"] == "un-icmw-1990" for p in i["parties"] if p["country"] == "GTM")
    assert party["signature_date"] == "2000-09-07" and party["ratification_kind"] == "ratification"
    assert client.get("/api/v1/programmes/procedures", {"origin": "QQQ"}).status_code == 422


def test_procedure_and_practice_detail_endpoints_hide_drafts(catalogue):
    procedure = Procedure.objects.get(programme__slug="hn-ptte", origin_id="HND")
    client = Client()
    body = client.get(f"/api/v1/programmes/procedures/{procedure.pk}").json()
    assert body["origin"] == "HND" and body["steps"][0]["source_url"]
    procedure.state = "draft"
    procedure.save()
    assert client.get(f"/api/v1/programmes/procedures/{procedure.pk}").status_code == 404
    assert client.get("/api/v1/programmes/procedures/999999").status_code == 404
    editor = client_for(make_user("origin_official", ("HND",)))
    assert editor.get(f"/api/v1/programmes/procedures/{procedure.pk}").status_code == 200
    practice = BestPractice.objects.create(country_id="GTM", topic="documentation", title="t", text="x", state="draft")
    assert client.get(f"/api/v1/programmes/best-practices/{practice.pk}").status_code == 404
    practice.state = "published"
    practice.save()
    assert client.get(f"/api/v1/programmes/best-practices/{practice.pk}").json()["title"] == "t"


def test_draft_programme_is_not_named_by_instruments_or_practices(draft_programme):
    practice = BestPractice.objects.create(country_id="USA", topic="documentation", title="t", text="x",
                                           state="published", programme=draft_programme)
    client = Client()
    page = client.get(reverse("programmes:instrument_detail", args=["us-20cfr655"])).content.decode()
    assert draft_programme.name_es not in page and "/programmes/us-h2a/" not in page
    assert "/programmes/us-h2b/" in page  # the published one is still named
    exported = json.loads(client.get(reverse("programmes:instruments"), {"format": "json"}).content)
    assert all("us-h2a" not in i["programmes"].split() for i in exported)
    assert json.loads(client.get(reverse("programmes:practices"), {"format": "json"}).content)[0]["programme"] == ""
    assert client.get(f"/api/v1/programmes/best-practices/{practice.pk}").json()["programme"] is None


def test_timeline_lists_undated_instruments_as_not_verified(catalogue):
    response = Client().get(reverse("programmes:timeline"))
    assert {i.slug for i in response.context["undated"]} >= {"us-20cfr655", "hn-us-h2-notes"}
    years = [i.year for i in response.context["instruments"]]
    assert years == sorted(years) and years[0] == 1949

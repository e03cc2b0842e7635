"""`/api/v1/demand/` job orders and import batches: documented shapes, filters, 422 on bad parameters,
404 for what is hidden or missing."""

import pytest

from temporada.api import api
from temporada.core.testing import client_for, make_user
from temporada.demand.models import JobOrder

from .conftest import H2A, real, slice_workbook

pytestmark = pytest.mark.django_db
FY22 = "H-2A_Disclosure_Data_FY2022_Q1.xlsx"


@pytest.fixture
def fy22(reference, run, tmp_path):
    return run("oflc-h2a", slice_workbook(real(*H2A, FY22), tmp_path / FY22, first=12))


def test_schema_documents_the_demand_operations():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    paths = document["paths"]
    for path in ("/api/v1/demand/job-orders", "/api/v1/demand/job-orders/{job_order_id}", "/api/v1/demand/imports",
                 "/api/v1/demand/imports/{batch_id}", "/api/v1/demand/imports/{batch_id}/rejected"):
        assert "get" in paths[path], path
    names = {p["name"] for p in paths["/api/v1/demand/job-orders"]["get"]["parameters"]}
    assert {"programme", "fiscal_year", "subdivision", "occupation", "employer", "limit", "offset"} <= names


def test_job_orders_filter_and_paginate(fy22, client):
    response = client.get("/api/v1/demand/job-orders", {"fiscal_year": 2022, "programme": "H-2A", "limit": 5})
    data = response.json()
    assert response.status_code == 200 and data["count"] == 12 and len(data["items"]) == 5
    item = data["items"][0]
    assert item["country"] == "USA" and item["occupation_system"] == "ONETSOC" and item["wage_currency"] == "USD"
    second = client.get("/api/v1/demand/job-orders", {"fiscal_year": 2022, "limit": 5, "offset": 5}).json()
    assert not {i["id"] for i in data["items"]} & {i["id"] for i in second["items"]}
    state = JobOrder.objects.exclude(worksite_subdivision=None).first().worksite_subdivision_id
    by_state = client.get("/api/v1/demand/job-orders", {"subdivision": state}).json()
    assert by_state["count"] == JobOrder.objects.filter(worksite_subdivision_id=state).count()
    code = JobOrder.objects.first().occupation_code[:5]
    assert client.get("/api/v1/demand/job-orders", {"occupation": code}).json()["count"] == JobOrder.objects.filter(
        occupation_code__startswith=code).count()
    name = JobOrder.objects.first().employer_name.split()[0]
    assert client.get("/api/v1/demand/job-orders", {"employer": name.lower()}).json()["count"] >= 1


@pytest.mark.parametrize("params", [
    {"fiscal_year": "abc"}, {"fiscal_year": 1800}, {"programme": "H-9Z"}, {"subdivision": "North Carolina"},
    {"occupation": "45 2092; drop"}, {"source": "nowhere"}, {"limit": -1},
])
def test_bad_parameters_answer_422(fy22, client, params):
    response = client.get("/api/v1/demand/job-orders", params)
    assert response.status_code == 422, params
    assert response.json()["detail"]


def test_job_order_detail_with_provenance_and_children(fy22, client):
    job = JobOrder.objects.filter(housing__isnull=False).first()
    data = client.get(f"/api/v1/demand/job-orders/{job.pk}").json()
    assert (data["source_file"], data["source_row"], data["batch_id"]) == (FY22, job.source_row, fy22.pk)
    assert data["housing"] and data["housing"][0]["source_file"] == FY22
    assert data["worksites"] == [] and data["crops"] == []
    assert client.get("/api/v1/demand/job-orders/999999").status_code == 404
    assert client.get("/api/v1/demand/job-orders/abc").status_code == 422


def test_import_batches_are_scoped(fy22):
    official = client_for(make_user("destination_official", ["USA"]))
    data = official.get(f"/api/v1/demand/imports/{fy22.pk}").json()
    assert (data["status"], data["layout"], data["period_label"], data["rows_created"]) == (
        "succeeded", "oflc-h2a-9142a-2020", "FY2022 Q1", 12)
    assert data["is_partial_period"] is True and data["rows_done"] == data["rows_total"] == 12
    other = client_for(make_user("destination_official", ["CAN"]))
    assert other.get(f"/api/v1/demand/imports/{fy22.pk}").status_code == 404
    assert other.get("/api/v1/demand/imports").json()["count"] == 0
    assert client_for(None).get(f"/api/v1/demand/imports/{fy22.pk}").status_code == 404

"""`/api/v1/matching/`: the same forms and services as the pages (422 with the forms' messages), CSRF on writes,
and the OpenAPI schema as a contract (generated requests never fail and answers match the schema)."""

import pytest
from django.test import Client

from temporada.core.testing import client_for, make_user
from temporada.matching import services
from temporada.matching.models import MatchRun

from .conftest import shortlist_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(h2a_orders):
    return h2a_orders.filter(occupation_code="45-2092").first()


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_shortlist_decide_and_release_through_the_api(order, gt_official, make_worker):
    worker = make_worker(isco_1=order.isco_code, family_names="Xoquic Tzunun")
    api = client_for(gt_official)
    response = _post(api, "/api/v1/matching/shortlists", {"job_order": order.pk, "top": 5,
                                                             "plan_next_season": True})
    assert response.status_code == 201, response.content
    run = response.json()
    assert (run["status"], run["is_projection"], run["proposal_count"]) == ("done", True, 1)
    assert run["projection"].startswith("PROYECCIÓN") and run["funnel"][0]["stage"] == "workers"
    proposals = api.get(f"/api/v1/matching/runs/{run['id']}/proposals").json()["items"]
    assert proposals[0]["identity"]["family_names"] == "Xoquic Tzunun" and proposals[0]["identity"]["worker_id"] == worker.pk
    assert "mismo grupo primario" in proposals[0]["explanation"]
    assert set(proposals[0]["factors"]) == {"occupation", "experience", "participation", "language", "preference"}
    pid = proposals[0]["id"]
    assert _post(api, f"/api/v1/matching/proposals/{pid}/decide", {"decision": "reject"}).status_code == 422
    decided = _post(api, f"/api/v1/matching/proposals/{pid}/decide", {"decision": "accept"})
    assert decided.status_code == 200 and decided.json()["state"] == "accepted"
    assert _post(api, f"/api/v1/matching/runs/{run['id']}/release", {}).json() == {"released": 1}
    again = _post(api, f"/api/v1/matching/runs/{run['id']}/release", {})
    assert again.status_code == 422 and again.json()["detail"]
    us = client_for(make_user("destination_official", ["USA"]))
    seen = us.get(f"/api/v1/matching/proposals/{pid}").json()
    assert seen["identity"]["family_names"] == "Xoquic Tzunun" and seen["identity"]["sex"] is None
    withdrawn = _post(api, f"/api/v1/matching/proposals/{pid}/withdraw", {"reason": "No viaja"})
    assert withdrawn.json()["state"] == "withdrawn"
    assert us.get(f"/api/v1/matching/proposals/{pid}").json()["identity"] is None


@pytest.mark.parametrize(("payload", "field"), [
    ({"top": 0}, "top"),
    ({"top": 10, "isco_code": "99"}, "isco_code"),
    ({"top": 10, "min_age": 60, "max_age": 20}, "max_age"),
    ({"top": 10, "sexes": ["Z"]}, "sexes"),
    ({"top": 10, "required_languages": ["xx"]}, "required_languages"),
    ({"top": 10, "origin": "MEX"}, "origin"),
])
def test_bad_shortlist_parameters_answer_422_with_the_field(order, gt_official, payload, field):
    response = _post(client_for(gt_official), "/api/v1/matching/shortlists",
                     {"job_order": order.pk, "plan_next_season": True, **payload})
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not MatchRun.objects.exists()


def test_refusals_and_type_errors_are_422_too(order, gt_official):
    api = client_for(gt_official)
    refused = _post(api, "/api/v1/matching/shortlists", {"job_order": order.pk})
    assert refused.status_code == 422 and "próxima temporada" in refused.json()["detail"]
    assert _post(api, "/api/v1/matching/shortlists", {"job_order": "x"}).status_code == 422
    assert _post(api, "/api/v1/matching/shortlists", {"job_order": order.pk, "population": "all"}).status_code == 422
    assert _post(api, "/api/v1/matching/shortlists", {"job_order": 10**9}).status_code == 404
    season = _post(api, "/api/v1/matching/season-runs", {"window_from": "2017-01-01", "window_to": "2019-01-01"})
    assert season.status_code == 422 and "window_to" in season.json()["errors"]


def test_season_through_the_api(order, gt_official, make_worker, immediate_tasks, django_capture_on_commit_callbacks):
    make_worker(isco_1=order.isco_code)
    api = client_for(gt_official)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, "/api/v1/matching/season-runs", {
            "window_from": order.begin_date.isoformat(), "window_to": order.begin_date.replace(month=12, day=31).isoformat(),
            "programme": "H-2A"})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    run = api.get(f"/api/v1/matching/runs/{response.json()['id']}").json()
    assert run["status"] in ("done", "empty") and run["progress"] == 100


def test_writes_need_a_session_and_the_csrf_token(order, gt_official, make_worker):
    make_worker(isco_1=order.isco_code)
    anonymous = _post(Client(), "/api/v1/matching/shortlists", {"job_order": order.pk})
    assert anonymous.status_code == 401
    strict = client_for(gt_official)
    strict.handler.enforce_csrf_checks = True
    forged = _post(strict, "/api/v1/matching/shortlists", {"job_order": order.pk, "plan_next_season": True})
    assert forged.status_code == 403 and not MatchRun.objects.exists()


def test_lists_are_empty_outside_scope(order, gt_official, make_worker):
    make_worker(isco_1=order.isco_code)
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert client_for(gt_official).get("/api/v1/matching/runs").json()["count"] == 1
    for user in (make_user("origin_official", ["HND"]), make_user("destination_official", ["USA"]), None):
        client = client_for(user)
        assert client.get("/api/v1/matching/runs").json()["count"] == 0
        assert client.get(f"/api/v1/matching/runs/{run.pk}/proposals").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_generated_requests_never_fail(reference_countries):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from temporada.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
        method="GET", path_regex="^/api/v1/matching/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5

    @given(data=st.data())
    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(data):
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    run()

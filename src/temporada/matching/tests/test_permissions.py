"""Who sees what, for every role, through pages, exports and the API (forbidden = 404): origin officials see
their own country's runs with names; destination officials see candidates accepted for their country's orders,
pseudonymous until released; analysts only aggregate counts; everyone else nothing."""

import pytest
from django.urls import reverse

from temporada.core.models import AuditEvent
from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user
from temporada.matching import services

from .conftest import shortlist_params

pytestmark = pytest.mark.django_db

OUTSIDERS = {
    ("origin_official", ("HND",)): False,  # another country's official gets nothing
    ("origin_official", ()): False,
    ("destination_official", ("CAN",)): False,  # not their job order
    ("consular", ("GTM",)): False,
    ("analyst", ("GTM", "USA")): False,  # aggregates only
    ("employer", ("USA",)): False,
    ("worker", ("GTM",)): False,
    ("public", ()): False,
}


@pytest.fixture
def run(h2a_orders, gt_official, make_worker):
    order = h2a_orders.filter(occupation_code="45-2092").first()
    make_worker(isco_1=order.isco_code, family_names="Xoquic Tzunun", years_1="5")
    make_worker(isco_1=order.isco_code, family_names="Batz Cojtí", years_1="2")
    return services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())


def _probes(marker):
    return [
        Probe("page", lambda r: reverse("matching:run", args=[r.pk]), marker=marker),
        Probe("export", lambda r: reverse("matching:run_export", args=[r.pk]) + "?format=json", marker=marker),
        Probe("api-run", lambda r: f"/api/v1/matching/runs/{r.pk}"),
        Probe("api-proposals", lambda r: f"/api/v1/matching/runs/{r.pk}/proposals", marker=marker),
        Probe("api-proposal", lambda r: f"/api/v1/matching/proposals/{r.proposals.get(rank=1).pk}", marker=marker),
        Probe("runs-list", lambda r: reverse("matching:runs"), marker=lambda r: reverse("matching:run", args=[r.pk])),
        Probe("api-runs", lambda r: "/api/v1/matching/runs", marker=lambda r: f'"id": {r.pk}'),
    ]


def _name(run):
    return run.proposals.get(rank=1).worker.family_names


def _pseudonym(run):
    return run.proposals.get(rank=1).pseudonym


def test_proposed_candidates_are_seen_only_by_the_origin_country(run):
    PermissionMatrix(obj=run, probes=_probes(_name)).check({
        ("origin_official", ("GTM",)): True,
        ("admin", ()): True,
        ("destination_official", ("USA",)): False,  # nothing accepted yet: nothing to see
        **OUTSIDERS,
    })


def test_accepted_candidates_are_pseudonymous_for_the_destination_country(run, gt_official):
    services.decide_proposal(actor=gt_official, proposal=run.proposals.get(rank=1), decision="accept")
    PermissionMatrix(obj=run, probes=_probes(_pseudonym)).check({
        ("destination_official", ("USA",)): True, ("origin_official", ("GTM",)): True, **OUTSIDERS})
    named = [probe for probe in _probes(_name) if probe.name in ("page", "export", "api-proposals", "api-proposal")]
    PermissionMatrix(obj=run, probes=named).check({
        ("destination_official", ("USA",)): False,  # 200, but no name, birth date or id
        ("origin_official", ("GTM",)): True,
    })
    us = client_for(make_user("destination_official", ["USA"]))
    data = us.get(f"/api/v1/matching/runs/{run.pk}/proposals").json()["items"]
    assert [item["identity"] for item in data] == [None]  # the proposed (not accepted) one is not listed at all
    detail = us.get(f"/api/v1/matching/runs/{run.pk}").json()
    assert detail["funnel"] is None and detail["stats"] is None and detail["parameters"] is None
    page = us.get(reverse("matching:run", args=[run.pk])).content.decode()
    worker = run.proposals.get(rank=1).worker
    for secret in (worker.family_names, worker.given_names, worker.birth_date.isoformat(), f"/supply/{worker.pk}/",
                   run.proposals.get(rank=2).pseudonym):
        assert secret not in page


def test_released_candidates_show_their_identity_to_the_destination_and_the_reading_is_audited(run, gt_official):
    top = run.proposals.get(rank=1)
    services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    services.release_proposals(actor=gt_official, run=run)
    PermissionMatrix(obj=run, probes=_probes(_name)).check({
        ("destination_official", ("USA",)): True, ("origin_official", ("GTM",)): True, **OUTSIDERS})
    us_official = make_user("destination_official", ["USA"])
    before = AuditEvent.objects.filter(type=AuditEvent.Type.PROTECTED_READ, actor=us_official).count()
    body = client_for(us_official).get(reverse("matching:run", args=[run.pk])).content.decode()
    assert top.worker.family_names in body
    event = AuditEvent.objects.filter(type=AuditEvent.Type.PROTECTED_READ, actor=us_official).latest("id")
    assert AuditEvent.objects.filter(type=AuditEvent.Type.PROTECTED_READ, actor=us_official).count() == before + 1
    assert event.details["workers"] == [top.worker_id]
    # Withdrawn after release: the destination keeps the line, not the identity.
    services.withdraw_proposal(actor=gt_official, proposal=top, reason="No viaja")
    body = client_for(us_official).get(reverse("matching:run", args=[run.pk])).content.decode()
    assert top.pseudonym in body and top.worker.family_names not in body


def test_write_endpoints_answer_404_outside_scope(run, gt_official):
    top = run.proposals.get(rank=1)
    for user in (make_user("origin_official", ["HND"]), make_user("destination_official", ["USA"]),
                 make_user("analyst", ["GTM"]), make_user("admin")):
        client = client_for(user)
        assert client.post(reverse("matching:decide", args=[top.pk]), {"decision": "accept"}).status_code == 404
        assert client.post(reverse("matching:release", args=[run.pk]), {"all_accepted": "1"}).status_code == 404
        assert client.post(reverse("matching:cancel", args=[run.pk])).status_code == 404
        assert client.post(reverse("matching:withdraw", args=[top.pk]), {"reason": "x"}).status_code == 404
        assert client.post(f"/api/v1/matching/proposals/{top.pk}/decide", {"decision": "accept"},
                           content_type="application/json").status_code == 404
        assert client.post(f"/api/v1/matching/runs/{run.pk}/release", {},
                           content_type="application/json").status_code == 404
        if user.role != "origin_official":  # Honduran officials plan the same public orders over their own registry
            assert client.get(reverse("matching:shortlist_new", args=[run.job_order_id])).status_code == 404
            assert client.get(reverse("matching:season_new")).status_code == 404
    top.refresh_from_db()
    assert top.state == "proposed"


def test_missing_ids_answer_the_same_404(run, gt_official):
    client = client_for(gt_official)
    for url in (reverse("matching:run", args=[run.pk + 1000]), f"/api/v1/matching/runs/{run.pk + 1000}",
                "/api/v1/matching/proposals/999999", reverse("matching:run_export", args=[run.pk + 1000])):
        assert client.get(url).status_code == 404


def test_analysts_get_aggregate_counts_only(run, gt_official):
    for proposal in run.proposals.all():
        services.decide_proposal(actor=gt_official, proposal=proposal, decision="reject", reason="prueba")
    analyst = client_for(make_user("analyst", ["GTM"]))
    assert analyst.get(reverse("matching:runs")).status_code == 302  # sent to the summary
    page = analyst.get(reverse("matching:summary")).content.decode()
    assert "GTM" in page and "&lt;5" in page and run.proposals.first().pseudonym not in page
    rows = analyst.get("/api/v1/matching/summary").json()
    assert rows == [{"origin": "GTM", "kind": "shortlist", "runs": None, "proposed": None, "accepted": None,
                     "rejected": None, "released": None, "withdrawn": None}]
    for role, countries in (("employer", ["USA"]), ("worker", ["GTM"]), ("consular", ["GTM"])):
        client = client_for(make_user(role, countries))
        assert client.get(reverse("matching:summary")).status_code == 404
        assert client.get("/api/v1/matching/summary").status_code == 404
        assert client.get(reverse("matching:runs")).status_code == 404


def test_synthetic_runs_never_count_in_the_summary(h2a_orders, gt_official):
    order = h2a_orders.first()
    for _ in range(6):
        services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params(population="synthetic"))
    analyst = client_for(make_user("analyst", ["GTM"]))
    assert analyst.get("/api/v1/matching/summary").json() == []
    for _ in range(5):
        services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert analyst.get("/api/v1/matching/summary").json()[0]["runs"] == 5

"""Pages: the job-order link, the shortlist form (projection offered, refusals shown), the run page explaining
each candidate, decisions with htmx and with plain forms, the season form and its progress, exports."""

import csv
import io

import pytest
from django.urls import reverse

from temporada.core.models import AuditEvent
from temporada.core.testing import client_for, make_user
from temporada.matching import services
from temporada.matching.models import MatchRun, Proposal

from .conftest import planned, shortlist_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(h2a_orders):
    return h2a_orders.filter(occupation_code="45-2092").first()


@pytest.fixture
def official(gt_official):
    return client_for(gt_official)


@pytest.fixture
def run(order, gt_official, make_worker):
    make_worker(isco_1=order.isco_code, years_1="6", family_names="Xoquic Tzunun")
    make_worker(isco_1="6320", years_1="2", family_names="Batz Cojtí")
    return services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())


def test_the_job_order_page_offers_candidates_to_origin_officials_only(order, official):
    url = reverse("demand:joborder_detail", args=[order.pk])
    link = reverse("matching:shortlist_new", args=[order.pk])
    assert link in official.get(url).content.decode()
    for role, countries in (("destination_official", ["USA"]), ("analyst", ["GTM"]), ("employer", ["USA"])):
        assert link not in client_for(make_user(role, countries)).get(url).content.decode()


def test_the_form_explains_the_projection_and_refuses_without_it(order, official, make_worker):
    make_worker(isco_1=order.isco_code)
    url = reverse("matching:shortlist_new", args=[order.pk])
    page = official.get(url).content.decode()
    plan = planned(order)
    assert "La orden ya empezó." in page and plan.begin.isoformat() in page and plan.end.isoformat() in page
    refused = official.post(url, {"origin": "GTM", "population": "real", "top": "10"})
    assert refused.status_code == 400 and "empezó el" in refused.content.decode()
    assert not MatchRun.objects.exists()
    done = official.post(url, {"origin": "GTM", "population": "real", "top": "10", "plan_next_season": "on"})
    run = MatchRun.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("matching:run", args=[run.pk])
    assert run.parameters["top"] == 10 and run.is_projection


def test_bad_parameters_are_form_errors(order, official):
    url = reverse("matching:shortlist_new", args=[order.pk])
    response = official.post(url, {"origin": "HND", "population": "everyone", "top": "0", "min_age": "50",
                                   "max_age": "20", "isco_code": "9999", "weight_occupation": "-3",
                                   "plan_next_season": "on"})
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert {"origin", "population", "top", "max_age", "isco_code", "weight_occupation"} <= set(errors)
    zero = official.post(url, {"origin": "GTM", "population": "real", "top": "5", "plan_next_season": "on",
                               **{f"weight_{f}": "0" for f in ("occupation", "experience", "participation",
                                                               "language", "preference")}})
    assert "Al menos un factor" in zero.content.decode() and not MatchRun.objects.exists()


def test_the_run_page_explains_why_each_candidate_ranks_where_it_does(run, official, order):
    page = official.get(reverse("matching:run", args=[run.pk])).content.decode()
    assert "PROYECCIÓN de la orden" in page and order.source_key in page
    assert page.index("Xoquic Tzunun") < page.index("Batz Cojtí")  # best first
    assert f"mismo grupo primario CIUO-08 {order.isco_code}" in page and "6 años de experiencia pertinente" in page
    assert "mismo subgrupo principal 63" in page
    assert "Quién quedó en cada regla" in page and "disponibles durante todo el periodo" in page
    assert 'class="factor-bar"' in page and "Puntos por factor" in page
    assert AuditEvent.objects.filter(type=AuditEvent.Type.PROTECTED_READ, object_id=str(run.pk)).exists()


def test_accept_with_htmx_returns_the_card_and_release_follows(run, official):
    top = run.proposals.get(rank=1)
    response = official.post(reverse("matching:decide", args=[top.pk]), {"decision": "accept"},
                             HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith(f'<li class="candidate state-accepted" id="proposal-{top.pk}"')
    assert "Candidato aceptado." in body and "Liberar al país de destino" in body
    response = official.post(reverse("matching:release", args=[run.pk]), {"proposals": [top.pk]},
                             HTTP_HX_REQUEST="true")
    assert "state-released" in response.content.decode()
    top.refresh_from_db()
    assert top.state == "released"


def test_plain_forms_work_without_javascript(run, official):
    second = run.proposals.get(rank=2)
    response = official.post(reverse("matching:decide", args=[second.pk]), {"decision": "reject"})
    assert response.status_code == 302 and response["Location"].endswith(f"#proposal-{second.pk}")
    page = official.get(response["Location"].split("#")[0]).content.decode()
    assert "Indique el motivo del rechazo." in page
    official.post(reverse("matching:decide", args=[second.pk]), {"decision": "reject", "reason": "No tiene pasaporte"})
    second.refresh_from_db()
    assert (second.state, second.decision_reason) == ("rejected", "No tiene pasaporte")
    top = run.proposals.get(rank=1)
    official.post(reverse("matching:decide", args=[top.pk]), {"decision": "accept"})
    response = official.post(reverse("matching:release", args=[run.pk]), {"all_accepted": "1"})
    assert response.status_code == 302
    assert set(run.proposals.values_list("state", flat=True)) == {"released", "rejected"}


def test_export_is_scoped_and_labels_projections(run, official, gt_official):
    response = official.get(reverse("matching:run_export", args=[run.pk]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "given_names" in header and "worker_id" in header
    assert first["projection"].startswith("PROYECCIÓN de ") and first["family_names"] == "Xoquic Tzunun"
    assert AuditEvent.objects.filter(type=AuditEvent.Type.EXPORT, object_id=str(run.pk)).exists()
    top = run.proposals.get(rank=1)
    services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    us = client_for(make_user("destination_official", ["USA"]))
    data = us.get(reverse("matching:run_export", args=[run.pk]), {"format": "json"}).json()
    assert len(data) == 1 and data[0]["pseudonym"] == top.pseudonym and data[0]["family_names"] == ""
    assert "worker_id" not in data[0] and "sex" not in data[0]
    assert official.get(reverse("matching:run_export", args=[run.pk]), {"format": "pdf"}).status_code == 400


def test_synthetic_runs_are_labelled_on_the_page_and_in_exports(order, official, gt_official):
    from temporada.supply.synthetic import generate
    from temporada.supply.tests.conftest import tiny_distributions

    generate(count=30, seed=3, dist=tiny_distributions(("GTM",)))
    run = services.create_shortlist(actor=gt_official, job_order=order,
                                    parameters=shortlist_params(population="synthetic", isco_code="9211"))
    assert run.is_synthetic
    page = official.get(reverse("matching:run", args=[run.pk])).content.decode()
    assert "SINTÉTICA" in page
    response = official.get(reverse("matching:run_export", args=[run.pk]), {"format": "json"})
    assert "SYNTHETIC" in response["Content-Disposition"]
    assert all(row["synthetic"] == "SINTÉTICO" for row in response.json())


def test_the_shortlist_form_defaults_to_demo_profiles_when_the_registry_has_no_real_ones(order, official):
    page = official.get(reverse("matching:shortlist_new", args=[order.pk])).content.decode()
    assert "perfiles SINTÉTICOS de demostración" in page
    import re

    assert re.search(r'value="synthetic"[^>]*checked', page) and not re.search(r'value="real"[^>]*checked', page)


def test_season_form_queues_a_run_and_the_page_shows_progress(h2a_orders, official, gt_official, make_worker):
    make_worker(isco_1="6310")
    first = min(job.begin_date for job in h2a_orders)
    response = official.post(reverse("matching:season_new"), {
        "origin": "GTM", "population": "real", "window_from": first.isoformat(),
        "window_to": first.replace(year=first.year + 2).isoformat()})
    assert response.status_code == 400 and "como máximo un año" in response.content.decode()
    response = official.post(reverse("matching:season_new"), {
        "origin": "GTM", "population": "real", "window_from": first.isoformat(),
        "window_to": first.replace(month=12, day=31).isoformat(), "fairness_attribute": "sex",
        "fairness_values": ["F"], "fairness_min_share": "20"})
    run = MatchRun.objects.get()
    assert response.status_code == 302 and run.status == "queued"
    assert run.parameters["fairness"] == {"attribute": "sex", "values": ["F"], "min_share": 0.2, "max_share": None,
                                          "scope": "run"}
    page = official.get(reverse("matching:run", args=[run.pk])).content.decode()
    assert 'hx-get="' + reverse("matching:run_progress", args=[run.pk]) in page and "<progress" in page
    services.execute_season_run(run.pk)
    partial = official.get(reverse("matching:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "<progress" not in partial.content.decode()


def test_fairness_form_errors(h2a_orders, official):
    first = min(job.begin_date for job in h2a_orders)
    base = {"origin": "GTM", "population": "real", "window_from": first.isoformat(),
            "window_to": first.replace(month=12, day=31).isoformat()}
    cases = [({"fairness_attribute": "sex"}, "fairness_values"),
             ({"fairness_attribute": "sex", "fairness_values": ["GT-01"], "fairness_min_share": "10"}, "fairness_values"),
             ({"fairness_attribute": "region", "fairness_values": ["GT-01"]}, "fairness_min_share"),
             ({"fairness_attribute": "sex", "fairness_values": ["F"], "fairness_min_share": "60",
               "fairness_max_share": "40"}, "fairness_max_share"),
             ({"fairness_min_share": "10"}, "fairness_attribute"),
             ({"fairness_attribute": "sex", "fairness_values": ["F"], "fairness_min_share": "120"},
              "fairness_min_share")]
    for extra, field in cases:
        response = official.post(reverse("matching:season_new"), {**base, **extra})
        assert response.status_code == 400 and field in response.context["form"].errors, extra
    assert not MatchRun.objects.exists()


def test_order_picker_lists_real_orders_with_their_next_season(h2a_orders, official):
    page = official.get(reverse("matching:orders"), {"occupation": "63"}).content.decode()
    job = h2a_orders.filter(isco_code__startswith="63").first()
    assert job.source_key in page and planned(job).begin.isoformat() in page and "proyección" in page
    assert official.get(reverse("matching:orders"), {"occupation": "x1"}).status_code == 400
    assert client_for(make_user("destination_official", ["USA"])).get(reverse("matching:orders")).status_code == 404


def test_runs_list_for_officials(run, official):
    page = official.get(reverse("matching:runs")).content.decode()
    assert reverse("matching:run", args=[run.pk]) in page and "proyección" in page
    assert reverse("matching:run", args=[run.pk]) not in official.get(reverse("matching:runs"),
                                                                     {"kind": "season"}).content.decode()


def test_cancel_from_the_page(run, official):
    official.post(reverse("matching:cancel", args=[run.pk]))
    assert MatchRun.objects.get(pk=run.pk).status == "cancelled"
    assert set(Proposal.objects.filter(run=run).values_list("state", flat=True)) == {"withdrawn"}

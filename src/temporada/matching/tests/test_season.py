"""Season runs through the background task: every open order of a window planned for the coming season,
capacity and bookings respected across runs, fairness targets, empty runs that say why, failures recorded."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from temporada.core.models import AuditEvent
from temporada.matching import services
from temporada.matching.models import MatchRun, Proposal
from temporada.matching.orders import positions_of

from .conftest import planned, season_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(h2a_orders):
    dates = sorted(job.begin_date for job in h2a_orders)
    return dates[0], dates[0] + timedelta(days=366)


@pytest.fixture
def small_orders(h2a_orders):
    """The slice's orders with small crews, so that capacity binds."""
    for n, job in enumerate(h2a_orders):
        job.positions_certified = 1 + n % 3
        job.save()
    return h2a_orders


def _run(actor, params, capture):
    with capture(execute=True):
        run = services.start_season_run(actor=actor, parameters=params)
    run.refresh_from_db()
    return run


def _crew(make_worker, codes, *, sex="M", region="GT-13"):
    return [make_worker(isco_1=code, years_1=str(1 + n % 7), sex=sex, residence_subdivision=region)
            for n, code in enumerate(codes)]


def test_season_run_fills_orders_within_their_positions(small_orders, window, gt_official, make_worker,
                                                        immediate_tasks, django_capture_on_commit_callbacks):
    codes = sorted({job.isco_code for job in small_orders})
    _crew(make_worker, codes * 5)
    run = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    assert (run.kind, run.status, run.phase, run.progress) == ("season", "done", "done", 100)
    proposals = list(run.proposals.select_related("job_order"))
    assert proposals and run.proposal_count == len(proposals) == run.stats["assigned"]
    per_order = {}
    for p in proposals:
        per_order.setdefault(p.job_order_id, []).append(p)
    for items in per_order.values():
        job = items[0].job_order
        assert len(items) <= positions_of(job)
        plan = planned(job)
        assert all((p.begin_date, p.end_date, p.is_projection) == (plan.begin, plan.end, True) for p in items)
        assert sorted(p.rank for p in items) == list(range(1, len(items) + 1))
    assert len({p.worker_id for p in proposals}) == len(proposals)  # one order per worker
    assert dict(run.funnel)["orders"] == small_orders.count() and run.stats["orders"] == small_orders.count()
    assert AuditEvent.objects.filter(type=AuditEvent.Type.MATCH_RUN).count() == 2  # queued, then finished


def test_a_second_run_fills_only_what_the_first_left_open(small_orders, window, gt_official, make_worker,
                                                          immediate_tasks, django_capture_on_commit_callbacks):
    codes = sorted({job.isco_code for job in small_orders})
    _crew(make_worker, codes * 6)
    first = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    for proposal in first.proposals.all():
        services.decide_proposal(actor=gt_official, proposal=proposal, decision="accept")
    second = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    booked = set(first.proposals.values_list("worker_id", flat=True))
    assert not booked & set(second.proposals.values_list("worker_id", flat=True))
    for proposal in second.proposals.select_related("job_order"):
        services.decide_proposal(actor=gt_official, proposal=proposal, decision="accept")
    assert services.overfilled_orders() == [] and services.booked_overlaps() == []
    accepted = Proposal.objects.filter(state="accepted").count()
    assert accepted == first.proposal_count + second.proposal_count
    assert accepted <= sum(positions_of(job) for job in small_orders)


def test_fairness_target_holds_in_the_result(small_orders, window, gt_official, make_worker, immediate_tasks,
                                             django_capture_on_commit_callbacks):
    codes = sorted({job.isco_code for job in small_orders})
    _crew(make_worker, codes * 4, sex="M")
    _crew(make_worker, codes, sex="F", region="GT-01")
    target = {"attribute": "sex", "values": ["F"], "min_share": 0.3, "max_share": None, "scope": "run"}
    run = _run(gt_official, season_params(window, fairness=target), django_capture_on_commit_callbacks)
    sexes = list(run.proposals.values_list("sex", flat=True))
    assert sexes and sexes.count("F") >= 0.3 * len(sexes)
    without = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    women = list(without.proposals.values_list("sex", flat=True)).count("F")
    assert women / without.proposal_count < 0.3  # the target changed the result


def test_an_impossible_fairness_target_is_refused_before_anything_is_saved(small_orders, window, gt_official,
                                                                           make_worker, immediate_tasks):
    _crew(make_worker, ["6310"] * 3, sex="M")
    target = {"attribute": "sex", "values": ["F"], "min_share": 0.2, "max_share": None, "scope": "order"}
    with pytest.raises(ValidationError) as refused:
        services.start_season_run(actor=gt_official, parameters=season_params(window, fairness=target))
    assert refused.value.code == "fairness_infeasible"
    everyone = {"attribute": "sex", "values": ["M"], "min_share": None, "max_share": 0.5, "scope": "run"}
    with pytest.raises(ValidationError):
        services.start_season_run(actor=gt_official, parameters=season_params(window, fairness=everyone))
    assert not MatchRun.objects.exists()


def test_a_window_without_orders_ends_empty_with_the_reason(h2a_orders, gt_official, make_worker, immediate_tasks,
                                                            django_capture_on_commit_callbacks):
    _crew(make_worker, ["6310"])
    first = min(job.begin_date for job in h2a_orders)
    run = _run(gt_official, season_params((first - timedelta(days=400), first - timedelta(days=100))),
               django_capture_on_commit_callbacks)
    assert (run.status, run.reason, run.proposal_count) == ("empty", "no_orders", 0)
    assert run.funnel[0] == ["orders", 0]


def test_nobody_eligible_is_diagnosed_order_by_order(small_orders, window, gt_official, make_worker, immediate_tasks,
                                                     django_capture_on_commit_callbacks):
    _crew(make_worker, ["5120", "5120"])  # cooks: no order of the slice is in their major group
    run = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    assert (run.status, run.reason) == ("empty", "no_eligible_pairs")
    diagnosis = run.stats["diagnosis"]
    assert diagnosis["orders_checked"] == small_orders.count() and set(diagnosis["reasons"]) == {"occupation_family"}


def test_orders_without_isco_or_positions_are_left_out_and_counted(small_orders, window, gt_official, make_worker,
                                                                   immediate_tasks, django_capture_on_commit_callbacks):
    jobs = list(small_orders)
    jobs[0].isco_code, jobs[0].isco_alternatives = "", []
    jobs[0].save()
    jobs[1].positions_certified = 0
    jobs[1].save()
    _crew(make_worker, ["6310"])
    run = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    funnel = dict(run.funnel)
    assert funnel["orders"] - funnel["no_isco"] == 2
    assert funnel["open_positions"] == len(jobs) - 2


def test_a_failed_run_is_recorded_with_nothing_saved(small_orders, window, gt_official, make_worker, immediate_tasks,
                                                     django_capture_on_commit_callbacks, monkeypatch):
    _crew(make_worker, ["6310"] * 3)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(services.engine, "season_run", broken)
    run = _run(gt_official, season_params(window), django_capture_on_commit_callbacks)
    assert (run.status, run.reason, run.proposal_count) == ("failed", "error", 0)
    assert "solver crashed" in run.error and not Proposal.objects.exists()


def test_a_cancelled_queued_run_is_not_computed(small_orders, window, gt_official, make_worker):
    _crew(make_worker, ["6310"] * 3)
    run = services.start_season_run(actor=gt_official, parameters=season_params(window))
    services.cancel_run(actor=gt_official, run=run)
    assert services.execute_season_run(run.pk) == f"run {run.pk}: nothing to do"
    run.refresh_from_db()
    assert run.status == "cancelled" and not run.proposals.exists()


def test_runs_left_running_by_a_dead_worker_are_marked_failed(small_orders, window, gt_official):
    from django.utils import timezone

    run = services.start_season_run(actor=gt_official, parameters=season_params(window))
    MatchRun.objects.filter(pk=run.pk).update(status="running", started_at=timezone.now() - timedelta(hours=5))
    assert services.fail_interrupted_runs() == 1
    run.refresh_from_db()
    assert (run.status, run.reason) == ("failed", "interrupted")

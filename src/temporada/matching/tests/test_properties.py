"""Properties at the Django level (on top of the engine's own): whatever sequence of shortlists, season runs,
acceptances and withdrawals an official performs, no order ever has more accepted + released candidates for a
period than its positions, no worker is ever committed to two overlapping periods, and no season run proposes
more workers for an order than it had open positions or one worker for two overlapping orders."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from temporada.matching import services, snapshot
from temporada.matching.models import Proposal
from temporada.matching.orders import positions_of
from temporada.supply.models import Worker, WorkerOccupation

from .conftest import season_params, shortlist_params

pytestmark = pytest.mark.django_db

CODES = ("6310", "6320", "6111", "9211")


def _workers(count: int, rng_values: list[int]) -> None:
    today = timezone.localdate()
    for n in range(count):
        worker = Worker.objects.create(
            given_names=f"W{n}", family_names="Prueba", birth_date=date(1990, 1, 1), sex="MF"[n % 2],
            nationality_id="GTM", national_id_hash=f"hash-{n}", national_id_encrypted="x", national_id_last4=f"{n:04d}",
            passport_expiry=today + timedelta(days=3000), available_from=today,
            available_until=today + timedelta(days=900), status=Worker.Status.VERIFIED, has_registry_consent=True,
            has_matching_consent=True)
        WorkerOccupation.objects.create(worker=worker, isco_code=CODES[rng_values[n] % len(CODES)],
                                        years=rng_values[n] % 6)


def _orders(jobs, spec: list[tuple[int, int, int]]) -> list:
    today = timezone.localdate()
    chosen = []
    for job, (start, length, positions) in zip(jobs, spec, strict=False):
        job.begin_date = today + timedelta(days=start)
        job.end_date = job.begin_date + timedelta(days=length)
        job.positions_certified = positions
        job.save()
        chosen.append(job)
    return chosen


def _check_invariants():
    assert services.overfilled_orders() == []
    assert services.booked_overlaps() == []


def _check_season_run(run, open_before: dict):
    rows = list(run.proposals.values_list("job_order_id", "begin_date", "worker_id", "end_date"))
    per_order: dict = {}
    for job_id, begin, _worker, _end in rows:
        per_order[(job_id, begin)] = per_order.get((job_id, begin), 0) + 1
    for key, count in per_order.items():
        assert count <= open_before.get(key, 0), (key, count, open_before.get(key))
    by_worker: dict = {}
    for _job, begin, worker, end in sorted(rows, key=lambda r: (r[2], r[1])):
        if worker in by_worker:
            assert begin > by_worker[worker]
        by_worker[worker] = max(end, by_worker.get(worker, end))


def _open_positions(jobs) -> dict:
    from temporada.matching.orders import plan_order

    out = {}
    for job in jobs:
        plan = plan_order(job, today=timezone.localdate(), project=True)
        taken = Proposal.objects.filter(job_order=job, begin_date=plan.begin, state__in=Proposal.BOOKED_STATES).count()
        out[(job.pk, plan.begin)] = positions_of(job) - taken
    return out


operation = st.one_of(
    st.tuples(st.just("shortlist"), st.integers(0, 3), st.integers(1, 6), st.lists(st.integers(1, 6), max_size=5)),
    st.tuples(st.just("season"), st.integers(0, 5), st.booleans(), st.floats(0, 1)),
    st.tuples(st.just("withdraw"), st.integers(0, 10), st.just(0), st.just(0)),
    st.tuples(st.just("stale"), st.integers(0, 50), st.just(0), st.just(0)),  # accept a proposal of an older run
    st.tuples(st.just("pair"), st.integers(0, 3), st.integers(0, 3), st.just(0)),  # two lists first, then accept all
)


def test_no_sequence_of_runs_and_decisions_overfills_an_order_or_double_books_a_worker(h2a_orders, gt_official):
    jobs = list(h2a_orders.filter(isco_code__in=("6310", "6320", "6111"))[:4])
    seen = {"accepted": 0, "refused": 0, "season_proposals": 0}

    def _accept(proposal):
        try:
            services.decide_proposal(actor=gt_official, proposal=proposal, decision="accept")
            seen["accepted"] += 1
        except ValidationError:
            seen["refused"] += 1

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(worker_count=st.integers(2, 9), skills=st.lists(st.integers(0, 100), min_size=9, max_size=9),
           spec=st.lists(st.tuples(st.integers(5, 300), st.integers(20, 200), st.integers(1, 3)), min_size=4,
                         max_size=4),
           steps=st.lists(operation, min_size=2, max_size=6))
    def scenario(worker_count, skills, spec, steps):
        snapshot.clear()
        with transaction.atomic():
            _workers(worker_count, skills)
            orders = _orders(jobs, spec)
            window = (min(j.begin_date for j in orders), min(j.begin_date for j in orders) + timedelta(days=366))
            for kind, a, b, c in steps:
                if kind == "shortlist":
                    run = services.create_shortlist(actor=gt_official, job_order=orders[a % len(orders)],
                                                    parameters=shortlist_params(top=b, plan_next_season=False))
                    for rank in c:
                        proposal = run.proposals.filter(rank=rank).first()
                        if proposal is not None:
                            _accept(proposal)
                elif kind == "season":
                    open_before = _open_positions(orders)
                    run = services.start_season_run(actor=gt_official, parameters=season_params(
                        window, seed=a, multiple_orders=b))
                    services.execute_season_run(run.pk)
                    run.refresh_from_db()
                    assert run.status in ("done", "empty"), run.error
                    _check_season_run(run, open_before)
                    for proposal in run.proposals.order_by("id"):
                        if proposal.score / 100 <= c:  # accept a score-dependent subset
                            continue
                        _accept(proposal)
                    seen["season_proposals"] += run.proposal_count
                elif kind == "pair":
                    runs = [services.create_shortlist(actor=gt_official, job_order=orders[i % len(orders)],
                                                      parameters=shortlist_params(top=5, plan_next_season=False))
                            for i in (a, b)]
                    for run in runs:
                        for proposal in run.proposals.order_by("rank"):
                            _accept(proposal)
                elif kind == "stale":
                    pending = list(Proposal.objects.filter(state=Proposal.State.PROPOSED).order_by("id"))
                    if pending:
                        _accept(pending[a % len(pending)])
                else:
                    booked = list(Proposal.objects.filter(state__in=Proposal.BOOKED_STATES).order_by("id"))
                    if booked:
                        services.withdraw_proposal(actor=gt_official, proposal=booked[a % len(booked)], reason="prueba")
                _check_invariants()
            transaction.set_rollback(True)

    scenario()
    # the scenarios did exercise both sides: acceptances that held and acceptances the invariants refused
    assert seen["accepted"] > 0 and seen["refused"] > 0 and seen["season_proposals"] > 0, seen
